import Long from "long";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { flyteidl, toProtoJson } from "@flytekit-ts/idl";
import { ValueTypeError, fromLiteral, issuesOf, t, toLiteral, type Literal, type TypeDescriptor } from "../src/index.js";

const json = (literal: Literal) => toProtoJson(flyteidl.core.Literal, flyteidl.core.Literal.fromObject(literal as { [k: string]: unknown }));

describe("optional and union", () => {
  it("write Optional[int] as flytekit does: a union scalar carrying the tagged variant type", async () => {
    const type = t.optional(t.int());
    expect(toProtoJson(flyteidl.core.LiteralType, flyteidl.core.LiteralType.fromObject(type.literalType as { [k: string]: unknown }))).toEqual({
      unionType: { variants: [{ simple: "INTEGER", structure: { tag: "int" } }, { simple: "NONE", structure: { tag: "none" } }] },
    });
    expect(json(await toLiteral(type, null))).toEqual({
      scalar: { union: { value: { scalar: { noneType: {} } }, type: { simple: "NONE", structure: { tag: "none" } } } },
    });
  });

  it("pick the first variant that accepts the value (declaration order settles 3 vs 3.0)", async () => {
    const type = t.union(t.int(), t.float(), t.string());
    expect((await toLiteral(type, 3)).scalar?.union?.type?.structure?.tag).toBe("int");
    expect((await toLiteral(type, 3.5)).scalar?.union?.type?.structure?.tag).toBe("float");
    expect((await toLiteral(type, "x")).scalar?.union?.type?.structure?.tag).toBe("str");
    await expect(toLiteral(type, true as never)).rejects.toThrow("expected int or float or str, got boolean true");
  });

  it("read by the stored tag, so a float that happens to be integral stays a float", async () => {
    const type = t.union(t.int(), t.float());
    const stored: Literal = {
      scalar: { union: { value: { scalar: { primitive: { floatValue: 2 } } }, type: { simple: flyteidl.core.SimpleType.FLOAT, structure: { tag: "float" } } } },
    };
    expect(await fromLiteral(type, stored)).toBe(2);
    const wrongTag: Literal = { scalar: { union: { value: { scalar: { primitive: { stringValue: "x" } } }, type: { simple: 3, structure: { tag: "str" } } } } };
    await expect(fromLiteral(type, wrongTag)).rejects.toThrow(/tagged "str" matches no variant/);
  });

  it("read a plain literal from an upstream that produced the bare type", async () => {
    expect(await fromLiteral(t.optional(t.int()), { scalar: { primitive: { integer: Long.fromNumber(5) } } })).toBe(5);
    expect(await fromLiteral(t.optional(t.int()), { scalar: { noneType: {} } })).toBeNull();
  });

  // Found by the flytekit property test (conformance/python vectors, seed 604370359): a dataclass whose
  // fields all have defaults, before datetime in a union. zod accepts any object for such a schema, so a
  // Date was written as a default-filled dataclass, which flytekit read back as the dataclass variant.
  it("never take a Date (or other built-in object) for a struct whose fields all have defaults", async () => {
    const shape = t.struct(z.object({ sides: z.int().default(3), tags: z.array(z.string()).default([]) }), { title: "Shape" });
    const when = new Date("2024-05-01T12:00:00Z");
    const type = t.union(shape, t.datetime(), t.enum(["red"]));

    const literal = await toLiteral(type, when);
    expect(literal.scalar?.union?.type?.structure?.tag).toBe("datetime");
    expect(literal.scalar?.union?.value?.scalar?.primitive?.datetime).toBeDefined();
    expect(await fromLiteral(type, literal)).toEqual(when);
    // A real record still goes to the struct.
    expect(await fromLiteral(type, await toLiteral(type, { sides: 4, tags: ["a"] }))).toEqual({ sides: 4, tags: ["a"] });

    for (const notARecord of [when, new Uint8Array(2), new Map(), new Set(), /x/]) {
      expect(issuesOf(shape, notARecord)).toEqual([{ path: [], expected: "struct<Shape>: an object of its fields", got: expect.any(String) }]);
    }
    // As a JavaScript caller (or a wrong cast) may pass it: a clear error, not a default-filled Shape.
    const untyped = shape as TypeDescriptor<unknown>;
    await expect(toLiteral(untyped, when)).rejects.toThrow(ValueTypeError);
    await expect(toLiteral(untyped, when)).rejects.toThrow(/struct<Shape>: an object of its fields.*Date 2024-05-01/s);
  });
});
