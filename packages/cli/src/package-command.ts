import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { create as createTar } from "tar";
import { contentVersion, encodeEntry, entryFileName } from "@flytekit-ts/compiler";
import type { BuiltFile } from "./build.js";
import { compileModules } from "./compile-modules.js";

/** `flyte-ts package`'s options: the modules, the bundle's path, and what the ids and images say. */
export interface PackageOptions {
  modules: readonly string[];
  /** The tasks' default image; default: this release's runtime image (see default-image.ts). */
  image?: string;
  output: string;
  project?: string;
  domain?: string;
  version?: string;
  sourceRoot?: string;
}

/** What `packageModules` wrote. */
export interface PackageResult {
  /** The registration files (.pb), in order. */
  files: string[];
  /** The compiled code shipped beside them (under flyte-ts-build/), which the task args name. */
  code: string[];
  /** A version derived from the content, for registering this bundle. */
  contentVersion: string;
}

/**
 * `flyte-ts package`: compiles every entity the modules export into a registration bundle in the layout
 * `pyflyte package` writes (`<n>_<name>_1.pb` TaskSpec, `_2.pb` WorkflowSpec, `_3.pb` LaunchPlan, in a
 * .tgz), which `flytectl register files` and `flyte-ts register` accept. The modules are first compiled
 * to JavaScript (`flyte-ts-build/`, see build.ts), which the bundle also holds: the task args name
 * those files, so a container runs them from the extracted bundle (or an image that copies them)
 * without any TypeScript tooling.
 */
export async function packageModules(options: PackageOptions): Promise<PackageResult> {
  const { entries, build } = await compileModules(options.modules, {
    image: options.image,
    sourceRoot: options.sourceRoot ?? process.cwd(),
    build: true,
    project: options.project,
    domain: options.domain,
    version: options.version,
  });
  const dir = await mkdtemp(join(tmpdir(), "flyte-ts-package-"));
  try {
    const files = entries.map(entryFileName);
    await Promise.all(entries.map((entry, i) => writeFile(join(dir, files[i] as string), encodeEntry(entry))));
    await writeCode(dir, build.files);
    // Fixed mtime and ownership, files listed one by one in a fixed order: the same source gives the same archive.
    const code = build.files.map((f) => f.path);
    await createTar({ gzip: true, file: options.output, cwd: dir, portable: true, mtime: new Date(0), noDirRecurse: true }, [...files, ...code]);
    return { files, code, contentVersion: contentVersion(entries) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function writeCode(dir: string, files: readonly BuiltFile[]): Promise<void> {
  for (const file of files) {
    await mkdir(dirname(join(dir, file.path)), { recursive: true });
    await writeFile(join(dir, file.path), file.contents);
  }
}
