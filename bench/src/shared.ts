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
