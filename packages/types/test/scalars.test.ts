import Long from "long";
import { describe, expect, it } from "vitest";
import { flyteidl, toProtoJson } from "@flytekit-ts/idl";
import { LiteralTypeError, ValueTypeError, fromLiteral, t, toLiteral, toLiteralMap, type Literal } from "../src/index.js";

const json = (literal: Literal) => toProtoJson(flyteidl.core.Literal, flyteidl.core.Literal.fromObject(literal as { [k: string]: unknown }));
const wire = (literal: Literal): Literal => flyteidl.core.Literal.decode(flyteidl.core.Literal.encode(flyteidl.core.Literal.fromObject(literal as { [k: string]: unknown })).finish());

describe("scalar types", () => {
  it("write the literals flytekit writes", async () => {
    expect(json(await toLiteral(t.int(), 42))).toEqual({ scalar: { primitive: { integer: "42" } } });
    expect(json(await toLiteral(t.int64(), 2n ** 62n))).toEqual({ scalar: { primitive: { integer: "4611686018427387904" } } });
    expect(json(await toLiteral(t.float(), 1.5))).toEqual({ scalar: { primitive: { floatValue: 1.5 } } });
    expect(json(await toLiteral(t.string(), "hi"))).toEqual({ scalar: { primitive: { stringValue: "hi" } } });
    expect(json(await toLiteral(t.boolean(), false))).toEqual({ scalar: { primitive: { boolean: false } } });
    expect(json(await toLiteral(t.datetime(), new Date("2024-01-02T03:04:05.678Z")))).toEqual({
      scalar: { primitive: { datetime: "2024-01-02T03:04:05.678Z" } },
    });
    expect(json(await toLiteral(t.duration(), 1500))).toEqual({ scalar: { primitive: { duration: "1.500s" } } });
    expect(json(await toLiteral(t.none(), null))).toEqual({ scalar: { noneType: {} } });
    expect(json(await toLiteral(t.bytes(), Uint8Array.of(1, 2)))).toEqual({ scalar: { binary: { value: "AQI=" } } });
  });

  it("round-trip through the wire", async () => {
    const cases: [Parameters<typeof toLiteral>[0], unknown][] = [
      [t.int(), -(2 ** 53 - 1)],
      [t.int64(), -(2n ** 63n)],
      [t.float(), Number.NEGATIVE_INFINITY],
      [t.string(), "ünïcødé ✓"],
      [t.boolean(), true],
      [t.datetime(), new Date(-1)],
      [t.duration(), -250.5],
      [t.none(), null],
      [t.bytes(), new Uint8Array([0, 255])],
    ];
    for (const [type, value] of cases) {
      expect(await fromLiteral(type, wire(await toLiteral(type, value as never)))).toEqual(value);
    }
  });

  it("refuse ints a JS number cannot hold exactly, both ways", async () => {
    await expect(toLiteral(t.int(), 2 ** 53)).rejects.toThrow(/expected an integer within ±\(2\^53-1\)/);
    await expect(toLiteral(t.int(), 1.5)).rejects.toThrow(/got number 1.5/);
    const big: Literal = { scalar: { primitive: { integer: Long.fromString("9007199254740993") } } };
    await expect(fromLiteral(t.int(), big)).rejects.toThrow(/beyond ±2\^53.*t\.int64\(\)/);
    expect(await fromLiteral(t.int64(), big)).toBe(9007199254740993n);
    await expect(toLiteral(t.int64(), 2n ** 63n)).rejects.toThrow(/int64 range/);
  });

  it("read what flytekit's decoders also accept: integral floats as ints, ints as floats", async () => {
    expect(await fromLiteral(t.int(), { scalar: { primitive: { floatValue: 3 } } })).toBe(3);
    expect(await fromLiteral(t.float(), { scalar: { primitive: { integer: Long.fromNumber(3) } } })).toBe(3);
    await expect(fromLiteral(t.int(), { scalar: { primitive: { floatValue: 3.5 } } })).rejects.toThrow(LiteralTypeError);
  });

  it("say what literal came when it is the wrong one", async () => {
    await expect(fromLiteral(t.string(), { scalar: { primitive: { integer: 1 } } })).rejects.toThrow("expected a str literal, got a integer primitive");
    await expect(fromLiteral(t.none(), { collection: { literals: [] } })).rejects.toThrow("got a collection literal");
  });
});

describe("collections and errors", () => {
  it("name the input, the path inside the value, what was expected and what came", async () => {
    const types = { rows: t.list(t.map(t.float())) };
    const error = await toLiteralMap(types, { rows: [{ a: 1 }, { b: "x" as unknown as number }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValueTypeError);
    expect((error as ValueTypeError).message).toBe('input "rows" at [1].b: expected a number, got string "x"');
    expect((error as ValueTypeError).issues[0]?.path).toEqual([1, "b"]);
  });

  it("report missing and undeclared inputs by name", async () => {
    await expect(toLiteralMap({ a: t.int() }, {} as never)).rejects.toThrow('input "a": expected a value of type int, got nothing');
    await expect(toLiteralMap({ a: t.int() }, { a: 1, b: 2 } as never)).rejects.toThrow(/undeclared value "b"/);
  });

  it("map keys keep their order and values their types", async () => {
    const type = t.map(t.list(t.int()));
    const literal = await toLiteral(type, { z: [1], a: [] });
    expect(Object.keys(literal.map?.literals ?? {})).toEqual(["z", "a"]);
    expect(await fromLiteral(type, wire(literal))).toEqual({ z: [1], a: [] });
  });

  it("validate through Standard Schema, with every issue and its path", async () => {
    const result = await t.list(t.int())["~standard"].validate([1, "2", 3.5]);
    expect(result.issues?.map((i) => i.path)).toEqual([[1], [2]]);
    expect(await t.list(t.int())["~standard"].validate([1, 2])).toEqual({ value: [1, 2] });
  });
});

describe("enums", () => {
  const color = t.enum(["red", "green", "blue"]);
  it("write the value's string and list the values in the type", async () => {
    expect(json(await toLiteral(color, "green"))).toEqual({ scalar: { primitive: { stringValue: "green" } } });
    expect(color.literalType).toEqual({ enumType: { values: ["red", "green", "blue"] } });
  });
  it("refuse other strings both ways", async () => {
    await expect(toLiteral(color, "purple" as never)).rejects.toThrow(/one of "red", "green", "blue"/);
    await expect(fromLiteral(color, { scalar: { primitive: { stringValue: "purple" } } })).rejects.toThrow(/"purple" is not one of/);
    expect(() => t.enum(["a", "a"])).toThrow(/distinct/);
  });
});

describe("decoded messages", () => {
  // protobufjs gives unset oneof members prototype defaults (Long 0, "", false): presence is own properties only.
  const decoded = (literal: Literal) => wire(literal);
  it("are read by the member actually set, not by prototype defaults", async () => {
    await expect(fromLiteral(t.int(), decoded({ scalar: { primitive: { stringValue: "x" } } }))).rejects.toThrow(/got a stringValue primitive/);
    expect(await fromLiteral(t.int(), decoded({ scalar: { primitive: { floatValue: 3 } } }))).toBe(3);
    expect(await fromLiteral(t.float(), decoded({ scalar: { primitive: { integer: 4 } } }))).toBe(4);
    await expect(fromLiteral(t.string(), decoded({ scalar: { primitive: { boolean: false } } }))).rejects.toThrow(/got a boolean primitive/);
    await expect(fromLiteral(t.boolean(), decoded({ scalar: { primitive: { integer: 0 } } }))).rejects.toThrow(LiteralTypeError);
    await expect(fromLiteral(t.enum(["a"]), decoded({ scalar: { primitive: { integer: 1 } } }))).rejects.toThrow(/enum string literal/);
  });
});
