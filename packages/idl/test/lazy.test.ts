import { describe, expect, it } from "vitest";
import { ensureLoadedFor, flyteidl, fromProtoJson, google, messageClass, root, toProtoJson } from "../src/index.js";

// vitest gives every test file its own module graph, so this file sees the IDL as a fresh process does.
const built = (name: string): boolean => root.lookup(name) !== null;

describe("types are built on first use", () => {
  it("builds nothing at import", () => {
    expect(built("flyteidl.core.Literal")).toBe(false);
    expect(built("google.protobuf.Struct")).toBe(false);
    expect(built("flyteidl.admin")).toBe(false);
  });

  it("builds the types a message's fields refer to when the message is used, and theirs when they are", () => {
    const { LiteralMap } = flyteidl.core;
    const bytes = LiteralMap.encode({ literals: { a: { scalar: { generic: { fields: { k: { stringValue: "v" } } } } } } }).finish();
    const decoded = LiteralMap.decode(bytes);
    expect(decoded.literals["a"]?.scalar?.generic?.fields?.["k"]?.stringValue).toBe("v");
    expect(built("google.protobuf.Struct")).toBe(true);
    // Scalar refers to Union, so Union is built; Union refers to LiteralType, built once a Union is used.
    expect(built("flyteidl.core.Union")).toBe(true);
    expect(built("flyteidl.core.LiteralType")).toBe(false);
    expect(built("flyteidl.core.WorkflowTemplate")).toBe(false);
    const union = { scalar: { union: { value: { scalar: { primitive: { integer: 1 } } }, type: { simple: flyteidl.core.SimpleType.INTEGER } } } };
    const again = LiteralMap.decode(LiteralMap.encode({ literals: { u: union } }).finish());
    expect(again.literals["u"]?.scalar?.union?.type?.simple).toBe(flyteidl.core.SimpleType.INTEGER);
    expect(built("flyteidl.core.LiteralType")).toBe(true);
  });

  it("builds nested types with their top-level type", () => {
    ensureLoadedFor("flyteidl.core.Resources.ResourceEntry");
    expect(built("flyteidl.core.Resources")).toBe(true);
    expect(flyteidl.core.Resources.ResourceName.GPU).toBe(2);
  });

  it("builds a lazy package with the core types it refers to", () => {
    const TaskSpec = messageClass("flyteidl.admin.TaskSpec");
    const spec = TaskSpec.decode(
      flyteidl.admin.TaskSpec.encode({ template: { id: { name: "t" }, container: { image: "img", resources: { requests: [{ name: 1, value: "1" }] } } } }).finish(),
    ) as flyteidl.admin.TaskSpec;
    expect(spec.template?.container?.resources?.requests?.[0]?.value).toBe("1");
    expect(built("flyteidl.core.TaskTemplate")).toBe(true);
    expect(built("flyteidl.core.Container")).toBe(true);
  });

  it("generates each codec on first use, Any's object conversions through protobufjs' wrapper", () => {
    const { Any } = google.protobuf;
    const any = Any.fromObject({ "@type": "type.googleapis.com/flyteidl.core.Identifier", name: "t", version: "v1" });
    expect(any.type_url).toBe("type.googleapis.com/flyteidl.core.Identifier");
    const identifier = flyteidl.core.Identifier.decode(any.value);
    expect(identifier.name).toBe("t");
    expect(Any.toObject(any, { json: true })).toEqual({ "@type": "type.googleapis.com/flyteidl.core.Identifier", name: "t", version: "v1" });
    expect(flyteidl.core.Identifier.verify({ name: 5 })).toMatch(/name: string expected/);
  });

  it("builds every type once a message that can hold an Any is converted to JSON", () => {
    // admin refers to google.protobuf.Any, whose payload may be any message.
    const json = { "@type": "type.googleapis.com/flyteidl.core.WorkflowTemplate", id: { name: "wf" } };
    const any = fromProtoJson(google.protobuf.Any, json);
    expect(toProtoJson(google.protobuf.Any, any)).toEqual(json);
    expect(built("flyteidl.core.WorkflowTemplate")).toBe(true);
  });
});
