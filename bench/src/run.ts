import { arch, cpus, totalmem } from "node:os";
import { idlSuite } from "./suites/idl.js";
import { typesSuite } from "./suites/types.js";
import { compilerSuite } from "./suites/compiler.js";
import { entrypointSuite } from "./suites/entrypoint.js";
import { deployedSuite } from "./suites/deployed.js";
import { printTable } from "./stats.js";

/**
 * `pnpm bench`: every benchmark of the project, printed as tables with the ratio to flytekit's figures
 * in shared/golden/flytekit/PERF.md (measured on the same machine type). Targets live here, not in tests.
 */
console.log(`# flytekit-ts benchmarks\n`);
console.log(`node ${process.version}, ${arch()}, ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`);

printTable("@flytekit-ts/idl", await idlSuite());
printTable("@flytekit-ts/types", await typesSuite());
printTable("@flytekit-ts/compiler", await compilerSuite());
printTable("@flytekit-ts/runtime (entrypoint, through the built flyte-ts binary)", entrypointSuite());
printTable("deployed form (a TypeScript project as flyte-ts package ships it, beside pyflyte-execute)", deployedSuite());
