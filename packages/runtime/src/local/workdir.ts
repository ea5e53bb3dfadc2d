import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative, isAbsolute } from "node:path";
import { fileURLToPath } from "node:url";
import type { LiteralMap } from "@flytekit-ts/types";

/** A directory no other run uses (several runs may start in one process in the same millisecond). */
export function freshWorkDir(): string {
  return join(tmpdir(), "flyte-ts", `local-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`);
}

/**
 * Removes a run's temporary directory. Raw outputs the run's outputs point to (files, directories,
 * data sets a caller will read) stay; downloads and everything else go.
 */
export async function removeWorkDir(dir: string, outputs: LiteralMap | undefined): Promise<void> {
  const kept = outputs ? [...uris(outputs)].some((uri) => isInside(dir, uri)) : false;
  await rm(kept ? join(dir, "work") : dir, { recursive: true, force: true });
}

/** Every `uri` a literal holds: blobs, structured data sets, offloaded literals, at any depth. */
function* uris(value: unknown): Generator<string> {
  if (typeof value !== "object" || value === null || ArrayBuffer.isView(value)) return;
  for (const [key, field] of Object.entries(value)) {
    if (key === "uri" && typeof field === "string") yield field;
    else yield* uris(field);
  }
}

function isInside(dir: string, uri: string): boolean {
  const path = uri.startsWith("file://") ? fileURLToPath(uri) : uri;
  if (!isAbsolute(path)) return false;
  const rel = relative(dir, path);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}
