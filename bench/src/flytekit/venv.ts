import { findVenv } from "@flytekit-ts/conformance-python";

/** A Python environment with the real flytekit, for the side-by-side rows. */
export interface FlytekitPython {
  /** The environment's Python interpreter. */
  readonly python: string;
  /** Its bin folder. */
  readonly bin: string;
}

/**
 * The flytekit virtualenv, found as the conformance package finds it (`findVenv`: the hash-locked venv
 * conformance/python's install.sh made, at `$FLYTEKIT_TS_VENV` or its default place). Undefined when
 * there is none, and the bench falls back to the stored PERF.md figures, labelled as such.
 */
export function findFlytekit(env: NodeJS.ProcessEnv = process.env): FlytekitPython | undefined {
  const venv = findVenv(env);
  return venv ? { python: venv.python, bin: venv.bin } : undefined;
}
