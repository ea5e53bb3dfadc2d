import { describe, expect, it } from "vitest";
import Long from "long";
import { datacatalog, flyteidl, google, messageClass, root } from "../src/index.js";

describe("the flyteidl namespace", () => {
  it("exposes messages as classes whose instances pass instanceof", () => {
    const template = flyteidl.core.TaskTemplate.create({ type: "python-task" });
    const spec = flyteidl.admin.TaskSpec.decode(flyteidl.admin.TaskSpec.encode({ template }).finish());
    expect(spec).toBeInstanceOf(flyteidl.admin.TaskSpec);
    expect(spec.template).toBeInstanceOf(flyteidl.core.TaskTemplate);
    expect(spec.template?.type).toBe("python-task");
  });

  it("exposes enums as two-way maps, like TypeScript numeric enums", () => {
    expect(flyteidl.core.ResourceType.LAUNCH_PLAN).toBe(3);
    expect(flyteidl.core.ResourceType[3]).toBe("LAUNCH_PLAN");
    expect(flyteidl.core.Resources.ResourceName.EPHEMERAL_STORAGE).toBe(5);
    expect(Object.isFrozen(flyteidl.core.SimpleType)).toBe(true);
  });

  it("exposes nested messages on their parent class", () => {
    const entry = flyteidl.core.Resources.ResourceEntry.create({ name: flyteidl.core.Resources.ResourceName.CPU, value: "2" });
    expect(flyteidl.core.Resources.ResourceEntry.toObject(entry, { enums: String })).toEqual({ name: "CPU", value: "2" });
  });

  it("covers core, admin, service, event, plugins, datacatalog and the well-known types", () => {
    expect(typeof flyteidl.service.AdminService.create).toBe("function");
    expect(flyteidl.event.WorkflowExecutionEvent.getTypeUrl()).toBe("type.googleapis.com/flyteidl.event.WorkflowExecutionEvent");
    expect(flyteidl.plugins.kubeflow.DistributedPyTorchTrainingTask.create()).toBeDefined();
    expect(flyteidl.plugins.ArrayJob.create({ parallelism: 3 }).parallelism).toBe(3);
    expect(typeof datacatalog.DataCatalog.create).toBe("function");
    expect(google.protobuf.Struct.create()).toBeDefined();
    expect(messageClass(".flyteidl.cacheservice.GetCacheRequest")).toBe(flyteidl.cacheservice.GetCacheRequest);
  });

  it("names the missing type when a lookup fails", () => {
    expect(() => messageClass("flyteidl.core.NoSuchThing")).toThrow(/no protobuf message named "flyteidl.core.NoSuchThing"/);
    expect(() => messageClass("flyteidl.core.ResourceType")).toThrow(/no protobuf message/);
  });

  it("decodes 64-bit integers as Long, without losing precision", () => {
    const big = "9007199254740993"; // 2^53 + 1: not representable as a number
    const bytes = flyteidl.core.Primitive.encode({ integer: Long.fromString(big) }).finish();
    const decoded = flyteidl.core.Primitive.decode(bytes);
    expect(Long.isLong(decoded.integer)).toBe(true);
    expect(String(decoded.integer)).toBe(big);
    expect(flyteidl.core.Primitive.toObject(decoded, { longs: String })).toEqual({ integer: big });
    expect(flyteidl.core.Primitive.fromObject({ integer: big }).integer?.toString()).toBe(big);
  });

  it("keeps fields it does not know through decode and encode", () => {
    // field 99, varint 7: unknown to TaskTemplate, must survive a round trip (forward compatibility).
    const known = flyteidl.core.TaskTemplate.encode({ type: "x" }).finish();
    const withUnknown = Uint8Array.from([...known, 0x98, 0x06, 0x07]);
    const reencoded = flyteidl.core.TaskTemplate.encode(flyteidl.core.TaskTemplate.decode(withUnknown)).finish();
    expect(Buffer.from(reencoded).equals(Buffer.from(withUnknown))).toBe(true);
  });

  it("switches a oneof by clearing the member that was set, as protobufjs specifies", () => {
    const primitive = flyteidl.core.Primitive.decode(flyteidl.core.Primitive.encode({ integer: 5 }).finish());
    expect(primitive.value).toBe("integer");
    primitive.floatValue = 2.5;
    primitive.value = "floatValue";
    expect(Object.keys(primitive)).toEqual(["floatValue"]);
    expect(primitive.value).toBe("floatValue");
    expect(flyteidl.core.Primitive.toObject(primitive)).toEqual({ floatValue: 2.5 });
  });

  it("keeps its reflection root private to this package", () => {
    expect(root.lookupType("flyteidl.core.Literal")).toBeDefined();
  });
});
