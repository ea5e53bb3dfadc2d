import { readFile, readdir, stat } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import { FlytekitError } from "@flytekit-ts/idl";
import { md5 } from "./data.js";
import { createTarGz, type TarFile } from "./tar.js";

/** Never shipped: dependencies come from the image, VCS data and secrets never leave the machine. */
const IGNORED_DIRECTORIES = new Set(["node_modules", ".git", ".hg", ".svn", ".turbo", ".cache", ".next", ".idea", ".vscode", ".pnpm-store", "__pycache__"]);
const IGNORED_FILES = [/^\.DS_Store$/, /^\.env(\..*)?$/, /^\.npmrc$/, /\.tgz$/, /\.tar\.gz$/];

/** Name of the ignore file read from the source root (gitignore-like: `name`, `*.ext`, `dir/`, `path/from/root`; `#` comments). */
export const IGNORE_FILE = ".flyteignore";

/** What `sourcePackage` archives for fast registration. */
export interface SourcePackageOptions {
  /** The source root: module paths in task args are relative to it, and it is unpacked as the container's `--dest-dir`. */
  root: string;
  /** Files or directories under the root to ship (default: the whole root). */
  include?: readonly string[];
  /** More paths to leave out, relative to the root with forward slashes. */
  ignore?: (relativePath: string, isDirectory: boolean) => boolean;
}

/** A fast-registration archive, ready to upload. */
export interface SourcePackage {
  /** The gzipped tar, byte-for-byte the same for the same files. */
  archive: Buffer;
  /** MD5 of the archive (raw bytes), what CreateUploadLocation asks for. */
  md5: Buffer;
  /** `fast<md5 hex>.tar.gz`, as flytekit names its fast-registration archives. */
  fileName: string;
  /** The archived paths, relative to the root, sorted. */
  files: string[];
}

function globToRegExp(glob: string): RegExp {
  let out = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === "*") {
      if (glob[i + 1] === "*") {
        out += ".*";
        i++;
        if (glob[i + 1] === "/") i++;
      } else out += "[^/]*";
    } else if (c === "?") out += "[^/]";
    else out += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${out}$`);
}

/** A matcher for `.flyteignore` lines (a practical gitignore subset; negation is not supported). */
export function ignoreMatcher(lines: readonly string[]): (relativePath: string, isDirectory: boolean) => boolean {
  const rules = lines
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#") && !l.startsWith("!"))
    .map((l) => {
      const directoryOnly = l.endsWith("/");
      const pattern = l.replace(/\/+$/, "");
      const anchored = pattern.includes("/");
      return { directoryOnly, anchored, re: globToRegExp(pattern.replace(/^\//, "")) };
    });
  return (path, isDirectory) =>
    rules.some((r) => (!r.directoryOnly || isDirectory) && (r.anchored ? r.re.test(path) : r.re.test(path.slice(path.lastIndexOf("/") + 1))));
}

/**
 * Packs the user's source for fast registration: every file under `include` (default: the root),
 * without dependencies (`node_modules`), VCS directories, `.env*` files, archives, and what
 * `.flyteignore` lists; deterministic, so unchanged sources keep their name and content hash.
 */
export async function packageSource(options: SourcePackageOptions): Promise<SourcePackage> {
  const root = resolve(options.root);
  let ignoreLines: string[] = [];
  try {
    ignoreLines = (await readFile(join(root, IGNORE_FILE), "utf8")).split(/\r?\n/);
  } catch {
    // no ignore file
  }
  const fromFile = ignoreMatcher(ignoreLines);
  const ignored = (path: string, isDirectory: boolean): boolean => {
    const name = path.slice(path.lastIndexOf("/") + 1);
    if (isDirectory ? IGNORED_DIRECTORIES.has(name) : IGNORED_FILES.some((re) => re.test(name))) return true;
    return fromFile(path, isDirectory) || (options.ignore?.(path, isDirectory) ?? false);
  };

  const files = new Map<string, TarFile>();
  const visit = async (absolute: string): Promise<void> => {
    const path = relative(root, absolute).split(sep).join("/");
    if (path.startsWith("..")) throw new FlytekitError("USAGE", `${absolute} is outside the source root ${root}`);
    const info = await stat(absolute);
    if (info.isDirectory()) {
      if (path && ignored(path, true)) return;
      for (const name of (await readdir(absolute)).sort()) await visit(join(absolute, name));
    } else if (info.isFile()) {
      if (!path || ignored(path, false) || files.has(path)) return;
      files.set(path, { path, data: await readFile(absolute), executable: (info.mode & 0o111) !== 0 });
    }
  };
  for (const include of options.include?.length ? options.include : ["."]) await visit(resolve(root, include));
  if (files.size === 0) throw new FlytekitError("USAGE", `nothing to package under ${root}`);

  const archive = createTarGz([...files.values()]);
  const digest = md5(archive);
  return { archive, md5: digest, fileName: `fast${digest.toString("hex")}.tar.gz`, files: [...files.keys()].sort() };
}
