import { resolve } from "node:path";
import { FlytekitError } from "@flytekit-ts/idl";
import { InputError, WaitTimeoutError, executionPhaseName, type FlyteRemote } from "@flytekit-ts/remote";
import { EXIT } from "../exit.js";
import { outputsJson, parseInputs } from "../run-command.js";
import { openRemote, type RemoteHooks } from "./connection.js";
import { formatDuration, watchProgress } from "./progress.js";
import { compileModules, registerWith, type RegisterCommandOptions } from "./register-command.js";

export const REMOTE_RUN_USAGE =
  "usage: flyte-ts run --remote [--project p] [--domain d] [--image i] [--version v] [--name n] [--no-fast] [--dest-dir d] [--source-root r] " +
  "[--no-wait] [--timeout seconds] [--poll-interval seconds] [-q] [--endpoint e] [--insecure] [--config file] <module> <export> [--input value ...]";

interface RemoteRunOptions extends RegisterCommandOptions {
  name?: string;
  wait: boolean;
  timeoutMs?: number;
  pollIntervalMs?: number;
}

const VALUE_FLAGS: Record<string, keyof RemoteRunOptions> = {
  "--project": "project",
  "--domain": "domain",
  "--image": "image",
  "--version": "version",
  "--name": "name",
  "--dest-dir": "destDir",
  "--source-root": "sourceRoot",
  "--endpoint": "endpoint",
  "--config": "config",
  "--timeout": "timeoutMs",
  "--poll-interval": "pollIntervalMs",
};

/** Options come before the module (the task's inputs after it are free-form `--name value` pairs). */
export function parseRemoteRunArgs(argv: readonly string[]): { options: RemoteRunOptions; module: string; exportName: string; inputs: string[] } {
  const options: RemoteRunOptions = { fast: true, wait: true };
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith("-")) break;
    if (arg === "--remote") continue;
    if (arg === "--no-fast") options.fast = false;
    else if (arg === "--fast") options.fast = true;
    else if (arg === "--no-wait") options.wait = false;
    else if (arg === "--insecure") options.insecure = true;
    else if (arg === "-q" || arg === "--quiet") options.quiet = true;
    else if (VALUE_FLAGS[arg]) {
      const value = argv[++i];
      if (value === undefined) throw new FlytekitError("USAGE", `${arg} needs a value`);
      const key = VALUE_FLAGS[arg];
      if (key === "timeoutMs" || key === "pollIntervalMs") {
        const seconds = Number(value);
        if (!Number.isFinite(seconds) || seconds <= 0) throw new FlytekitError("USAGE", `${arg} ${value}: expected a number of seconds`);
        options[key] = seconds * 1000;
      } else (options as unknown as Record<string, string>)[key] = value;
    } else throw new FlytekitError("USAGE", `unknown option ${arg}`);
  }
  const [module, exportName, ...inputs] = argv.slice(i);
  if (!module || !exportName) throw new FlytekitError("USAGE", REMOTE_RUN_USAGE);
  return { options, module, exportName, inputs };
}

/**
 * `flyte-ts run --remote <module> <export> --input value …`: registers the module's entities (fast by
 * default, like `pyflyte run --remote`), launches the chosen one with the inputs (checked against its
 * registered interface), watches it with progress on stderr and prints its outputs as JSON on stdout.
 * Exit codes: 0 succeeded (or launched, with --no-wait), 3 the execution failed, 4 --timeout passed.
 */
export async function remoteRunCommand(argv: readonly string[], io: { out: (l: string) => void; err: (l: string) => void }, hooks: RemoteHooks = {}): Promise<number> {
  const { options, module, exportName, inputs: inputArgs } = parseRemoteRunArgs(argv);
  const sourceRoot = resolve(options.sourceRoot ?? process.cwd());
  const { entries, found } = await compileModules([module], options.image, sourceRoot);
  const target = found.find((f) => f.location.name === exportName)?.entity;
  if (!target) throw new FlytekitError("USAGE", `${module} exports no task, workflow or dynamic workflow named "${exportName}"`);
  const inputs = parseInputs(target, inputArgs);

  const remote: FlyteRemote = openRemote(options, hooks, io.err);
  const say = (line: string) => {
    if (!options.quiet) io.err(line);
  };
  try {
    const registered = await registerWith(remote, entries, options, say);
    say(`registered ${registered.entities.length} entities as version ${registered.version}`);
    let run;
    try {
      run = await remote.execute(target, inputs, {
        version: registered.version,
        ...(options.project ? { project: options.project } : {}),
        ...(options.domain ? { domain: options.domain } : {}),
        ...(options.name ? { name: options.name } : {}),
      });
    } catch (error) {
      // Inputs the registered interface refuses are a usage error: nothing was launched.
      if (!(error instanceof InputError)) throw error;
      io.err(`error: ${error.message}`);
      return EXIT.usage;
    }
    const id = `${run.id.project}/${run.id.domain}/${run.id.name}`;
    io.err(`launched execution ${id}`);
    if (!options.wait) {
      io.out(run.id.name);
      return EXIT.ok;
    }
    let execution;
    try {
      execution = await remote.wait(run, {
        nodes: true,
        ...(options.quiet ? {} : { onProgress: watchProgress(say) }),
        ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
        ...(options.pollIntervalMs !== undefined ? { pollIntervalMs: options.pollIntervalMs } : {}),
      });
    } catch (error) {
      if (!(error instanceof WaitTimeoutError)) throw error;
      io.err(`error: ${error.message}; see flyte-ts get execution ${run.id.name}`);
      return EXIT.timeout;
    }
    const phase = executionPhaseName(execution.closure?.phase);
    const took = execution.closure?.duration ? ` in ${formatDuration(Number(execution.closure.duration.seconds ?? 0) * 1000)}` : "";
    if (phase !== "SUCCEEDED") {
      const error = execution.closure?.error;
      io.err(`execution ${id} ${phase}${took}${error ? `: [${error.code ?? ""}] ${error.message ?? ""}` : execution.closure?.abortMetadata?.cause ? `: ${execution.closure.abortMetadata.cause}` : ""}`);
      return EXIT.executionFailed;
    }
    say(`execution ${id} SUCCEEDED${took}`);
    io.out(outputsJson(await remote.outputs(run)));
    return EXIT.ok;
  } finally {
    remote.close();
  }
}
