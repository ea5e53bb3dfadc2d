import { tmpdir } from "node:os";
import { LocalStorage, type Storage } from "./storage.js";

/**
 * What a conversion may need beyond the value: where files live and where new ones go. Plugins
 * receive the same context, so they never reach a cloud SDK directly.
 */
export interface TypeContext {
  /** Reads and writes the URIs literals point at. */
  readonly storage: Storage;
  /** Prefix under which values that become files (files, directories, datasets) are uploaded. */
  readonly rawOutputPrefix: string;
  /** A local directory for downloads. */
  readonly workDir: string;
}

/** A context on the local filesystem: uploads go to a temporary directory. */
export function localContext(options: Partial<TypeContext> = {}): TypeContext {
  return {
    storage: options.storage ?? new LocalStorage(),
    rawOutputPrefix: options.rawOutputPrefix ?? `${tmpdir()}/flytekit-ts/raw`,
    workDir: options.workDir ?? `${tmpdir()}/flytekit-ts/work`,
  };
}
