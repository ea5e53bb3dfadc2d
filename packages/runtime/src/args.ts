import { FlytekitError } from "@flytekit-ts/idl";

/** The arguments of `flyte-ts execute`, as the compiler writes them into every task's container. */
export interface ExecuteArgs {
  inputs: string;
  outputPrefix: string;
  rawOutputDataPrefix: string;
  checkpointPath?: string;
  prevCheckpoint?: string;
  /** Loader arguments (after `--`): where the task's code is. */
  module: string;
  name: string;
  /**
   * Set by `flyte-ts fast-execute` (as pyflyte-fast-execute does): the source distribution this task
   * was fast-registered with, and where it was unpacked. A dynamic task gives its children the same.
   */
  dynamicAddlDistro?: string;
  dynamicDestDir?: string;
}

const FLAGS: Record<string, keyof ExecuteArgs> = {
  "--inputs": "inputs",
  "--output-prefix": "outputPrefix",
  "--raw-output-data-prefix": "rawOutputDataPrefix",
  "--checkpoint-path": "checkpointPath",
  "--prev-checkpoint": "prevCheckpoint",
  "--dynamic-addl-distro": "dynamicAddlDistro",
  "--dynamic-dest-dir": "dynamicDestDir",
};

/** Flyte leaves `{{.x}}` unsubstituted, or writes `""`, for what it does not provide. */
const notProvided = (value: string): boolean => value === "" || value === '""' || /^\{\{.*\}\}$/.test(value);

/** Arguments the entrypoint cannot use (code `USAGE`): the container's command line is wrong. */
export class UsageError extends FlytekitError {
  constructor(message: string) {
    super("USAGE", message);
  }
}

/**
 * Reads `flyte-ts execute`'s arguments. Values Flyte left as `{{.x}}` or `""` count as not given; an
 * unknown flag or a missing value is a `UsageError` listing the flags.
 */
export function parseExecuteArgs(argv: readonly string[]): ExecuteArgs {
  const separator = argv.indexOf("--");
  const flags = separator < 0 ? argv : argv.slice(0, separator);
  const loader = separator < 0 ? [] : argv.slice(separator + 1);
  const parsed: Partial<Record<keyof ExecuteArgs, string>> = {};
  for (let i = 0; i < flags.length; i += 2) {
    const key = FLAGS[flags[i] as string];
    const value = flags[i + 1];
    if (!key || value === undefined) throw new UsageError(`unexpected argument ${flags[i] ?? ""}; expected ${Object.keys(FLAGS).join(", ")}`);
    if (!notProvided(value)) parsed[key] = value;
  }
  for (let i = 0; i < loader.length; i += 2) {
    const key = loader[i];
    const value = loader[i + 1];
    if ((key === "module" || key === "name") && value !== undefined) parsed[key] = value;
    else throw new UsageError(`unexpected loader argument ${key ?? ""}; expected "module <file> name <export>"`);
  }
  for (const required of ["inputs", "outputPrefix", "module", "name"] as const) {
    if (parsed[required] === undefined) throw new UsageError(`missing ${required === "module" || required === "name" ? `loader argument "${required}"` : `--${required.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`}`);
  }
  return { rawOutputDataPrefix: parsed.outputPrefix as string, ...parsed } as ExecuteArgs;
}
