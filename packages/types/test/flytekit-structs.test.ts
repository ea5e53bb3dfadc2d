import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { flyteidl, fromProtoJson, toProtoJson } from "@flytekit-ts/idl";
import { fromLiteral, isCastable, literalTypeFromJsonSchema, t, type Literal, type LiteralType } from "../src/index.js";

/**
 * What flytekit 1.16.24 writes for dataclasses with defaults, optionals and enums, made by
 * conformance/python/gen_types_fixtures.py with the real flytekit.
 */
const flytekit = JSON.parse(readFileSync(join(import.meta.dirname, "fixtures/flytekit-structs.json"), "utf8")) as Record<string, unknown>;
const pyType = (name: string): LiteralType => fromProtoJson(flyteidl.core.LiteralType, flytekit[name] as never) as LiteralType;
const metadataOf = (type: LiteralType) => (toProtoJson(flyteidl.core.LiteralType, flyteidl.core.LiteralType.fromObject(type as never)) as { metadata?: Record<string, unknown> }).metadata ?? {};

// The TypeScript twins, as their authors write them.
const Config = t.struct(
  z.object({ lr: z.number(), epochs: z.int(), color: z.enum(["red", "green"]).default("red"), tags: z.array(z.string()).default([]) }),
  { title: "Config" },
);
const Shape = t.struct(
  z.object({
    width: z.number(),
    height: z.number().nullable(),
    name: z.string().nullable().default(null),
    scale: z.number().nullable().default(null),
    labels: z.record(z.string(), z.int()).default({}),
    inner: z.object({ lr: z.number(), epochs: z.int(), color: z.enum(["red", "green"]).default("red"), tags: z.array(z.string()).default([]) }).nullable().default(null),
  }),
  { title: "Shape" },
);

describe("struct schemas mean what flytekit's mean", () => {
  it("list as required only the fields without defaults, as mashumaro does", () => {
    expect(metadataOf(Shape.literalType)["required"]).toEqual(["width", "height"]);
    expect(metadataOf(Config.literalType)["required"]).toEqual(metadataOf(pyType("Config"))["required"]);
  });

  it("leave out `required` when every field has a default", () => {
    const AllDefaults = t.struct(z.object({ a: z.int().default(1), b: z.array(z.string()).default([]) }));
    expect(metadataOf(AllDefaults.literalType)).not.toHaveProperty("required");
  });

  it("write nullable fields as anyOf, the form flytekit writes, with the default outside", () => {
    const properties = metadataOf(Shape.literalType)["properties"] as Record<string, unknown>;
    const python = metadataOf(pyType("Shape"))["properties"] as Record<string, unknown>;
    expect(properties["height"]).toEqual(python["height"]);
    expect(properties["scale"]).toEqual(python["scale"]);
    expect(properties["name"]).toEqual(python["name"]);
  });

  it("bind a Python task's Shape output to the TS task's Shape input, and the reverse", () => {
    expect(isCastable(pyType("Shape"), Shape.literalType)).toBe(true);
    expect(isCastable(Shape.literalType, pyType("Shape"))).toBe(true);
    expect(isCastable(pyType("Config"), Config.literalType)).toBe(true);
    expect(isCastable(Config.literalType, pyType("Config"))).toBe(true);
  });

  it("still refuse a struct that lacks a field the input requires", () => {
    const Narrow = t.struct(z.object({ width: z.number() }), { title: "Shape" });
    expect(isCastable(Narrow.literalType, pyType("Shape"))).toBe(false);
  });

  it("give the same field types flytekit lists in dataclass_type, enums without a JSON type included", () => {
    const fields = (type: LiteralType) => Object.keys(type.structure?.dataclassType ?? {}).sort();
    expect(fields(Shape.literalType)).toEqual(fields(pyType("Shape")));
    const python = pyType("Config").structure?.dataclassType ?? {};
    expect(Config.literalType.structure?.dataclassType?.["color"]).toEqual({ enumType: { values: ["red", "green"] } });
    expect(flyteidl.core.LiteralType.toObject(flyteidl.core.LiteralType.fromObject(python["color"] as never))).toEqual({ enumType: { values: ["red", "green"] } });
    expect(literalTypeFromJsonSchema({ enum: ["red", "green"], default: "red" })).toEqual({ enumType: { values: ["red", "green"] } });
  });
});

describe("union variants are matched by tag, as flytekit matches them", () => {
  it("read a Python Optional[Config] value tagged Object-Dataclass-Transformer", async () => {
    const literal = fromProtoJson(flyteidl.core.Literal, flytekit["OptionalConfigValue"] as never) as Literal;
    expect(literal.scalar?.union?.type?.structure?.tag).toBe("Object-Dataclass-Transformer");
    expect(await fromLiteral(t.optional(Config), literal)).toEqual({ lr: 0.5, epochs: 3, color: "red", tags: [] });
  });

  it("read it even when the stored schema differs from the TS struct's (flytekit compares tags, not schemas)", async () => {
    const literal = fromProtoJson(flyteidl.core.Literal, flytekit["OptionalConfigValue"] as never) as Literal;
    const Loose = t.struct(z.object({ lr: z.number(), epochs: z.int() }).loose(), { title: "Config" });
    expect(await fromLiteral(t.optional(Loose), literal)).toMatchObject({ lr: 0.5, epochs: 3 });
  });

  it("try the variants sharing a tag until one reads the value", async () => {
    const type = t.union(t.list(t.int()), t.list(t.string()));
    const literal: Literal = {
      scalar: { union: { value: { collection: { literals: [{ scalar: { primitive: { stringValue: "x" } } }] } }, type: { collectionType: { simple: 3 }, structure: { tag: "Typed List" } } } },
    };
    expect(await fromLiteral(type, literal)).toEqual(["x"]);
  });

  it("refuse a tag no variant has", async () => {
    const literal: Literal = { scalar: { union: { value: { scalar: { primitive: { integer: 1 } } }, type: { simple: 1, structure: { tag: "int" } } } } };
    await expect(fromLiteral(t.optional(t.string()), literal)).rejects.toThrow(/tagged "int" matches no variant/);
  });
});
