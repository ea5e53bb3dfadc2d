import { arch, cpus, totalmem } from "node:os";
import { idlSuite } from "./suites/idl.js";
import { typesSuite } from "./suites/types.js";
import { compilerSuite } from "./suites/compiler.js";
import { entrypointSuite } from "./suites/entrypoint.js";
import { localExecutorSuite } from "./suites/local-executor.js";
import { deployedSuite } from "./suites/deployed.js";
import { FlytekitBench } from "./flytekit/driver.js";
import { findFlytekit } from "./flytekit/venv.js";
import { printTable } from "./stats.js";

/**
 * `pnpm bench`: every benchmark of the project, each beside the real flytekit doing the same work on
 * the same inputs, interleaved in this run (bench/python: the driver and the Python twins), with the
 * ratio of the two. Without a flytekit virtualenv, flytekit's column falls back to the figures stored
 * in shared/golden/flytekit/PERF.md, labelled "(PERF.md)". Targets live here, not in tests.
 */
console.log(`# flytekit-ts benchmarks\n`);
console.log(`node ${process.version}, ${arch()}, ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`);

const env = findFlytekit();
const live = env ? await FlytekitBench.start(env) : undefined;
const flytekit = live?.bench;
console.log(
  live
    ? `flytekit ${live.version} (${env?.python}) runs beside each row, interleaved on the same inputs: "(live)" figures and ratios are from this run.`
    : "flytekit is not installed (`bash conformance/python/install.sh` installs it): flytekit figures are PERF.md's, from a quiet machine, labelled \"(PERF.md)\"; ratios to them are indicative only.",
);

/** Every suite, by the name `pnpm bench <name>…` picks it with (all of them when none is named). */
const suites = {
  idl: ["@flytekit-ts/idl", () => idlSuite(flytekit)],
  types: ["@flytekit-ts/types", () => typesSuite(flytekit)],
  compiler: ["@flytekit-ts/compiler", () => compilerSuite(flytekit)],
  entrypoint: [`@flytekit-ts/runtime (entrypoint, through the built flyte-ts binary, on this machine's Node ${process.version}, no compile cache; pods: the deployed form below)`, () => entrypointSuite(flytekit)],
  local: ["@flytekit-ts/runtime (local executor, through the built flyte-ts binary)", () => localExecutorSuite()],
  deployed: ["deployed form (a TypeScript project as flyte-ts package ships it, run as the runtime image runs it, beside pyflyte-execute)", () => deployedSuite(flytekit)],
} as const;
const picked = process.argv.slice(2).filter((arg) => arg !== "--");
for (const name of picked) if (!(name in suites)) throw new Error(`pnpm bench: no suite "${name}" (suites: ${Object.keys(suites).join(", ")})`);

try {
  for (const [name, [title, run]] of Object.entries(suites)) if (picked.length === 0 || picked.includes(name)) printTable(title, await run());
} finally {
  await flytekit?.close();
}
