import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { flyteidl } from "@flytekit-ts/idl";
import type { LiteralMap } from "@flytekit-ts/types";

/**
 * Outputs of cached tasks on this machine, keyed as Flyte's catalog keys them: the task's identity,
 * its cache version, its interface and the input literals (bytes, with map keys sorted so that
 * order does not matter), less any inputs the task ignores for caching.
 */
export class LocalCache {
  constructor(readonly dir: string) {}

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

  async get(key: string): Promise<LiteralMap | undefined> {
    try {
      return flyteidl.core.LiteralMap.decode(await readFile(join(this.dir, `${key}.pb`)));
    } catch {
      return undefined;
    }
  }

  async put(key: string, outputs: LiteralMap): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const path = join(this.dir, `${key}.pb`);
    await writeFile(`${path}.partial`, flyteidl.core.LiteralMap.encode(outputs as flyteidl.core.LiteralMap).finish());
    await rename(`${path}.partial`, path);
  }
}
