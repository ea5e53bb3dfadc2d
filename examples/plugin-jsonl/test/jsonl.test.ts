import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { checkTypeConformance, fromLiteral, isCastable, localContext, t, toLiteral } from "@flytekit-ts/types";
import { jsonLines } from "../src/index.js";

const Row = t.struct(z.object({ id: z.int(), name: z.string() }), { title: "Row" });
const rows = jsonLines(Row);
const ctx = () => {
  const dir = mkdtempSync(join(tmpdir(), "jsonl-"));
  return localContext({ rawOutputPrefix: join(dir, "raw"), workDir: join(dir, "work") });
};

describe("the jsonLines plugin type", () => {
  it("passes the type engine's conformance helper", async () => {
    const report = await checkTypeConformance(rows, {
      valid: [[], [{ id: 1, name: "a" }], [{ id: 2, name: "b" }, { id: 3, name: "ü" }]],
      invalid: [null, [{ id: "1", name: "a" }], "rows"],
      ctx: ctx(),
    });
    expect(report.failures).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it("is refused by the conformance helper when it breaks the contract", async () => {
    // A type whose reader drops records must fail the round trip.
    const lossy = { ...rows, fromLiteral: async () => [] };
    const report = await checkTypeConformance(lossy, { valid: [[{ id: 1, name: "a" }]], ctx: ctx() });
    expect(report.ok).toBe(false);
    expect(report.failures[0]).toMatch(/came back different/);
  });

  it("writes a jsonl file under the raw output prefix and binds only to jsonl consumers", async () => {
    const c = ctx();
    const literal = await toLiteral(rows, [{ id: 1, name: "a" }], c);
    expect(literal.scalar?.blob?.uri).toMatch(/\/raw\/[0-9a-f]{32}\.jsonl$/);
    expect(await fromLiteral(rows, literal, c)).toEqual([{ id: 1, name: "a" }]);
    expect(isCastable(rows.literalType, t.file({ format: "jsonl" }).literalType)).toBe(true);
    expect(isCastable(rows.literalType, t.file({ format: "csv" }).literalType)).toBe(false);
  });
});
