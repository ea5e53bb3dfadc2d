import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { flyteidl, fromProtoJson, type MessageClass, toProtoJson } from "@flytekit-ts/idl";

/**
 * The project's shared fixtures live beside the repository (`<repo>/../shared`), in every checkout
 * and in CI. FLYTEKIT_TS_SHARED overrides the location.
 */
export const sharedDir = process.env.FLYTEKIT_TS_SHARED ?? resolve(dirname(fileURLToPath(import.meta.url)), "../../../../../shared");

if (!existsSync(join(sharedDir, "conformance", "index.json"))) {
  throw new Error(`shared fixtures not found at ${sharedDir}; set FLYTEKIT_TS_SHARED to the shared/ directory`);
}

export const conformance = join(sharedDir, "conformance");
/** propeller's compiler test data at Flyte v1.16.5. */
export const compilerTestdata = join(conformance, "flyte/flytepropeller/pkg/compiler/test/testdata");

export const listDir = (dir: string): string[] => readdirSync(dir).sort();
export const readJson = (path: string): unknown => JSON.parse(readFileSync(path, "utf8"));

export function decodeFile<T extends object>(cls: MessageClass<T>, path: string): T {
  return cls.decode(readFileSync(path));
}

export function parseJsonFile<T extends object>(cls: MessageClass<T>, path: string): T {
  return fromProtoJson(cls, readJson(path));
}

/** A message as proto3 JSON, for comparisons that ignore map order and formatting. */
export function json<T extends object>(cls: MessageClass<T>, message: T): unknown {
  return toProtoJson(cls, message);
}

/**
 * What propeller's compiler test harness does to every task before compiling it (setDefaultFields):
 * append three container config entries. They are in the goldens, not in the inputs.
 */
export function withTestConfig(task: flyteidl.core.TaskTemplate.$Properties): flyteidl.core.TaskTemplate {
  const { TaskTemplate } = flyteidl.core;
  const copy = TaskTemplate.decode(TaskTemplate.encode(TaskTemplate.fromObject(task as { [k: string]: unknown })).finish());
  if (copy.container) {
    copy.container.config = [
      ...(copy.container.config ?? []),
      ...[1, 2, 3].map((i) => flyteidl.core.KeyValuePair.create({ key: `testKey${i}`, value: `testValue${i}` })),
    ];
  }
  return copy;
}
