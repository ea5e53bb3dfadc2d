import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { flyteidl } from "@flytekit-ts/idl";
import type { LiteralMap } from "@flytekit-ts/types";

/**
 * Where local runs keep cached outputs unless told otherwise: `$XDG_CACHE_HOME/flyte-ts/local-cache` when
 * XDG_CACHE_HOME is set, else `~/.flyte-ts/local-cache` (as flytekit keeps `~/.flyte/local-cache`).
 * See docs/decisions/0010-local-cache-location.md.
 */
export function defaultCacheDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const xdg = env["XDG_CACHE_HOME"];
  return xdg ? join(xdg, "flyte-ts", "local-cache") : join(homedir(), ".flyte-ts", "local-cache");
}

/**
 * Outputs of cached tasks on this machine, keyed as Flyte's catalog keys them: the task's identity,
 * its cache version, its interface and the input literals (bytes, with map keys sorted so that
 * order does not matter), less any inputs the task ignores for caching.
 *
 * Safe for concurrent writers, in one process or many: each entry is written under a name of its own
 * (process id and random bytes) and renamed over the entry, which readers see whole or not at all.
 */
export class LocalCache {
  constructor(readonly dir: string) {}

  /** The entry's key for a task's inputs: equal keys mean Flyte's catalog would hit the same entry. */
  async key(task: { name: string; version: string; interface: Uint8Array; inputs: LiteralMap; ignored?: readonly string[] }): Promise<string> {
    // Loaded here, not at import: node:crypto costs every task process start-up time, and only local runs cache.
    const { createHash } = await import("node:crypto");
    const hash = createHash("sha256").update(task.name).update("\0").update(task.version).update("\0").update(task.interface);
    const ignored = new Set(task.ignored ?? []);
    const literals = task.inputs.literals ?? {};
    for (const name of Object.keys(literals).sort()) {
      if (ignored.has(name)) continue;
      hash.update("\0").update(name).update("\0").update(flyteidl.core.Literal.encode(literals[name] as flyteidl.core.Literal).finish());
    }
    return hash.digest("hex");
  }

  /** The cached outputs, or undefined when there are none (an unreadable entry counts as none: it is rewritten). */
  async get(key: string): Promise<LiteralMap | undefined> {
    try {
      return flyteidl.core.LiteralMap.decode(await readFile(this.path(key)));
    } catch {
      return undefined;
    }
  }

  /** Writes an entry atomically; throws if it could not (callers treat that as a warning, not a failure). */
  async put(key: string, outputs: LiteralMap): Promise<void> {
    const { randomBytes } = await import("node:crypto");
    await mkdir(this.dir, { recursive: true });
    const path = this.path(key);
    const partial = `${path}.${process.pid}-${randomBytes(6).toString("hex")}.partial`;
    try {
      await writeFile(partial, flyteidl.core.LiteralMap.encode(outputs as flyteidl.core.LiteralMap).finish());
      await rename(partial, path);
    } catch (error) {
      await rm(partial, { force: true }).catch(() => undefined);
      throw error;
    }
  }

  private path(key: string): string {
    return join(this.dir, `${key}.pb`);
  }
}
