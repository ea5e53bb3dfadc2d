import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { REGISTRATION_CONTEXT_ENV, encodeRegistrationContext } from "@flytekit-ts/compiler";
import { flyteidl } from "@flytekit-ts/idl";
import { pythonDir, type FlytekitBench } from "../flytekit/driver.js";
import { cleanEnv } from "../shared.js";
import { baseline, interleave, median, type Row } from "../stats.js";

/** shared/golden/flytekit/PERF.md (a): one pyflyte-execute process, wall time and peak RSS — the fallback when flytekit is not installed. */
const STORED = { trivial: { ms: 1290, mb: 97.7 }, fanOut10k: { ms: 3160, mb: 154.6 } };

const benchDir = fileURLToPath(new URL("../..", import.meta.url));
const bin = fileURLToPath(new URL("../../../packages/cli/dist/bin.js", import.meta.url));
const hook = join(benchDir, "fixtures", "report-rss.mjs");

interface ProcessRun {
  ms: number;
  mb: number;
  file: string;
}

/** Runs one container process and reads back its wall time, peak RSS (the hook writes it) and the one file it left. */
function timedProcess(command: string, args: string[], env: NodeJS.ProcessEnv, dir: string): ProcessRun {
  const rssFile = join(dir, "rss");
  const start = performance.now();
  execFileSync(command, args, { cwd: benchDir, env: { ...env, FLYTE_TS_RSS_FILE: rssFile }, stdio: ["ignore", "ignore", "ignore"] });
  const ms = performance.now() - start;
  return { ms, mb: Number(readFileSync(rssFile, "utf8")) / 1024, file: readdirSync(join(dir, "out"))[0] ?? "" };
}

/** One TypeScript container run: a fresh process, inputs.pb in, one result file out. */
function ours(name: string, inputs: Uint8Array, env: Record<string, string>): ProcessRun {
  const dir = mkdtempSync(join(tmpdir(), "flyte-ts-bench-ep-"));
  writeFileSync(join(dir, "inputs.pb"), inputs);
  const args = ["--import", hook, bin, "execute", "--inputs", join(dir, "inputs.pb"), "--output-prefix", join(dir, "out"), "--raw-output-data-prefix", join(dir, "raw"), "--", "module", "fixtures/flows.mjs", "name", name];
  return timedProcess(process.execPath, args, { ...cleanEnv(), ...env }, dir);
}

/** The same run of the Python twin through the real pyflyte-execute (wrapped to record its peak RSS), with a pod's environment. */
async function theirs(flytekit: FlytekitBench, task: "hello" | "fan_out", a: number): Promise<ProcessRun> {
  const dir = mkdtempSync(join(tmpdir(), "flytekit-bench-ep-"));
  const { env, args } = await flytekit.call("prepare_exec", { task, a, directory: dir });
  return timedProcess(flytekit.env.python, [join(pythonDir, "rss_exec.py"), ...args], { ...cleanEnv(), ...env }, dir);
}

async function measure(name: string, task: "hello" | "fan_out", a: number, env: Record<string, string>, runs: number, expected: string, flytekit: FlytekitBench | undefined) {
  const rounds = await interleave(runs, () => ours(name, literalMap(a), env), flytekit ? () => theirs(flytekit, task, a) : undefined, 0);
  for (const r of [...rounds.ours, ...rounds.theirs]) if (r.file !== expected) throw new Error(`${name} wrote ${r.file}, expected ${expected}`);
  const peak = (runs: ProcessRun[]) => (runs.length ? [Math.max(...runs.map((r) => r.mb))] : []);
  return {
    ms: median(rounds.ours.map((r) => r.ms)),
    mb: Math.max(...rounds.ours.map((r) => r.mb)),
    theirsMs: rounds.theirs.map((r) => r.ms),
    theirsMb: peak(rounds.theirs),
  };
}

const literalMap = (a: number) => flyteidl.core.LiteralMap.encode({ literals: { a: { scalar: { primitive: { integer: a } } } } }).finish();

export async function entrypointSuite(flytekit?: FlytekitBench): Promise<Row[]> {
  const trivial = await measure("hello", "hello", 1, {}, 9, "outputs.pb", flytekit);
  const env = { [REGISTRATION_CONTEXT_ENV]: encodeRegistrationContext({ project: "p", domain: "d", version: "v", image: "img", locations: { "bench.t1": { module: "fixtures/flows.mjs", name: "t1" } } }) };
  const fan = await measure("fanOut", "fan_out", 10_000, env, 5, "futures.pb", flytekit);
  const target = (mb: number[], stored: number) => `target ≤ ${((mb[0] ?? stored) / 2).toFixed(1)} MB`;
  return [
    { what: "entrypoint cold start, trivial task (process start → outputs.pb)", ms: trivial.ms, ...baseline(trivial.theirsMs, STORED.trivial.ms), note: "target ≥ 8×" },
    { what: "entrypoint cold start, trivial task: peak RSS", ms: trivial.mb, unit: "MB", ...baseline(trivial.theirsMb, STORED.trivial.mb), note: target(trivial.theirsMb, STORED.trivial.mb) },
    { what: "entrypoint, dynamic fan-out to 10,000 nodes (process → futures.pb)", ms: fan.ms, ...baseline(fan.theirsMs, STORED.fanOut10k.ms), note: "target ≥ 8×" },
    { what: "entrypoint, dynamic fan-out to 10,000 nodes: peak RSS", ms: fan.mb, unit: "MB", ...baseline(fan.theirsMb, STORED.fanOut10k.mb), note: target(fan.theirsMb, STORED.fanOut10k.mb) },
  ];
}
