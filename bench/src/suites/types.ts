import { flyteidl } from "@flytekit-ts/idl";
import { fromLiteral, localContext, t, toLiteral, type Literal, type TypeDescriptor } from "@flytekit-ts/types";
import { z } from "zod";
import type { FlytekitBench, TypesTiming } from "../flytekit/driver.js";
import { baseline, interleave, median, medianOf, time, type Row } from "../stats.js";

/** shared/golden/flytekit/PERF.md (b): medians, milliseconds — the fallback when flytekit is not installed. */
const STORED = {
  ints: { toLiteral: 2002, encode: 911, decode: 885, fromLiteral: 1127 },
  objects: { toLiteral: 392, encode: 87, decode: 118, fromLiteral: 155 },
};
const RUNS = 7;
/** flytekit takes seconds per round for 100,000 ints under load: fewer rounds when it runs beside us. */
const LIVE_RUNS = 3;

type Steps = Omit<TypesTiming, "bytes">;
const STEPS = ["toLiteral", "encode", "decode", "fromLiteral"] as const;

async function roundTripRows<T>(label: string, type: TypeDescriptor<T>, value: T, which: keyof typeof STORED, flytekit: FlytekitBench | undefined): Promise<Row[]> {
  const ctx = localContext();
  const { Literal: LiteralMsg } = flyteidl.core;
  const ours = async (): Promise<Steps & { bytes: number }> => {
    let literal: Literal | undefined;
    let bytes: Uint8Array = new Uint8Array();
    let decoded: Literal | undefined;
    const toLit = await time(async () => (literal = await toLiteral(type, value, ctx)));
    // Plain-object literals encode directly; fromObject is not needed on the hot path.
    const encode = await time(() => (bytes = LiteralMsg.encode(literal as flyteidl.core.Literal).finish()));
    const decode = await time(() => (decoded = LiteralMsg.decode(bytes)));
    const fromLit = await time(() => fromLiteral(type, decoded as Literal, ctx));
    return { toLiteral: toLit, encode, decode, fromLiteral: fromLit, bytes: bytes.length };
  };
  const theirs = flytekit ? () => flytekit.call("types", { case: which }) : undefined;
  const rounds = await interleave(flytekit ? LIVE_RUNS : RUNS, ours, theirs);
  const total = (r: Steps) => r.toLiteral + r.encode + r.decode + r.fromLiteral;
  const stored = STORED[which];
  const rows: Row[] = STEPS.map((step) => ({
    what: `${label}: ${{ toLiteral: "value → literal", encode: "literal → bytes", decode: "bytes → literal", fromLiteral: "literal → value" }[step]}`,
    ms: medianOf(rounds.ours, step),
    ...baseline(rounds.theirs.map((r) => r[step]), stored[step]),
    ...(step === "encode" ? { note: `${((rounds.ours[0]?.bytes ?? 0) / 1024).toFixed(0)} KB${rounds.theirs[0] ? `; flytekit ${(rounds.theirs[0].bytes / 1024).toFixed(0)} KB` : ""}` } : {}),
  }));
  rows.push({
    what: `${label}: end to end`,
    ms: median(rounds.ours.map(total)),
    ...baseline(rounds.theirs.map(total), total(stored)),
    note: which === "ints" ? "target ≥ 30×" : "target ≥ 10×",
  });
  return rows;
}

export async function typesSuite(flytekit?: FlytekitBench): Promise<Row[]> {
  const ints = Array.from({ length: 100_000 }, (_, i) => i);
  const SmallDC = t.struct(z.object({ id: z.int(), name: z.string(), score: z.number(), ok: z.boolean() }), { title: "SmallDC" });
  const objects = Array.from({ length: 10_000 }, (_, i) => ({ id: i, name: `name-${i}`, score: i * 0.5, ok: i % 2 === 0 }));
  return [
    ...(await roundTripRows("100,000 ints (List[int])", t.list(t.int()), ints, "ints", flytekit)),
    ...(await roundTripRows("10,000 objects (List[SmallDC])", t.list(SmallDC), objects, "objects", flytekit)),
  ];
}
