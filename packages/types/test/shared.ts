import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The project's shared fixtures live beside the repository (`<repo>/../shared`), in every checkout
 * and in CI. FLYTEKIT_TS_SHARED overrides the location.
 */
export const sharedDir = process.env.FLYTEKIT_TS_SHARED ?? resolve(dirname(fileURLToPath(import.meta.url)), "../../../../shared");

if (!existsSync(join(sharedDir, "conformance", "index.json"))) {
  throw new Error(`shared fixtures not found at ${sharedDir}; set FLYTEKIT_TS_SHARED to the shared/ directory`);
}

