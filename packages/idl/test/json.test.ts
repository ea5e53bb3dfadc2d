import { describe, expect, it } from "vitest";
import { flyteidl, fromProtoJson, fromProtoJsonString, toProtoJson, toProtoJsonString } from "../src/index.js";

describe("proto3 JSON", () => {
  const { TaskTemplate } = flyteidl.core;

  it("prints canonical proto3 JSON: camelCase, enum names, durations, int64 strings, Struct as JSON", () => {
    const template = TaskTemplate.fromObject({
      type: "python-task",
      metadata: { retries: { retries: 2 }, timeout: { seconds: 90, nanos: 500_000_000 }, generatesDeck: { value: false } },
      custom: { fields: { a: { numberValue: 1 }, b: { listValue: { values: [{ stringValue: "x" }] } } } },
      container: { resources: { requests: [{ name: "CPU", value: "500m" }] } },
      taskTypeVersion: 1,
    });
    expect(toProtoJson(TaskTemplate, template)).toEqual({
      type: "python-task",
      metadata: { retries: { retries: 2 }, timeout: "90.500s", generatesDeck: false },
      custom: { a: 1, b: ["x"] },
      container: { resources: { requests: [{ name: "CPU", value: "500m" }] } },
      taskTypeVersion: 1,
    });
  });

  it("reads original snake_case names and enum numbers as well as the canonical form", () => {
    const a = fromProtoJson(TaskTemplate, { task_type_version: 1, container: { resources: { limits: [{ name: 3, value: "1Gi" }] } } });
    const b = fromProtoJson(TaskTemplate, { taskTypeVersion: 1, container: { resources: { limits: [{ name: "MEMORY", value: "1Gi" }] } } });
    expect(toProtoJson(TaskTemplate, a)).toEqual(toProtoJson(TaskTemplate, b));
  });

  it("rejects unknown fields, naming them, unless told to ignore them", () => {
    expect(() => fromProtoJson(TaskTemplate, { type: "x", bogusField: 1 })).toThrow(/bogusField/);
    expect(toProtoJson(TaskTemplate, fromProtoJson(TaskTemplate, { type: "x", bogusField: 1 }, { ignoreUnknownFields: true }))).toEqual({
      type: "x",
    });
  });

  it("keeps 64-bit integers exact through text", () => {
    const text = '{"scalar":{"primitive":{"integer":"-9223372036854775808"}}}';
    const literal = fromProtoJsonString(flyteidl.core.Literal, text);
    expect(literal.scalar?.primitive?.integer?.toString()).toBe("-9223372036854775808");
    expect(toProtoJsonString(flyteidl.core.Literal, literal)).toBe(text);
  });

  it("says which class it wanted when given something else", () => {
    expect(() => toProtoJson({} as typeof TaskTemplate, TaskTemplate.create())).toThrow(/expected a message class/);
  });
});
