import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { encodeMessage, fromProtoJson, messageClass, toProtoJson } from "../src/index.js";
import { conformanceIndex, conformancePath } from "./shared.js";

/** Paths (inside a decoded message tree) of messages that carried fields the schema does not know. */
function unknownFieldPaths(value: unknown, path = "$"): string[] {
  if (value === null || typeof value !== "object") return [];
  const found = Object.prototype.hasOwnProperty.call(value, "$unknowns") ? [path] : [];
  for (const [key, child] of Object.entries(value)) found.push(...unknownFieldPaths(child, `${path}.${key}`));
  return found;
}

const binaries = conformanceIndex.filter((e) => e.format === "pb");
const texts = conformanceIndex.filter((e) => e.format !== "pb");

describe("conformance fixtures", () => {
  it("are all present: 439 binary, 176 JSON/YAML", () => {
    expect(binaries).toHaveLength(439);
    expect(texts).toHaveLength(176);
  });

  it.each(binaries.map((e) => [e.file, e] as const))("%s decodes cleanly and re-encodes byte-identical", (_, entry) => {
    const bytes = readFileSync(conformancePath(entry.file));
    const cls = messageClass(entry.messageType);
    const message = cls.decode(bytes);
    expect(unknownFieldPaths(message)).toEqual([]);
    expect(cls.verify(message as { [k: string]: unknown })).toBeNull();
    expect(Buffer.from(encodeMessage(cls, message)).equals(bytes)).toBe(true);
  });

  it.each(texts.map((e) => [e.file, e] as const))("%s parses strictly as proto3 JSON", (_, entry) => {
    const text = readFileSync(conformancePath(entry.file), "utf8");
    const source: unknown = entry.format === "json" ? JSON.parse(text) : parseYaml(text);
    const cls = messageClass(entry.messageType);
    const message = fromProtoJson(cls, source);
    const bytes = encodeMessage(cls, message);
    const decoded = cls.decode(bytes);
    expect(Buffer.from(encodeMessage(cls, decoded)).equals(Buffer.from(bytes))).toBe(true);

    const reemitted = toProtoJson(cls, decoded);
    if (entry.verification.jsonReemitEqual) {
      // Same JSON as the source, ignoring key order.
      expect(reemitted).toEqual(source);
    } else {
      // The source wrote defaults or snake_case names out; the canonical form must still mean the same.
      expect(Buffer.from(encodeMessage(cls, fromProtoJson(cls, reemitted))).equals(Buffer.from(bytes))).toBe(true);
    }
  });
});

describe("the same message in three encodings", () => {
  const groups = new Map<string, typeof conformanceIndex>();
  for (const entry of conformanceIndex) {
    const stem = entry.file.replace(/\.(pb|json|yaml)(\.golden)?$/, "");
    groups.set(stem, [...(groups.get(stem) ?? []), entry]);
  }
  const triples = [...groups.entries()].filter(([, entries]) => new Set(entries.map((e) => e.format)).size === 3);

  it("exists in the fixtures", () => {
    expect(triples.map(([stem]) => stem.split("/").pop())).toEqual(["inputs", "workflow", "workflow_w_inputs"]);
  });

  it.each(triples)("%s: .pb, .json and .yaml hold the same message", (_, entries) => {
    const encodings = entries.map((entry) => {
      const cls = messageClass(entry.messageType);
      const raw = readFileSync(conformancePath(entry.file));
      const message =
        entry.format === "pb"
          ? cls.decode(raw)
          : fromProtoJson(cls, entry.format === "json" ? JSON.parse(raw.toString()) : parseYaml(raw.toString()));
      return toProtoJson(cls, message);
    });
    expect(encodings[1]).toEqual(encodings[0]);
    expect(encodings[2]).toEqual(encodings[0]);
  });
});
