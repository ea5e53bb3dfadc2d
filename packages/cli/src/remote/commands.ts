import type { Command } from "commander";
import { withConnectionOptions } from "./options.js";
import type { RegisterCommandOptions } from "./register-command.js";
import type { GetExecutionOptions } from "./get-command.js";

type Io = { out: (line: string) => void; err: (line: string) => void };

/**
 * Adds `register` and `get execution` (and the help line of `fast-execute`) to the program. Commands
 * that talk to FlyteAdmin load the gRPC client only when they run, so local commands start fast.
 */
export function addRemoteCommands(program: Command, io: Io, exitWith: (code: number) => void): void {
  withConnectionOptions(
    program
      .command("register")
      .description("register the entities the modules export (or bundles from `package`) with FlyteAdmin, in order; idempotent")
      .argument("<paths...>", "modules, or .tgz bundles")
      .option("--version <version>", "version of every id (default: derived from the content)")
      .option("--image <image>", "the tasks' default container image (default: this release's runtime image, ghcr.io/flytekit-ts/runtime:<version>)")
      .option("--fast", "package the source root, upload it, and make tasks fetch it before running (no image rebuild)")
      .option("--dest-dir <dir>", "where fast-registered tasks unpack the source (default: the container's working directory)")
      .option("--source-root <dir>", "module paths are recorded relative to it; --fast ships it (default: the working directory)")
      .option("--activate", "activate the launch plans")
      .option("-q, --quiet", "no progress lines"),
  ).action(async (paths: string[], options: RegisterCommandOptions) => {
    const { registerCommand } = await import("./register-command.js");
    exitWith(await registerCommand(paths, options, io));
  });

  withConnectionOptions(
    program
      .command("get")
      .description("show what FlyteAdmin has")
      .command("execution")
      .description("an execution's phase, error or outputs, and its node executions (a dynamic's children nested)")
      .argument("<name>", "the execution's name")
      .option("--json", "print JSON")
      .option("--no-nodes", "leave out node executions"),
  ).action(async (name: string, options: GetExecutionOptions) => {
    const { getExecutionCommand } = await import("./get-command.js");
    exitWith(await getExecutionCommand(name, options, io));
  });

  program.command("fast-execute [args...]").description("the entrypoint of fast-registered tasks: fetch and unpack the code, then run flyte-ts execute");
}

/**
 * The remote commands with free-form arguments, dispatched before the option parser (like `run` and
 * `execute`): `run --remote …` and `fast-execute …`. Undefined when `argv` is neither.
 */
export async function dispatchRemote(argv: readonly string[], io: Io): Promise<number | undefined> {
  if (argv[0] === "run" && argv[1] === "--remote") return (await import("./run-remote-command.js")).remoteRunCommand(argv.slice(2), io);
  if (argv[0] === "fast-execute") return (await import("./fast-execute-command.js")).fastExecuteCommand(argv.slice(1), io.err);
  return undefined;
}
