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

  it("builds a message with the types its fields need, and nothing else", () => {
    const { LiteralMap } = flyteidl.core;
    const bytes = LiteralMap.encode({ literals: { a: { scalar: { generic: { fields: { k: { stringValue: "v" } } } } } } }).finish();
    const decoded = LiteralMap.decode(bytes);
    expect(decoded.literals["a"]?.scalar?.generic?.fields?.["k"]?.stringValue).toBe("v");
    expect(built("flyteidl.core.LiteralType")).toBe(true); // a Union literal carries its type
    expect(built("google.protobuf.Struct")).toBe(true);
    expect(built("flyteidl.core.WorkflowTemplate")).toBe(false);
    expect(built("flyteidl.core.TaskTemplate")).toBe(false);
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

  it("builds every type once a message that can hold an Any is converted to JSON", () => {
    // admin refers to google.protobuf.Any, whose payload may be any message.
    const json = { "@type": "type.googleapis.com/flyteidl.core.WorkflowTemplate", id: { name: "wf" } };
    const any = fromProtoJson(google.protobuf.Any, json);
    expect(toProtoJson(google.protobuf.Any, any)).toEqual(json);
    expect(built("flyteidl.core.WorkflowTemplate")).toBe(true);
  });
});
