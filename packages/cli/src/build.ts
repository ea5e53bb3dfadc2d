import { mkdir, rm, writeFile } from "node:fs/promises";
import { dirname, extname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { BUILD_DIR } from "@flytekit-ts/compiler";
import { FlytekitError } from "@flytekit-ts/idl";

/** One file of a build, at its path relative to the source root (always under `flyte-ts-build/`). */
export interface BuiltFile {
  readonly path: string;
  readonly contents: Uint8Array;
}

export interface BuildResult {
  /** The absolute source root. */
  readonly root: string;
  /**
   * Each given module's built file, relative to the root (what task args name), a module after the
   * given modules it imports: loading them in this order names an entity by the module that defines
   * it, not by one that re-exports it.
   */
  readonly modules: readonly string[];
  /** Every file written (entries, shared chunks, source maps), relative to the root, sorted. */
  readonly files: readonly BuiltFile[];
}

const toPosix = (path: string): string => path.split(sep).join("/");

/** esbuild is an optional dependency of the CLI: pods run the built JavaScript and never need it. */
export async function loadEsbuild(): Promise<typeof import("esbuild")> {
  try {
    return await import("esbuild");
  } catch (cause) {
    throw new FlytekitError("MISSING_BUILDER", "esbuild is not installed: packaging and registering compile your modules with it (npm install esbuild)", { cause });
  }
}

/**
 * Compiles the user's modules to plain JavaScript under `<root>/flyte-ts-build/` — what a task's pod
 * loads, so that no pod compiles TypeScript at start-up. Every module becomes an ES module at its
 * own path (`src/flows.ts` → `flyte-ts-build/src/flows.mjs`); code two modules share goes into one
 * chunk, so an entity is one object whichever module imports it. Dependencies (bare imports such as
 * `flytekit-ts`) stay imports: they come from the image's `node_modules`. Linked source maps point at
 * the TypeScript lines (the entrypoint enables them). The same sources give the same bytes.
 */
export async function buildModules(modules: readonly string[], sourceRoot: string): Promise<BuildResult> {
  const root = resolve(sourceRoot);
  const outDir = join(root, BUILD_DIR);
  const entries = modules.map((m) => resolve(root, m));
  for (const entry of entries) {
    const rel = relative(root, entry);
    if (rel.startsWith("..") || isAbsolute(rel)) throw new FlytekitError("USAGE", `${entry} is outside the source root ${root} (--source-root)`);
    if (rel === BUILD_DIR || rel.startsWith(BUILD_DIR + sep)) throw new FlytekitError("USAGE", `${entry} is build output (${BUILD_DIR}/); give the source modules`);
  }
  const esbuild = await loadEsbuild();
  let result: import("esbuild").BuildResult<{ write: false; metafile: true }>;
  try {
    result = await esbuild.build({
      absWorkingDir: root,
      entryPoints: entries,
      outbase: root,
      outdir: outDir,
      entryNames: "[dir]/[name]",
      chunkNames: "_chunks/[name]-[hash]",
      outExtension: { ".js": ".mjs" },
      bundle: true,
      splitting: true,
      format: "esm",
      platform: "node",
      target: "node20",
      packages: "external",
      sourcemap: "linked",
      sourcesContent: false,
      // Function and class names stay as written, for stack traces and error messages.
      keepNames: true,
      legalComments: "none",
      charset: "utf8",
      logLevel: "silent",
      write: false,
      metafile: true,
    });
  } catch (error) {
    const errors = (error as { errors?: { text: string; location?: { file: string; line: number; column: number } | null }[] }).errors;
    const detail = errors?.length
      ? errors.map((e) => (e.location ? `${e.location.file}:${e.location.line}:${e.location.column}: ${e.text}` : e.text)).join("\n")
      : (error as Error).message;
    throw new FlytekitError("BUILD", `compiling ${modules.join(", ")} to JavaScript failed:\n${detail}`, { cause: error });
  }
  const files = result.outputFiles
    .map((f) => ({ path: toPosix(relative(root, f.path)), contents: f.contents }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const builtModules = dependenciesFirst(entries, root, result.metafile).map((entry) => {
    const rel = toPosix(relative(root, entry));
    return `${BUILD_DIR}/${rel.slice(0, rel.length - extname(rel).length)}.mjs`;
  });
  for (const m of builtModules) if (!files.some((f) => f.path === m)) throw new FlytekitError("BUILD", `esbuild wrote no ${m}`);

  // The directory is the build's alone: what an earlier build left must not be shipped.
  await rm(outDir, { recursive: true, force: true });
  for (const file of files) {
    const path = join(root, file.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, file.contents);
  }
  return { root, modules: builtModules, files };
}

/** The entries, each after the entries it imports (directly or not); otherwise in the order given. */
function dependenciesFirst(entries: readonly string[], root: string, metafile: import("esbuild").Metafile): string[] {
  const key = (absolute: string): string => toPosix(relative(root, absolute));
  const entryByKey = new Map(entries.map((e) => [key(e), e]));
  const ordered: string[] = [];
  const done = new Set<string>();
  const visiting = new Set<string>();
  const visit = (input: string): void => {
    if (done.has(input) || visiting.has(input)) return;
    visiting.add(input);
    for (const imported of metafile.inputs[input]?.imports ?? []) if (!imported.external) visit(imported.path);
    visiting.delete(input);
    done.add(input);
    const entry = entryByKey.get(input);
    if (entry) ordered.push(entry);
  };
  for (const entry of entries) visit(key(entry));
  return ordered;
}
