import { flyteidl } from "@flytekit-ts/idl";
import { fromLiteral, localContext, t, toLiteral, type Literal, type TypeDescriptor } from "@flytekit-ts/types";
import { z } from "zod";
import { median, sample, type Row } from "../stats.js";

/** shared/golden/flytekit/PERF.md (b): medians, milliseconds. */
const FLYTEKIT = {
  ints: { toLiteral: 2002, encode: 911, decode: 885, fromLiteral: 1127 },
  objects: { toLiteral: 392, encode: 87, decode: 118, fromLiteral: 155 },
};
const RUNS = 7;

async function roundTripRows<T>(label: string, type: TypeDescriptor<T>, value: T, baseline: typeof FLYTEKIT.ints): Promise<Row[]> {
  const ctx = localContext();
  const { Literal: LiteralMsg } = flyteidl.core;
  let literal: Literal = await toLiteral(type, value, ctx);
  let bytes = LiteralMsg.encode(LiteralMsg.fromObject(literal as { [k: string]: unknown })).finish();
  let decoded: Literal = LiteralMsg.decode(bytes);

  const toLit = median(await sample(async () => (literal = await toLiteral(type, value, ctx)), RUNS));
  // Plain-object literals encode directly; fromObject is not needed on the hot path.
  const encode = median(await sample(() => (bytes = LiteralMsg.encode(literal as flyteidl.core.Literal).finish()), RUNS));
  const decode = median(await sample(() => (decoded = LiteralMsg.decode(bytes)), RUNS));
  const fromLit = median(await sample(() => fromLiteral(type, decoded, ctx), RUNS));
  const total = toLit + encode + decode + fromLit;
  const flytekitTotal = baseline.toLiteral + baseline.encode + baseline.decode + baseline.fromLiteral;
  return [
    { what: `${label}: value → literal`, ms: toLit, flytekitMs: baseline.toLiteral },
    { what: `${label}: literal → bytes`, ms: encode, flytekitMs: baseline.encode, note: `${(bytes.length / 1024).toFixed(0)} KB` },
    { what: `${label}: bytes → literal`, ms: decode, flytekitMs: baseline.decode },
    { what: `${label}: literal → value`, ms: fromLit, flytekitMs: baseline.fromLiteral },
    { what: `${label}: end to end`, ms: total, flytekitMs: flytekitTotal, note: label.includes("ints") ? "target ≥ 30×" : "target ≥ 10×" },
  ];
}

export async function typesSuite(): Promise<Row[]> {
  const ints = Array.from({ length: 100_000 }, (_, i) => i);
  const SmallDC = t.struct(z.object({ id: z.int(), name: z.string(), score: z.number(), ok: z.boolean() }), { title: "SmallDC" });
  const objects = Array.from({ length: 10_000 }, (_, i) => ({ id: i, name: `name-${i}`, score: i * 0.5, ok: i % 2 === 0 }));
  return [
    ...(await roundTripRows("100,000 ints (List[int])", t.list(t.int()), ints, FLYTEKIT.ints)),
    ...(await roundTripRows("10,000 objects (List[SmallDC])", t.list(SmallDC), objects, FLYTEKIT.objects)),
  ];
}
