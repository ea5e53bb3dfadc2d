import Long from "long";
import { describe, expect, it } from "vitest";
import { flyteidl, toProtoJson } from "@flytekit-ts/idl";
import { fromLiteral, t, toLiteral, type Literal } from "../src/index.js";

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
});
