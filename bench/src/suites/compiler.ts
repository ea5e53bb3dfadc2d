import { execFileSync } from "node:child_process";
import { flyteidl } from "@flytekit-ts/idl";
import { registrationBundle, serializationContext, encodeEntry, compileDynamic, dynamic, task, workflow, type Ref } from "@flytekit-ts/compiler";
import { t } from "@flytekit-ts/types";
import type { DynamicTiming, FlytekitBench } from "../flytekit/driver.js";
import { baseline, interleave, median, medianOf, time, type Row } from "../stats.js";

/** shared/golden/flytekit/PERF.md (a) and (d), milliseconds / bytes — the fallback when flytekit is not installed. */
const FLYTEKIT = {
  dynamic: {
    1_000: { build: 118, encode: 45, bytes: 112_222 },
    10_000: { build: 1462, encode: 492, bytes: 1_138_225 },
  } as Record<number, { build: number; encode: number; bytes: number }>,
  // Compile (run the body with promises) + get_serializable + WorkflowSpec -> bytes, for the two 1000-node workflows.
  staticChain: 208 + 11 + 46,
  staticWide: 239 + 10 + 54,
};

const ctx = serializationContext({ project: "flytesnacks", domain: "development", version: "v1", image: "ghcr.io/acme/app:v1" });

export const t1 = task({ name: "examples.dynamic_fanout.t1", inputs: { a: t.int() }, outputs: { o0: t.string() } }, ({ a }) => ({ o0: `v${a}` }));
export const fanOut = dynamic(
  { name: "examples.dynamic_fanout.my_dynamic_subwf", inputs: { a: t.int() }, outputs: { o0: t.list(t.string()), o1: t.int() } },
  ({ a }) => {
    const s: Ref<string>[] = [];
    for (let i = 0; i < a; i++) s.push(t1({ a: i }).o0);
    return { o0: s, o1: 5 };
  },
);

const inc = task({ name: "perfpkg.big_wf.inc", inputs: { x: t.int() }, outputs: { o0: t.int() } }, ({ x }) => ({ o0: x + 1 }));
const N = 1000;
const chain = workflow({ name: "perfpkg.big_wf.big_chain_wf", inputs: { x: t.int() }, outputs: { o0: t.int() }, defaults: { x: 0 } }, ({ x }) => {
  let v: Ref<number> = x;
  for (let i = 0; i < N; i++) v = inc({ x: v }).o0;
  return { o0: v };
});
const wide = workflow({ name: "perfpkg.big_wf.big_wide_wf", inputs: { x: t.int() }, outputs: { o0: t.list(t.int()) }, defaults: { x: 0 } }, ({ x }) => ({
  o0: Array.from({ length: N }, () => inc({ x }).o0),
}));

async function dynamicRows(n: number, runs: number, flytekit: FlytekitBench | undefined): Promise<Row[]> {
  let spec: Awaited<ReturnType<typeof compileDynamic>> | undefined;
  const ours = async (): Promise<DynamicTiming> => {
    const build = await time(async () => (spec = await compileDynamic(fanOut, { a: n }, ctx, { warn: () => undefined })));
    if (spec?.kind !== "futures") throw new Error("no futures");
    // Read back from the bytes (the compiler does not keep the nodes), outside the timed part;
    // compileDynamic already returns the bytes, so "encode" only shows where the time goes.
    const message = spec.spec as flyteidl.core.DynamicJobSpec;
    const encode = await time(() => flyteidl.core.DynamicJobSpec.encode(message).finish());
    return { build, encode, bytes: spec.bytes.length, nodes: message.nodes.length };
  };
  // flytekit has no figure for 100,000 nodes (and would take minutes): it runs beside the smaller ones.
  const live = flytekit && n <= 10_000 ? flytekit : undefined;
  const rounds = await interleave(runs, ours, live ? () => live.call("dynamic", { n }) : undefined);
  const stored = FLYTEKIT.dynamic[n];
  const first = rounds.ours[0] as DynamicTiming;
  const theirs = rounds.theirs[0];
  const flytekitBytes = theirs ? theirs.bytes / theirs.nodes : stored ? stored.bytes / n : undefined;
  return [
    {
      what: `dynamic fan-out, ${n} nodes: run body + build spec + encode`,
      ms: medianOf(rounds.ours, "build"),
      ...baseline(rounds.theirs.map((r) => r.build + r.encode), stored ? stored.build + stored.encode : undefined),
      note: n === 10_000 ? "target ≥ 20×" : n === 100_000 ? "target < 2 s" : "",
    },
    { what: `dynamic fan-out, ${n} nodes: encode alone`, ms: medianOf(rounds.ours, "encode"), ...baseline(rounds.theirs.map((r) => r.encode), stored?.encode) },
    {
      what: `dynamic fan-out, ${n} nodes: bytes per node`,
      ms: first.bytes / first.nodes,
      unit: "B/node",
      ...(flytekitBytes === undefined ? {} : { flytekitMs: flytekitBytes, flytekitSource: theirs ? ("live" as const) : ("stored" as const) }),
      note: `${first.bytes} B in all; target: no more than flytekit`,
    },
  ];
}

/** Peak RSS of a fresh process building the 100k-node spec (the memory target is for the whole process). */
function peakMemoryMb(n: number): number {
  const script = `
    const { fanOut } = await import(${JSON.stringify(new URL("./compiler.ts", import.meta.url).href)});
    const { compileDynamic, serializationContext } = await import("@flytekit-ts/compiler");
    const ctx = serializationContext({ project: "p", domain: "d", version: "v", image: "i" });
    await compileDynamic(fanOut, { a: ${n} }, ctx, { warn: () => undefined });
    // VmHWM: this process's own peak (getrusage's counts a large parent's size in; see fixtures/report-rss.mjs).
    const { readFileSync } = await import("node:fs");
    const hwm = /^VmHWM:\\s+(\\d+) kB$/m.exec(readFileSync("/proc/self/status", "utf8"));
    process.stdout.write(String((hwm ? Number(hwm[1]) : process.resourceUsage().maxRSS) / 1024));
  `;
  const tsx = new URL("../../node_modules/tsx/dist/cli.mjs", import.meta.url).pathname;
  return Number(execFileSync(process.execPath, [tsx, "--input-type=module", "-e", script], { cwd: new URL("../..", import.meta.url).pathname, encoding: "utf8" }));
}

export async function compilerSuite(flytekit?: FlytekitBench): Promise<Row[]> {
  const rows: Row[] = [];
  rows.push(...(await dynamicRows(1_000, 7, flytekit)));
  rows.push(...(await dynamicRows(10_000, 5, flytekit)));
  rows.push(...(await dynamicRows(100_000, 3, flytekit)));
  rows.push({ what: "dynamic fan-out, 100,000 nodes: peak RSS of the whole process", ms: peakMemoryMb(100_000), unit: "MB", note: "target < 500 MB" });
  for (const [label, wf, which, stored] of [["1000-node chain", chain, "chain", FLYTEKIT.staticChain], ["1000-node wide", wide, "wide", FLYTEKIT.staticWide]] as const) {
    const ours = () =>
      time(async () => {
        const entries = await registrationBundle([wf], ctx);
        for (const entry of entries) encodeEntry(entry);
      });
    const rounds = await interleave(7, ours, flytekit ? () => flytekit.call("static", { which }) : undefined);
    rows.push({ what: `static workflow, ${label}: compile + serialize + encode`, ms: median(rounds.ours), ...baseline(rounds.theirs, stored), note: "target ≥ 10×" });
  }
  return rows;
}
