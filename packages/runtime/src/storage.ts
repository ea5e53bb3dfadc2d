import { rename, writeFile, mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { LocalStorage, StorageError, isRemoteUri, localPathOf, type Storage } from "@flytekit-ts/types";
import { defaultCloudFactories } from "./cloud.js";

type CloudFactory = () => Promise<Storage>;

/**
 * Storage for every URI a task meets: local paths and file:// built in; s3:// and gs:// through the
 * official cloud SDKs, loaded only when such a URI is used (so a local run installs none of them).
 */
export class RoutingStorage implements Storage {
  private readonly local = new LocalStorage();
  private readonly cloud = new Map<string, Promise<Storage>>();

  constructor(private readonly factories: Readonly<Record<string, CloudFactory>> = defaultCloudFactories) {}

  handles(): boolean {
    return true;
  }

  private async backend(uri: string): Promise<Storage> {
    if (!isRemoteUri(uri)) return this.local;
    const scheme = uri.slice(0, uri.indexOf(":")).toLowerCase();
    let storage = this.cloud.get(scheme);
    if (!storage) {
      const factory = this.factories[scheme];
      if (!factory) throw new StorageError(`no storage for ${scheme}:// URIs (${uri}); supported: local paths, file://${Object.keys(this.factories).map((s) => `, ${s}://`).join("")}`);
      storage = factory();
      this.cloud.set(scheme, storage);
    }
    return storage;
  }

  async read(uri: string): Promise<Uint8Array> {
    return (await this.backend(uri)).read(uri);
  }
  async write(uri: string, data: Uint8Array): Promise<void> {
    return (await this.backend(uri)).write(uri, data);
  }
  async upload(localPath: string, uri: string): Promise<void> {
    return (await this.backend(uri)).upload(localPath, uri);
  }
  async download(uri: string, localPath: string): Promise<void> {
    return (await this.backend(uri)).download(uri, localPath);
  }
  async list(prefix: string): Promise<string[]> {
    return (await this.backend(prefix)).list(prefix);
  }
}

/**
 * Writes a file so that a reader sees all of it or nothing: locally through a temporary name and a
 * rename, remotely as one object put (object stores never expose a partial object). Chunks are written
 * in order, as one file.
 */
export async function writeWhole(storage: Storage, uri: string, data: Uint8Array | readonly Uint8Array[]): Promise<void> {
  if (isRemoteUri(uri)) return storage.write(uri, data instanceof Uint8Array ? data : Buffer.concat(data));
  const path = localPathOf(uri);
  const temporary = `${path}.${process.pid}.partial`;
  await mkdir(dirname(path), { recursive: true });
  await writeFile(temporary, data);
  await rename(temporary, path);
}

/** Joins a prefix (local path or URI) and a file name. */
export function joinUri(prefix: string, name: string): string {
  return `${prefix.replace(/\/+$/, "")}/${name}`;
}
