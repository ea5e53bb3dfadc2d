import { gunzipSync, gzipSync } from "node:zlib";
import { FlytekitError } from "@flytekit-ts/idl";

/** A regular file in a tar archive: its path (forward slashes, relative) and bytes. */
export interface TarFile {
  readonly path: string;
  readonly data: Uint8Array;
  /** Executable files keep their executable bit (0755); the rest are 0644. */
  readonly executable?: boolean;
}

const BLOCK = 512;

function octal(value: number, width: number): string {
  // `width - 1` digits and a NUL, as POSIX ustar writes numeric fields.
  return value.toString(8).padStart(width - 1, "0") + "\0";
}

function put(header: Buffer, offset: number, width: number, text: string): void {
  const bytes = Buffer.from(text, "utf8");
  if (bytes.length > width) throw new FlytekitError("TAR", `tar header field too long: ${text}`);
  bytes.copy(header, offset);
}

function header(name: string, size: number, mode: number, type: string, prefix = ""): Buffer {
  const h = Buffer.alloc(BLOCK);
  put(h, 0, 100, name);
  put(h, 100, 8, octal(mode, 8));
  put(h, 108, 8, octal(0, 8));
  put(h, 116, 8, octal(0, 8));
  put(h, 124, 12, octal(size, 12));
  put(h, 136, 12, octal(0, 12)); // mtime: the epoch, so the same files give the same bytes
  h.fill(0x20, 148, 156); // checksum field counts as spaces while summing
  put(h, 156, 1, type);
  put(h, 257, 6, "ustar\0");
  put(h, 263, 2, "00");
  put(h, 345, 155, prefix);
  let sum = 0;
  for (const byte of h) sum += byte;
  put(h, 148, 8, sum.toString(8).padStart(6, "0") + "\0 ");
  return h;
}

function padding(size: number): Buffer {
  return Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);
}

/** ustar's split of a long path into prefix (≤155 bytes) and name (≤100 bytes), when one exists. */
function splitPath(path: string): [prefix: string, name: string] | undefined {
  if (Buffer.byteLength(path) <= 100) return ["", path];
  for (let i = path.indexOf("/"); i >= 0; i = path.indexOf("/", i + 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100 && name) return [prefix, name];
  }
  return undefined;
}

function paxRecord(key: string, value: string): Buffer {
  const body = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(body) + 1;
  while (String(length).length + Buffer.byteLength(body) !== length) length = String(length).length + Buffer.byteLength(body);
  return Buffer.from(`${length}${body}`, "utf8");
}

/**
 * A gzipped POSIX tar of the given files, byte-for-byte deterministic: entries sorted by path, mtime
 * 0, owner 0:0 without names, modes 0644/0755, and a fixed gzip header (no mtime, OS "unix"), so the
 * same sources always give the same archive and the same content hash. Paths longer than ustar allows
 * get a PAX `path` record. Directories are implied by the files' paths.
 */
export function createTarGz(files: readonly TarFile[]): Buffer {
  const sorted = [...files].sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
  const parts: Buffer[] = [];
  const seen = new Set<string>();
  for (const file of sorted) {
    const path = file.path.replace(/\\/g, "/");
    if (!path || path.startsWith("/") || path.split("/").some((p) => p === ".." || p === "." || p === "")) {
      throw new FlytekitError("TAR", `cannot archive "${file.path}": paths must be relative, without "." or ".." parts`);
    }
    if (seen.has(path)) throw new FlytekitError("TAR", `"${path}" is listed twice`);
    seen.add(path);
    const mode = file.executable ? 0o755 : 0o644;
    const split = splitPath(path);
    if (split) parts.push(header(split[1], file.data.byteLength, mode, "0", split[0]));
    else {
      const pax = paxRecord("path", path);
      parts.push(header("PaxHeader", pax.length, 0o644, "x"), pax, padding(pax.length));
      parts.push(header(path.slice(-100).replace(/^[^/]*\//, "") || "file", file.data.byteLength, mode, "0"));
    }
    parts.push(Buffer.from(file.data.buffer, file.data.byteOffset, file.data.byteLength), padding(file.data.byteLength));
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  const gz = gzipSync(Buffer.concat(parts), { level: 9 });
  gz[9] = 3; // the OS byte differs between zlib builds; pin it so archives match across machines
  return gz;
}

function text(block: Buffer, offset: number, width: number): string {
  const field = block.subarray(offset, offset + width);
  const end = field.indexOf(0);
  return field.subarray(0, end < 0 ? width : end).toString("utf8");
}

function number(block: Buffer, offset: number, width: number): number {
  const field = block.subarray(offset, offset + width);
  if ((field[0] ?? 0) & 0x80) {
    // GNU base-256 for sizes over 8 GiB.
    let value = 0;
    for (let i = 1; i < field.length; i++) value = value * 256 + (field[i] ?? 0);
    return value;
  }
  const digits = text(block, offset, width).trim();
  return digits ? parseInt(digits, 8) : 0;
}

function paxPath(data: Buffer): string | undefined {
  let path: string | undefined;
  let at = 0;
  while (at < data.length) {
    const space = data.indexOf(0x20, at);
    if (space < 0) break;
    const length = parseInt(data.subarray(at, space).toString("utf8"), 10);
    if (!Number.isFinite(length) || length <= 0) break;
    const record = data.subarray(space + 1, at + length - 1).toString("utf8");
    const eq = record.indexOf("=");
    if (record.slice(0, eq) === "path") path = record.slice(eq + 1);
    at += length;
  }
  return path;
}

/**
 * The regular files of a tar or gzipped tar (ustar, PAX `path` records and GNU long names), in
 * archive order. Checksums are verified; links, devices and directories are skipped.
 */
export function readTar(archive: Uint8Array): TarFile[] {
  let bytes = Buffer.from(archive.buffer, archive.byteOffset, archive.byteLength);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  const files: TarFile[] = [];
  let nextPath: string | undefined;
  for (let at = 0; at + BLOCK <= bytes.length; ) {
    const block = bytes.subarray(at, at + BLOCK);
    if (block.every((b) => b === 0)) break;
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (block[i] as number);
    if (sum !== number(block, 148, 8)) throw new FlytekitError("TAR", `not a tar archive (bad header checksum at byte ${at})`);
    const size = number(block, 124, 12);
    const type = String.fromCharCode(block[156] ?? 0);
    const data = bytes.subarray(at + BLOCK, at + BLOCK + size);
    at += BLOCK + size + ((BLOCK - (size % BLOCK)) % BLOCK);
    if (type === "x") {
      nextPath = paxPath(data) ?? nextPath;
      continue;
    }
    if (type === "L") {
      nextPath = text(data, 0, data.length);
      continue;
    }
    const prefix = text(block, 345, 155);
    const path = nextPath ?? (prefix ? `${prefix}/${text(block, 0, 100)}` : text(block, 0, 100));
    nextPath = undefined;
    if (type !== "0" && type !== "\0" && type !== "7") continue;
    files.push({ path: path.replace(/^\.\//, ""), data: new Uint8Array(data), executable: (number(block, 100, 8) & 0o111) !== 0 });
  }
  return files;
}
