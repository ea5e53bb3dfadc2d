import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { create as createTar } from "tar";
import { contentVersion, encodeEntry, entryFileName } from "@flytekit-ts/compiler";
import { compileModules } from "./compile-modules.js";

export interface PackageOptions {
  modules: readonly string[];
  image: string;
  output: string;
  project?: string;
  domain?: string;
  version?: string;
  sourceRoot?: string;
}

export interface PackageResult {
  files: string[];
  /** A version derived from the content, for registering this bundle. */
  contentVersion: string;
}

/**
 * `flyte-ts package`: compiles every entity the modules export into a registration bundle in the layout
 * `pyflyte package` writes (`<n>_<name>_1.pb` TaskSpec, `_2.pb` WorkflowSpec, `_3.pb` LaunchPlan, in a
 * .tgz), which `flytectl register files` and `flyte-ts register` accept.
 */
export async function packageModules(options: PackageOptions): Promise<PackageResult> {
  const { entries } = await compileModules(options.modules, {
    image: options.image,
    sourceRoot: options.sourceRoot ?? process.cwd(),
    project: options.project,
    domain: options.domain,
    version: options.version,
  });
  const dir = await mkdtemp(join(tmpdir(), "flyte-ts-package-"));
  try {
    const files = entries.map(entryFileName);
    await Promise.all(entries.map((entry, i) => writeFile(join(dir, files[i] as string), encodeEntry(entry))));
    // Fixed mtime and ownership: the same source gives the same archive.
    await createTar({ gzip: true, file: options.output, cwd: dir, portable: true, mtime: new Date(0) }, files);
    return { files, contentVersion: contentVersion(entries) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
