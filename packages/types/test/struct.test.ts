import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type } from "arktype";
import * as v from "valibot";
import { toStandardJsonSchema } from "@valibot/to-json-schema";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { flyteidl, fromProtoJson, google, toProtoJson } from "@flytekit-ts/idl";
import { LiteralTypeError, MsgpackDecodeError, ValueTypeError, fromLiteral, t, toLiteral, type Literal } from "../src/index.js";
import { sharedDir } from "./shared.js";

const fixture = (name: string) =>
  flyteidl.core.Binary.decode(readFileSync(join(sharedDir, "conformance/flytekit/tests/flytekit/unit/core", name)));

/** The dataclass of flytekit's msgpack fixtures (tests/flytekit/unit/core/test_type_engine_binary_idl.py). */
const InnerDC = z.object({ a: z.int(), b: z.number(), c: z.string(), dt2: z.string() });
const DC = z.object({
  a: z.int(),
  b: z.number(),
  c: z.string(),
  inner: InnerDC,
  df: z.object({ uri: z.string(), file_format: z.string() }).optional(),
  dt1: z.string(),
});

describe("struct types over Standard JSON Schema", () => {
  it("read flytekit's msgpack dataclass and pydantic literals, and write the same bytes back", async () => {
    for (const name of ["plain_dataclass_scalar_binary.msgpack.pb", "pydantic_v2_binary_literal.msgpack", "pydantic_v2_scalar_binary.msgpack.pb"]) {
      const binary = fixture(name);
      const literal: Literal = { scalar: { binary } };
      const value = await fromLiteral(t.struct(DC), literal);
      expect(value.inner).toEqual({ a: 42, b: 3.14, c: "hello", dt2: "2022-01-01T12:00:00" });
      const again = await toLiteral(t.struct(DC), value);
      expect(Buffer.from(again.scalar?.binary?.value ?? []).equals(Buffer.from(binary.value)), name).toBe(true);
    }
  });

  it("write float fields as float64 even when integral, and int fields compactly", async () => {
    const literal = await toLiteral(t.struct(z.object({ f: z.number(), i: z.int() })), { f: 2, i: 2 });
    expect(Buffer.from(literal.scalar?.binary?.value ?? []).toString("hex")).toBe("82a166cb4000000000000000a16902");
    expect(literal.scalar?.binary?.tag).toBe("msgpack");
  });

  it("declare STRUCT with the JSON schema, the fields' literal types and the msgpack cache-key annotation", () => {
    const type = t.struct(z.object({ n: z.int(), tags: z.array(z.string()), maybe: z.number().nullable() }), { title: "Thing" });
    const json = toProtoJson(flyteidl.core.LiteralType, flyteidl.core.LiteralType.fromObject(type.literalType as { [k: string]: unknown })) as Record<string, unknown>;
    expect(json["simple"]).toBe("STRUCT");
    expect(json["annotation"]).toEqual({ annotations: { "cache-key-metadata": { "serialization-format": "msgpack" } } });
    expect((json["metadata"] as Record<string, unknown>)["title"]).toBe("Thing");
    expect((json["metadata"] as Record<string, unknown>)["$schema"]).toBeUndefined();
    expect(json["structure"]).toEqual({
      dataclassType: {
        n: { simple: "INTEGER" },
        tags: { collectionType: { simple: "STRING" } },
        maybe: { unionType: { variants: [{ simple: "FLOAT", structure: { tag: "float" } }, { simple: "NONE", structure: { tag: "none" } }] } },
      },
    });
  });

  it("validate with the schema, reporting its issues with their paths", async () => {
    const type = t.struct(z.object({ inner: z.object({ n: z.int() }) }));
    const error = await toLiteral(type, { inner: { n: "x" } } as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValueTypeError);
    expect((error as ValueTypeError).issues[0]?.path).toEqual(["inner", "n"]);
  });

  it("read the older JSON Struct form flytekit ≤ 1.13 wrote", async () => {
    const generic = fromProtoJson(google.protobuf.Struct, { a: 1, b: 2.5, c: "x", inner: { a: 2, b: 1, c: "y", dt2: "z" }, dt1: "d" });
    const value = await fromLiteral(t.struct(DC), { scalar: { generic } });
    expect(value).toEqual({ a: 1, b: 2.5, c: "x", inner: { a: 2, b: 1, c: "y", dt2: "z" }, dt1: "d" });
  });

  it("work the same with valibot and arktype schemas", async () => {
    const valibot = t.struct(toStandardJsonSchema(v.object({ x: v.number(), n: v.pipe(v.number(), v.integer()) })));
    const ark = t.struct(type({ x: "number", n: "number.integer" }));
    for (const descriptor of [valibot, ark]) {
      const literal = await toLiteral(descriptor, { x: 1, n: 1 });
      expect(await fromLiteral(descriptor, literal)).toEqual({ x: 1, n: 1 });
      await expect(toLiteral(descriptor, { x: "1", n: 1 } as never)).rejects.toThrow(ValueTypeError);
    }
  });

  it("refuse literals that are not msgpack structs", async () => {
    await expect(fromLiteral(t.struct(DC), { scalar: { binary: { value: new Uint8Array(), tag: "pickle" } } })).rejects.toThrow(/tagged "pickle" is not msgpack/);
    await expect(fromLiteral(t.struct(DC), { scalar: { primitive: { stringValue: "{}" } } })).rejects.toThrow(LiteralTypeError);
  });
});

describe("untyped JSON objects (Python's dict)", () => {
  it("refuse corrupt msgpack with a typed error that says so, not a bare RangeError", async () => {
    const good = (await toLiteral(t.json(), { a: [1, 2, 3], b: "text" })).scalar?.binary?.value as Uint8Array;
    const corrupt = [
      good.subarray(0, good.length - 3), // truncated
      Uint8Array.of(...good, 0xc1), // trailing byte, and 0xc1 is never valid
      Uint8Array.of(0xc1),
      Uint8Array.of(0xdf, 0xff, 0xff, 0xff, 0xff), // a map claiming 4 billion entries
    ];
    for (const value of corrupt) {
      const literal: Literal = { scalar: { binary: { value, tag: "msgpack" } } };
      const error = await fromLiteral(t.json(), literal).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MsgpackDecodeError);
      expect(error).toBeInstanceOf(LiteralTypeError);
      expect((error as Error).message).toMatch(new RegExp(`corrupt msgpack in a binary literal \\(${value.length} bytes\\)`));
    }
  });

  it("round-trip as msgpack with integral numbers as ints and others as floats", async () => {
    const value = { a: 1, b: 1.5, nested: { list: [1, "x", null, true] } };
    const literal = await toLiteral(t.json(), value);
    expect(literal.scalar?.binary?.tag).toBe("msgpack");
    expect(await fromLiteral(t.json(), literal)).toEqual(value);
    expect(t.json().literalType.simple).toBe(flyteidl.core.SimpleType.STRUCT);
  });

  it("keep keys that are also Object.prototype's names", async () => {
    const value = { valueOf: [], constructor: 1, toString: "x" };
    expect(await fromLiteral(t.json(), await toLiteral(t.json(), value as never))).toEqual(value);
  });

  it("refuse __proto__ keys, which no reader can restore as data", async () => {
    const value = JSON.parse('{"a":{"__proto__":{}}}') as Record<string, never>;
    await expect(toLiteral(t.json(), value)).rejects.toThrow(/at \.a\.__proto__: expected a key other than __proto__/);
    await expect(toLiteral(t.map(t.int()), JSON.parse('{"__proto__":1}') as Record<string, number>)).rejects.toThrow(/__proto__/);
  });

  it("refuse values JSON cannot carry, with their path", async () => {
    await expect(toLiteral(t.json(), { a: { b: new Date(0) } } as never)).rejects.toThrow("at .a.b: expected a JSON value, got Date 1970-01-01T00:00:00.000Z");
    await expect(toLiteral(t.json(), { a: Number.NaN })).rejects.toThrow(/finite JSON number/);
  });
});
