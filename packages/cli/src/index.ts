/** @flytekit-ts/cli — the `flyte-ts` command, also callable from code. */
export { main, EXIT, type Io } from "./main.js";
export { packageModules, type PackageOptions, type PackageResult } from "./package-command.js";
export { findEntities, locator, type FoundEntity } from "@flytekit-ts/runtime";
export { runCommand, parseInputs, parseInputValue, outputsJson } from "./run-command.js";
export { compileCommand } from "./compile-command.js";
export { graphCommand } from "./graph-command.js";
