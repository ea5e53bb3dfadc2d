import { resolve, sep } from "node:path";
import { StorageError } from "@flytekit-ts/types";

/**
 * Where an object of a downloaded directory goes: `relativeKey` is the object's key after the
 * directory's prefix, `root` the local directory. Object keys are chosen by whoever writes the
 * bucket, so a key is only accepted when it names a file inside `root`: no `..` or `.` segments, no
 * empty segments (`a//b`, a leading `/`), no backslashes or NUL bytes. Returns undefined for a
 * directory marker (a key ending in `/`, as consoles create for "folders"), which holds no file.
 */
export function confinedTarget(root: string, relativeKey: string, uri: string): string | undefined {
  // The directory's own marker object (the key equal to the prefix).
  if (relativeKey === "") return undefined;
  const isMarker = relativeKey.endsWith("/");
  const segments = (isMarker ? relativeKey.slice(0, -1) : relativeKey).split("/");
  const bad = segments.find((s) => s === "" || s === "." || s === ".." || s.includes("\\") || s.includes("\0"));
  if (bad !== undefined) {
    const why = bad === "" ? "an empty path segment (a leading '/' or '//')" : bad === "." || bad === ".." ? `a '${bad}' segment` : "a backslash or NUL byte";
    throw new StorageError(`refusing to download ${uri}: the object key ${JSON.stringify(relativeKey)} has ${why} and would not stay inside ${root}`);
  }
  const base = resolve(root);
  const target = resolve(base, ...segments);
  if (!target.startsWith(base + sep)) {
    throw new StorageError(`refusing to download ${uri}: the object key ${JSON.stringify(relativeKey)} resolves outside ${root}`);
  }
  return isMarker ? undefined : target;
}
