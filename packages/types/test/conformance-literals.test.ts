import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { flyteidl, fromProtoJson } from "@flytekit-ts/idl";
import { fromLiteral, guessType, isCastable, literalTypeOf, t, toLiteral } from "../src/index.js";
import { sharedDir } from "./shared.js";

interface Entry {
  file: string;
  format: string;
  messageType: string;
}
const index = JSON.parse(readFileSync(join(sharedDir, "conformance", "index.json"), "utf8")) as Entry[];
const literalMaps = index.filter((e) => e.messageType === "flyteidl.core.LiteralMap");

function load(entry: Entry): flyteidl.core.LiteralMap {
  const raw = readFileSync(join(sharedDir, "conformance", entry.file));
  if (entry.format === "pb") return flyteidl.core.LiteralMap.decode(raw);
  const json: unknown = entry.format === "json" ? JSON.parse(raw.toString()) : parseYaml(raw.toString());
  return fromProtoJson(flyteidl.core.LiteralMap, json);
}

describe("the LiteralMaps in the conformance fixtures", () => {
  it("are all there", () => {
    expect(literalMaps).toHaveLength(10);
  });

  it.each(literalMaps.map((e) => [e.file, e] as const))("%s reads through descriptors guessed from its literals", async (_, entry) => {
    const map = load(entry);
    for (const [name, literal] of Object.entries(map.literals)) {
      const type = literalTypeOf(literal);
      const value = await fromLiteral(guessType(type), literal);
      // Writing the value back gives a literal of the same inferred type.
      const again = await toLiteral(guessType(type), value);
      expect(isCastable(literalTypeOf(again), type), name).toBe(true);
    }
  });
});

describe("literalTypeOf", () => {
  it("infers what FlytePropeller infers for constants", async () => {
    expect(literalTypeOf(await toLiteral(t.list(t.int()), []))).toEqual({ collectionType: { simple: flyteidl.core.SimpleType.NONE } });
    expect(literalTypeOf(await toLiteral(t.json(), { a: 1 })).simple).toBe(flyteidl.core.SimpleType.STRUCT);
    expect(literalTypeOf(await toLiteral(t.bytes(), new Uint8Array())).simple).toBe(flyteidl.core.SimpleType.BINARY);
    const union = literalTypeOf(await toLiteral(t.optional(t.string()), "x"));
    expect(union.unionType?.variants?.[0]?.structure?.tag).toBe("str");
    expect(isCastable(union, t.optional(t.string()).literalType)).toBe(true);
  });
});
