import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { flyteidl, toProtoJson, type JsonValue } from "@flytekit-ts/idl";

/**
 * The project's shared fixtures live beside the repository (`<repo>/../shared`), in every checkout
 * and in CI. FLYTEKIT_TS_SHARED overrides the location.
 */
export const sharedDir = process.env.FLYTEKIT_TS_SHARED ?? resolve(dirname(fileURLToPath(import.meta.url)), "../../../../shared");

if (!existsSync(join(sharedDir, "golden", "flytekit"))) {
  throw new Error(`shared fixtures not found at ${sharedDir}; set FLYTEKIT_TS_SHARED to the shared/ directory`);
}

/** A `.pb` written by `pyflyte package` for the plain_task example (flytekit 1.16.24). */
export function plainTaskGolden(file: string): Uint8Array {
  return readFileSync(join(sharedDir, "golden", "flytekit", "plain_task", "package", file));
}

export type Json = { [key: string]: JsonValue };

/** proto3 JSON of a TaskSpec, as a mutable plain object (camelCase names). */
export function taskSpecJson(spec: flyteidl.admin.TaskSpec): Json {
  return structuredClone(toProtoJson(flyteidl.admin.TaskSpec, spec)) as Json;
}

/** `obj[a][b]...` in parsed JSON, failing loudly when a step is missing. */
export function at(value: JsonValue | undefined, ...path: (string | number)[]): JsonValue {
  let current: JsonValue | undefined = value;
  for (const step of path) {
    if (current === null || typeof current !== "object") throw new Error(`no ${String(step)} in ${JSON.stringify(current)}`);
    current = (current as Record<string | number, JsonValue>)[step];
  }
  if (current === undefined) throw new Error(`nothing at ${path.join(".")}`);
  return current;
}
