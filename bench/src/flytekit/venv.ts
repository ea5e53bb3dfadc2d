import { existsSync } from "node:fs";
import { join } from "node:path";

/** A Python environment with the real flytekit, for the side-by-side rows. */
export interface FlytekitPython {
  /** The environment's Python interpreter. */
  readonly python: string;
  /** Its bin folder. */
  readonly bin: string;
}

/**
 * The flytekit virtualenv, found the way the conformance package finds it: `$FLYTEKIT_TS_VENV` (the
 * variable conformance/python's install.sh and `findVenv` honour). Undefined when there is none, and
 * the bench falls back to the stored PERF.md figures, labelled as such.
 */
export function findFlytekit(env: NodeJS.ProcessEnv = process.env): FlytekitPython | undefined {
  const path = env["FLYTEKIT_TS_VENV"];
  if (!path) return undefined;
  const bin = join(path, "bin");
  const python = join(bin, "python");
  return existsSync(python) ? { python, bin } : undefined;
}
