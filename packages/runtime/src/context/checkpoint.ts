import { mkdir, readdir, readFile, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import { FlytekitError } from "@flytekit-ts/idl";
import { isRemoteUri, localPathOf, type Storage } from "@flytekit-ts/types";
import { joinUri } from "../storage.js";

/** flytekit's names: where the previous checkpoint is restored to, and the object `write` saves. */
const RESTORED_FOLDER = "prev_cp";
const WRITTEN_OBJECT = "_dst_cp";

/**
 * Intra-task checkpoints, as flytekit's `SyncCheckpoint`: Flyte gives every attempt a fresh
 * destination (`--checkpoint-path`) and the previous attempt's (`--prev-checkpoint`), so a retried
 * task can resume where the failed attempt left off.
 */
export class Checkpoint {
  private restored: Promise<string | undefined> | undefined;

  constructor(
    private readonly storage: Storage,
    /** Where this attempt's checkpoint goes. */
    readonly destination: string,
    /** The previous attempt's checkpoint, if there was one. */
    readonly source: string | undefined,
    /** A local directory of this attempt's own, for restored files (made when first asked for). */
    private readonly scratch: () => string,
  ) {}

  /** Whether a previous attempt's checkpoint may exist (Flyte passed its prefix). */
  prevExists(): boolean {
    return this.source !== undefined;
  }

  /**
   * Downloads the previous checkpoint into `directory` (default a scratch directory) and returns it;
   * `undefined` when there is no previous checkpoint. Downloads once; later calls return the same path.
   */
  restore(directory?: string): Promise<string | undefined> {
    this.restored ??= (async () => {
      if (this.source === undefined) return undefined;
      const target = directory ?? join(this.scratch(), RESTORED_FOLDER);
      await mkdir(target, { recursive: true });
      if (!(await stat(target)).isDirectory()) throw new FlytekitError("USER:CheckpointError", `checkpoints are restored into a directory; ${target} is not one`);
      // An attempt that saved nothing leaves no objects: that is an empty checkpoint, not an error.
      if (await hasObjects(this.storage, this.source)) await this.storage.download(this.source, target);
      return target;
    })();
    return this.restored;
  }

  /**
   * Saves a checkpoint: a local directory is uploaded whole, a local file under its own name, bytes as
   * one object.
   */
  async save(checkpoint: string | Uint8Array): Promise<void> {
    if (typeof checkpoint !== "string") {
      await this.storage.write(joinUri(this.destination, WRITTEN_OBJECT), checkpoint);
      return;
    }
    const isDirectory = (await stat(checkpoint)).isDirectory();
    await this.storage.upload(checkpoint, isDirectory ? this.destination : joinUri(this.destination, basename(checkpoint)));
  }

  /** The previous checkpoint's single file, or `undefined` when there is none. */
  async read(): Promise<Uint8Array | undefined> {
    const directory = await this.restore();
    if (directory === undefined) return undefined;
    const files = await readdir(directory);
    if (files.length === 0) return undefined;
    if (files.length > 1) throw new FlytekitError("USER:CheckpointError", `expected exactly one checkpoint file, found ${files.length} in ${this.source ?? directory}`);
    return new Uint8Array(await readFile(join(directory, files[0] as string)));
  }

  /** Saves bytes as this attempt's checkpoint (what `read` returns on the next attempt). */
  write(bytes: Uint8Array): Promise<void> {
    return this.save(bytes);
  }
}

/** Whether anything was saved under a checkpoint prefix (a local one that was never created holds nothing). */
async function hasObjects(storage: Storage, prefix: string): Promise<boolean> {
  if (!isRemoteUri(prefix)) {
    const exists = await stat(localPathOf(prefix)).then(
      () => true,
      (error: NodeJS.ErrnoException) => (error.code === "ENOENT" ? false : Promise.reject(error)),
    );
    if (!exists) return false;
  }
  return (await storage.list(prefix)).length > 0;
}

/** Stands in for a checkpoint when Flyte gave the attempt no checkpoint prefix. */
export function missingCheckpoint(): never {
  throw new FlytekitError("USER:CheckpointError", "checkpointing is not available: the task was started without --checkpoint-path (Flyte passes it from {{.checkpointOutputPrefix}})");
}

