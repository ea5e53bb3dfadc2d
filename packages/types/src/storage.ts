import { copyFile, cp, mkdir, readFile, readdir, realpath, stat, writeFile } from "node:fs/promises";
import { dirname, join, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { FlytekitError } from "@flytekit-ts/idl";

/**
 * Access to the objects literals point at (files, directories, offloaded literals). The local
 * filesystem is built in; the runtime adds s3:// and gs:// through the cloud SDKs.
 */
export interface Storage {
  /** Whether this storage handles the URI's scheme. */
  handles(uri: string): boolean;
  /** The object's bytes; rejects with a `StorageError` naming the URI when it cannot be read. */
  read(uri: string): Promise<Uint8Array>;
  /** Stores the bytes at the URI, replacing what was there. */
  write(uri: string, data: Uint8Array): Promise<void>;
  /** Copies a local file or directory (recursively) to `uri`. */
  upload(localPath: string, uri: string): Promise<void>;
  /** Copies the object or prefix at `uri` to a local path (recursively for directories). */
  download(uri: string, localPath: string): Promise<void>;
  /** Every object under a prefix, as URIs. */
  list(prefix: string): Promise<string[]>;
}

/** A URI with a scheme other than file:// (s3://, gs://, abfs://, http(s)://). */
export function isRemoteUri(uri: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(uri) && !uri.startsWith("file://");
}

/** Local path of a `file://` URI or a plain path. */
export function localPathOf(uri: string): string {
  return uri.startsWith("file://") ? fileURLToPath(uri) : uri;
}

export class StorageError extends FlytekitError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("STORAGE", message, options);
  }
}

/**
 * A local directory's entries are its "keys": a symbolic link in it that resolves outside it would be
 * copied as a link to outside, through which a task would read or write beyond the directory. Such a
 * directory is refused, before anything is copied.
 */
async function refuseEscapingLinks(root: string): Promise<void> {
  const base = await realpath(root);
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isSymbolicLink()) continue;
    const link = join(entry.parentPath, entry.name);
    const target = await realpath(link).catch(() => undefined);
    if (target === undefined || (target !== base && !target.startsWith(base + sep))) {
      throw new StorageError(`refusing to copy ${root}: the link ${link} ${target === undefined ? "points at nothing" : `resolves to ${target}`}, outside the directory`);
    }
  }
}

/** Plain paths and file:// URIs. */
export class LocalStorage implements Storage {
  handles(uri: string): boolean {
    return !isRemoteUri(uri);
  }

  async read(uri: string): Promise<Uint8Array> {
    return this.guard(uri, () => readFile(localPathOf(uri)));
  }

  async write(uri: string, data: Uint8Array): Promise<void> {
    const path = localPathOf(uri);
    await this.guard(uri, async () => {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, data);
    });
  }

  async upload(localPath: string, uri: string): Promise<void> {
    await this.copy(localPath, localPathOf(uri));
  }

  async download(uri: string, localPath: string): Promise<void> {
    await this.copy(localPathOf(uri), localPath);
  }

  async list(prefix: string): Promise<string[]> {
    const root = localPathOf(prefix);
    return this.guard(prefix, async () => {
      const entries = await readdir(root, { recursive: true, withFileTypes: true });
      return entries
        .filter((e) => e.isFile())
        .map((e) => join(e.parentPath, e.name))
        .sort();
    });
  }

  private async copy(from: string, to: string): Promise<void> {
    await this.guard(from, async () => {
      await mkdir(dirname(to), { recursive: true });
      if ((await stat(from)).isDirectory()) {
        await refuseEscapingLinks(from);
        await cp(from, to, { recursive: true });
      }
      else await copyFile(from, to);
    });
  }

  private async guard<T>(uri: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (cause) {
      throw new StorageError(`local storage: cannot access ${uri}: ${(cause as Error).message}`, { cause });
    }
  }
}
