import { isFlytekitError } from "@flytekit-ts/idl";
import { parseExecuteArgs } from "./args.js";
import { execute, type ExecuteOutcome } from "./entrypoint.js";
import { executeMap } from "./map-entrypoint.js";

/**
 * `flyte-ts execute …` as a process: 0 once outputs.pb, futures.pb or error.pb is written (like
 * flytekit, error.pb is the failure report; FLYTE_FAIL_ON_ERROR=true makes it exit 1), 2 for malformed
 * arguments, 1 when not even error.pb could be written.
 */
export async function executeCommand(argv: readonly string[], err: (line: string) => void = (l) => console.error(l)): Promise<number> {
  return report(() => execute(parseExecuteArgs(argv), { warn: err }), err);
}

/** `flyte-ts execute-map …`: one index of a map task, with the same exit codes as `execute`. */
export async function executeMapCommand(argv: readonly string[], err: (line: string) => void = (l) => console.error(l)): Promise<number> {
  return report(() => executeMap(argv, { warn: err }), err);
}

async function report(run: () => Promise<ExecuteOutcome>, err: (line: string) => void): Promise<number> {
  try {
    const outcome = await run();
    err(`wrote ${outcome.uri}`);
    return outcome.file === "error.pb" && process.env["FLYTE_FAIL_ON_ERROR"] === "true" ? 1 : 0;
  } catch (error) {
    err(`error: ${error instanceof Error ? error.message : String(error)}`);
    return isFlytekitError(error) && error.code === "USAGE" ? 2 : 1;
  }
}
