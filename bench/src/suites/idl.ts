import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { flyteidl } from "@flytekit-ts/idl";
import { cleanEnv, sharedPath } from "../shared.js";
import type { FlytekitBench } from "../flytekit/driver.js";
import { baseline, interleave, median, sample, type Row } from "../stats.js";

/** PERF.md (c): `python3 -c 'import flytekit'`, median wall time — the fallback when flytekit is not installed. */
const FLYTEKIT_IMPORT_MS = 1580;
const COLD_IMPORT_RUNS = 9;
const CODEC_RUNS = 30;

/**
 * Cold import of the built package: a fresh Node process per run, timing only the import itself
 * (Node's own start-up is excluded). Beside it, the same of flytekit: a fresh Python process per run,
 * timing only `import flytekit`.
 */
async function coldImport(flytekit: FlytekitBench | undefined): Promise<{ ours: number; theirs: number[] }> {
  const script =
    'const t = performance.now(); await import("@flytekit-ts/idl"); process.stdout.write(String(performance.now() - t));';
  const ours = () => Number(execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: import.meta.dirname, encoding: "utf8", env: cleanEnv() }));
  const pyScript = "import time; t = time.perf_counter(); import flytekit; print((time.perf_counter() - t) * 1000)";
  const theirs = flytekit
    ? () => Promise.resolve(Number(execFileSync(flytekit.env.python, ["-c", pyScript], { encoding: "utf8", env: cleanEnv() })))
    : undefined;
  const rounds = await interleave(COLD_IMPORT_RUNS, ours, theirs, 0);
  return { ours: median(rounds.ours), theirs: rounds.theirs };
}

export async function idlSuite(flytekit?: FlytekitBench): Promise<Row[]> {
  const file = sharedPath(
    "conformance/flytepropeller/pkg/controller/nodes/dynamic/testdata/futures_workflow_nodes.pb",
  );
  const bytes = readFileSync(file);
  const { DynamicJobSpec } = flyteidl.core;
  const roundTrip = () => {
    const out = DynamicJobSpec.encode(DynamicJobSpec.decode(bytes)).finish();
    if (out.length !== bytes.length) throw new Error("round trip changed the size");
  };
  const firstStart = performance.now();
  roundTrip();
  const firstMs = performance.now() - firstStart;
  const decode = median(await sample(() => DynamicJobSpec.decode(bytes), CODEC_RUNS));
  const message = DynamicJobSpec.decode(bytes);
  const encode = median(await sample(() => DynamicJobSpec.encode(message).finish(), CODEC_RUNS));
  const both = median(await sample(roundTrip, CODEC_RUNS));
  const kb = (bytes.length / 1024).toFixed(0);
  const cold = await coldImport(flytekit);
  return [
    { what: "cold import of @flytekit-ts/idl (built)", ms: cold.ours, ...baseline(cold.theirs, FLYTEKIT_IMPORT_MS), note: `target < 150 ms; flytekit: import flytekit` },
    { what: `futures_workflow_nodes.pb (${kb} KB) decode+encode, first call`, ms: firstMs, note: "includes protobufjs code generation" },
    { what: `futures_workflow_nodes.pb decode`, ms: decode },
    { what: `futures_workflow_nodes.pb encode`, ms: encode },
    { what: `futures_workflow_nodes.pb decode+encode`, ms: both, note: `median of ${CODEC_RUNS}` },
  ];
}
