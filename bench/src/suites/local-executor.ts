import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { cleanEnv } from "../shared.js";
import { median, type Row } from "../stats.js";

const benchDir = fileURLToPath(new URL("../..", import.meta.url));
const bin = fileURLToPath(new URL("../../../packages/cli/dist/bin.js", import.meta.url));
const hook = join(benchDir, "fixtures", "report-usage.mjs");

/** Targets of issue 13: wall time and peak RSS of a whole local run. */
const TARGET = { 10_000: { ms: 3_000 }, 50_000: { ms: 15_000, mb: 1024 } } as const;

interface Run {
  ms: number;
  cpuMs: number;
  mb: number;
}

/** `flyte-ts run` of a dynamic fanning out to `n` nodes, in a fresh process: compiled, checked and every node run. */
function runOnce(n: number): Run {
  const dir = mkdtempSync(join(tmpdir(), "flyte-ts-bench-local-"));
  const usageFile = join(dir, "usage.json");
  const start = performance.now();
  const out = execFileSync(process.execPath, ["--import", hook, bin, "run", "fixtures/local-flows.mjs", "fanOut", "--n", String(n), "--no-cache", "-q"], {
    cwd: benchDir,
    env: { ...cleanEnv(), FLYTE_TS_USAGE_FILE: usageFile },
    maxBuffer: 64 * 1024 * 1024,
    stdio: ["ignore", "pipe", "ignore"],
  });
  const ms = performance.now() - start;
  const items = (JSON.parse(out.toString("utf8")) as { o0: string[] }).o0;
  if (items.length !== n || items[n - 1] !== `v${n - 1}`) throw new Error(`local fan-out of ${n} returned ${items.length} items`);
  const usage = JSON.parse(readFileSync(usageFile, "utf8")) as { peakKb: number; cpuUs: number };
  return { ms, cpuMs: usage.cpuUs / 1000, mb: usage.peakKb / 1024 };
}

function measure(n: number, runs: number): Run {
  const results = Array.from({ length: runs }, () => runOnce(n));
  return { ms: median(results.map((r) => r.ms)), cpuMs: median(results.map((r) => r.cpuMs)), mb: Math.max(...results.map((r) => r.mb)) };
}

/**
 * The local executor at scale: `flyte-ts run` (the built binary) of a dynamic of 10,000 and of 50,000 task
 * nodes, end to end. Growth must be linear: 5× the nodes may cost at most about 5× the time and memory
 * (less, as start-up is shared), which the ratio rows show.
 */
export function localExecutorSuite(): Row[] {
  const small = measure(10_000, 3);
  const large = measure(50_000, 2);
  return [
    { what: "local run, dynamic of 10,000 nodes (process start → outputs printed)", ms: small.ms, note: `target < ${TARGET[10_000].ms} ms; CPU ${small.cpuMs.toFixed(0)} ms` },
    { what: "local run, dynamic of 10,000 nodes: peak RSS", ms: small.mb, unit: "MB" },
    { what: "local run, dynamic of 50,000 nodes (process start → outputs printed)", ms: large.ms, note: `target < ${TARGET[50_000].ms} ms; CPU ${large.cpuMs.toFixed(0)} ms` },
    { what: "local run, dynamic of 50,000 nodes: peak RSS", ms: large.mb, unit: "MB", note: `target < ${TARGET[50_000].mb} MB` },
    { what: "local run, 10k → 50k: ratio of wall time (linear ≤ 5)", ms: large.ms / small.ms, unit: "×", note: `CPU time ratio ${(large.cpuMs / small.cpuMs).toFixed(2)}×` },
    { what: "local run, 10k → 50k: ratio of peak RSS (linear ≤ 5)", ms: large.mb / small.mb, unit: "×" },
  ];
}
