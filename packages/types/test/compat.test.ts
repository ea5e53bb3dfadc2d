import { describe, expect, it } from "vitest";
import { z } from "zod";
import { flyteidl, fromProtoJson, google } from "@flytekit-ts/idl";
import { isCastable, isSchemaSupertype, t, withTag, type LiteralType } from "../src/index.js";

const S = flyteidl.core.SimpleType;
const simple = (name: keyof typeof S & string): LiteralType => ({ simple: S[name] });
const struct = (schema: Record<string, unknown>): LiteralType => ({ simple: S.STRUCT, metadata: fromProtoJson(google.protobuf.Struct, schema) });

describe("type compatibility, as FlytePropeller's compiler decides it", () => {
  it("matches equal simple types and ignores metadata, annotation and untagged structure", () => {
    expect(isCastable(simple("INTEGER"), simple("INTEGER"))).toBe(true);
    expect(isCastable(simple("INTEGER"), simple("FLOAT"))).toBe(false);
    expect(isCastable({ ...simple("STRING"), annotation: { annotations: fromProtoJson(google.protobuf.Struct, { a: 1 }) } }, simple("STRING"))).toBe(true);
  });

  it("lets NONE into NONE only", () => {
    expect(isCastable(simple("NONE"), simple("NONE"))).toBe(true);
    expect(isCastable(simple("INTEGER"), simple("NONE"))).toBe(false);
  });

  it("converts enums to strings and back", () => {
    const color = t.enum(["r", "g"]).literalType;
    expect(isCastable(color, simple("STRING"))).toBe(true);
    expect(isCastable(simple("STRING"), color)).toBe(true);
    expect(isCastable(color, simple("INTEGER"))).toBe(false);
  });

  it("requires a tagged upstream's tag downstream", () => {
    expect(isCastable(withTag(simple("INTEGER"), "int"), simple("INTEGER"))).toBe(false);
    expect(isCastable(withTag(simple("INTEGER"), "int"), withTag(simple("INTEGER"), "int"))).toBe(true);
  });

  it("compares collection and map elements, and lets empty (NONE-element) ones through", () => {
    expect(isCastable(t.list(t.int()).literalType, t.list(t.int()).literalType)).toBe(true);
    expect(isCastable(t.list(t.int()).literalType, t.list(t.string()).literalType)).toBe(false);
    expect(isCastable({ collectionType: simple("NONE") }, t.list(t.string()).literalType)).toBe(true);
    expect(isCastable(t.map(t.float()).literalType, t.map(t.float()).literalType)).toBe(true);
    expect(isCastable(t.map(t.float()).literalType, t.list(t.float()).literalType)).toBe(false);
    expect(isCastable({ mapValueType: simple("NONE") }, t.map(t.int()).literalType)).toBe(true);
  });

  it("matches blob formats unless one is empty, ignoring dimensionality", () => {
    expect(isCastable(t.file({ format: "csv" }).literalType, t.file({ format: "csv" }).literalType)).toBe(true);
    expect(isCastable(t.file({ format: "csv" }).literalType, t.file({ format: "parquet" }).literalType)).toBe(false);
    expect(isCastable(t.file().literalType, t.file({ format: "parquet" }).literalType)).toBe(true);
    expect(isCastable(t.directory().literalType, t.file().literalType)).toBe(true);
    expect(isCastable(simple("STRING"), t.file().literalType)).toBe(false);
  });

  it("needs exactly one downstream variant for a plain upstream, and every upstream variant covered", () => {
    const optionalInt = t.optional(t.int()).literalType;
    expect(isCastable(withTag(simple("INTEGER"), "int"), optionalInt)).toBe(true);
    expect(isCastable(simple("NONE"), optionalInt)).toBe(true);
    expect(isCastable(simple("STRING"), optionalInt)).toBe(false);
    expect(isCastable(optionalInt, optionalInt)).toBe(true);
    expect(isCastable(t.optional(t.string()).literalType, optionalInt)).toBe(false);
    const ambiguous: LiteralType = { unionType: { variants: [simple("INTEGER"), simple("INTEGER")] } };
    expect(isCastable(simple("INTEGER"), ambiguous)).toBe(false);
    // A single-variant upstream union is unwrapped first.
    expect(isCastable({ unionType: { variants: [simple("FLOAT")] } }, simple("FLOAT"))).toBe(true);
  });

  it("accepts STRUCTs without schemas, with equal schemas, or with an upstream supertype", () => {
    const narrow = { type: "object", properties: { a: { type: "integer" } }, required: ["a"] };
    const wide = { type: "object", properties: { a: { type: "integer" }, b: { type: "string" } }, required: ["a", "b"] };
    expect(isCastable(simple("STRUCT"), struct(narrow))).toBe(true);
    expect(isCastable(struct(narrow), struct(narrow))).toBe(true);
    expect(isCastable(struct(wide), struct(narrow))).toBe(true);
    expect(isCastable(struct(narrow), struct(wide))).toBe(false);
    expect(isSchemaSupertype({ type: "object", properties: { a: { type: "string" } } }, narrow)).toBe(false);
  });

  it("treats the same zod schema on both sides as compatible", () => {
    const schema = z.object({ a: z.int(), b: z.array(z.string()) });
    expect(isCastable(t.struct(schema).literalType, t.struct(schema).literalType)).toBe(true);
    expect(isCastable(t.struct(schema).literalType, t.struct(z.object({ a: z.int() })).literalType)).toBe(true);
    expect(isCastable(t.struct(z.object({ a: z.int() })).literalType, t.struct(schema).literalType)).toBe(false);
  });

  it("checks structured dataset formats and column subsets", () => {
    const up = t.structuredDataset({ format: "parquet", columns: { a: t.int(), b: t.string() } }).literalType;
    expect(isCastable(up, t.structuredDataset({ columns: { a: t.int() } }).literalType)).toBe(true);
    expect(isCastable(up, t.structuredDataset({ columns: { c: t.int() } }).literalType)).toBe(false);
    expect(isCastable(up, t.structuredDataset({ format: "csv" }).literalType)).toBe(false);
    expect(isCastable(simple("NONE"), t.structuredDataset().literalType)).toBe(true);
  });
});
