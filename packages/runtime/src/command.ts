import { isFlytekitError } from "@flytekit-ts/idl";
import { parseExecuteArgs } from "./args.js";
import { execute } from "./entrypoint.js";

/**
 * `flyte-ts execute …` as a process: 0 once outputs.pb, futures.pb or error.pb is written (like
 * flytekit, error.pb is the failure report; FLYTE_FAIL_ON_ERROR=true makes it exit 1), 2 for malformed
 * arguments, 1 when not even error.pb could be written.
 */
export async function executeCommand(argv: readonly string[], err: (line: string) => void = (l) => console.error(l)): Promise<number> {
  try {
    const outcome = await execute(parseExecuteArgs(argv), { warn: err });
    err(`wrote ${outcome.uri}`);
    return outcome.file === "error.pb" && process.env["FLYTE_FAIL_ON_ERROR"] === "true" ? 1 : 0;
  } catch (error) {
    err(`error: ${error instanceof Error ? error.message : String(error)}`);
    return isFlytekitError(error) && error.code === "USAGE" ? 2 : 1;
  }
}
