import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** shared/ beside the repository, or FLYTEKIT_TS_SHARED. */
export const sharedDir = process.env.FLYTEKIT_TS_SHARED ?? resolve(dirname(fileURLToPath(import.meta.url)), "../../../shared");

export function sharedPath(...parts: string[]): string {
  const path = join(sharedDir, ...parts);
  if (!existsSync(path)) throw new Error(`benchmark input missing: ${path} (set FLYTEKIT_TS_SHARED)`);
  return path;
}

/** The environment of a measured process (a pod's): without the TypeScript loader the benchmark itself runs under. */
export function cleanEnv(): NodeJS.ProcessEnv {
  const { NODE_OPTIONS: _loader, ...env } = process.env;
  return env;
}
