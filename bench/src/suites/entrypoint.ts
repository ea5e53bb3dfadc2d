import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { REGISTRATION_CONTEXT_ENV, encodeRegistrationContext } from "@flytekit-ts/compiler";
import { flyteidl } from "@flytekit-ts/idl";
import { cleanEnv } from "../shared.js";
import { median, type Row } from "../stats.js";

/** shared/golden/flytekit/PERF.md (a): one pyflyte-execute process, wall time and peak RSS. */
const FLYTEKIT = { trivial: { ms: 1290, mb: 97.7 }, fanOut10k: { ms: 3160, mb: 154.6 } };

const benchDir = fileURLToPath(new URL("../..", import.meta.url));
const bin = fileURLToPath(new URL("../../../packages/cli/dist/bin.js", import.meta.url));
const hook = join(benchDir, "fixtures", "report-rss.mjs");

/** One container run: a fresh process, inputs.pb in, one result file out. Returns wall ms and peak MB. */
function runOnce(name: string, inputs: Uint8Array, env: Record<string, string>): { ms: number; mb: number; file: string } {
  const dir = mkdtempSync(join(tmpdir(), "flyte-ts-bench-ep-"));
  writeFileSync(join(dir, "inputs.pb"), inputs);
  const rssFile = join(dir, "rss");
  const start = performance.now();
  execFileSync(
    process.execPath,
    ["--import", hook, bin, "execute", "--inputs", join(dir, "inputs.pb"), "--output-prefix", join(dir, "out"), "--raw-output-data-prefix", join(dir, "raw"), "--", "module", "fixtures/flows.mjs", "name", name],
    { cwd: benchDir, env: { ...cleanEnv(), ...env, FLYTE_TS_RSS_FILE: rssFile }, stdio: ["ignore", "ignore", "ignore"] },
  );
  const ms = performance.now() - start;
  return { ms, mb: Number(readFileSync(rssFile, "utf8")) / 1024, file: readdirSync(join(dir, "out"))[0] ?? "" };
}

function measure(name: string, inputs: Uint8Array, env: Record<string, string>, runs: number, expected: string) {
  const results = Array.from({ length: runs }, () => runOnce(name, inputs, env));
  for (const r of results) if (r.file !== expected) throw new Error(`${name} wrote ${r.file}, expected ${expected}`);
  return { ms: median(results.map((r) => r.ms)), mb: Math.max(...results.map((r) => r.mb)) };
}

const literalMap = (a: number) => flyteidl.core.LiteralMap.encode({ literals: { a: { scalar: { primitive: { integer: a } } } } }).finish();

export function entrypointSuite(): Row[] {
  const trivial = measure("hello", literalMap(1), {}, 9, "outputs.pb");
  const env = { [REGISTRATION_CONTEXT_ENV]: encodeRegistrationContext({ project: "p", domain: "d", version: "v", image: "img", locations: { "bench.t1": { module: "fixtures/flows.mjs", name: "t1" } } }) };
  const fan = measure("fanOut", literalMap(10_000), env, 5, "futures.pb");
  return [
    { what: "entrypoint cold start, trivial task (process start → outputs.pb)", ms: trivial.ms, flytekitMs: FLYTEKIT.trivial.ms, note: "target ≥ 8×" },
    { what: "entrypoint cold start, trivial task: peak RSS", ms: trivial.mb, unit: "MB", flytekitMs: FLYTEKIT.trivial.mb, note: `target ≤ ${(FLYTEKIT.trivial.mb / 2).toFixed(1)} MB` },
    { what: "entrypoint, dynamic fan-out to 10,000 nodes (process → futures.pb)", ms: fan.ms, flytekitMs: FLYTEKIT.fanOut10k.ms, note: "target ≥ 8×" },
    { what: "entrypoint, dynamic fan-out to 10,000 nodes: peak RSS", ms: fan.mb, unit: "MB", flytekitMs: FLYTEKIT.fanOut10k.mb, note: `target ≤ ${(FLYTEKIT.fanOut10k.mb / 2).toFixed(1)} MB` },
  ];
}
