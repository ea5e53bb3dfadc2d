import { FlytekitError } from "@flytekit-ts/idl";
import type { LocalRunOptions } from "@flytekit-ts/runtime";

/** The options of a local `flyte-ts run` that are not the entity's inputs. */
export type RunFlags = Pick<LocalRunOptions, "cacheDir" | "overwriteCache" | "maxParallelism">;

/**
 * Takes `--cache-dir <dir>`, `--no-cache`, `--overwrite-cache` and `--max-parallelism <n>` out of a local
 * run's arguments (anywhere among them; input names cannot contain "-", so none is an input) and
 * returns them with the rest, the inputs.
 */
export function takeRunFlags(args: readonly string[]): { flags: RunFlags; rest: string[] } {
  const flags: RunFlags = {};
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    const [name, inline] = arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = (): string => {
      const text = inline ?? args[++i];
      if (text === undefined || text === "") throw new FlytekitError("USAGE", `${name} needs a value`);
      return text;
    };
    switch (name) {
      case "--cache-dir":
        if (flags.cacheDir === false) throw new FlytekitError("USAGE", "--cache-dir and --no-cache cannot be given together");
        flags.cacheDir = value();
        break;
      case "--no-cache":
        if (typeof flags.cacheDir === "string") throw new FlytekitError("USAGE", "--cache-dir and --no-cache cannot be given together");
        flags.cacheDir = false;
        break;
      case "--overwrite-cache":
        flags.overwriteCache = true;
        break;
      case "--max-parallelism": {
        const text = value();
        const n = Number(text);
        if (!/^\d+$/.test(text) || n < 1) throw new FlytekitError("USAGE", `--max-parallelism ${JSON.stringify(text)}: expected a whole number of tasks, 1 or more`);
        flags.maxParallelism = n;
        break;
      }
      default:
        rest.push(arg);
    }
  }
  return { flags, rest };
}
