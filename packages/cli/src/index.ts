/**
 * `@flytekit-ts/cli` — the `flyte-ts` command, also callable from code.
 *
 * @module \@flytekit-ts/cli
 */
export { main, EXIT, type Io } from "./main.js";
export { packageModules, type PackageOptions, type PackageResult } from "./package-command.js";
export { findEntities, locator, type FoundEntity } from "@flytekit-ts/runtime";
export { runCommand, parseInputs, parseInputValue, outputsJson } from "./run-command.js";
export { compileCommand } from "./compile-command.js";
export { graphCommand } from "./graph-command.js";
export { registerCommand, compileModules, type RegisterCommandOptions } from "./remote/register-command.js";
export { remoteRunCommand, parseRemoteRunArgs } from "./remote/run-remote-command.js";
export { getExecutionCommand, type GetExecutionOptions } from "./remote/get-command.js";
export { fastExecuteCommand, parseFastExecuteArgs, type FastExecuteArgs } from "./remote/fast-execute-command.js";
export type { ConnectionOptions } from "./remote/options.js";
export type { RemoteHooks } from "./remote/connection.js";
