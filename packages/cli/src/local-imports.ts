import { isAbsolute, relative, resolve, sep } from "node:path";
import { BUILD_DIR } from "@flytekit-ts/compiler";
import { FlytekitError } from "@flytekit-ts/idl";
import { loadEsbuild } from "./build.js";

const toPosix = (path: string): string => path.split(sep).join("/");
const SOURCE = /\.(?:[cm]?tsx?|[cm]?jsx?)$/;

/**
 * The given modules and every module of the project they import, directly or not, each after the
 * modules it imports. flytekit finds a task by the module that defines it, wherever it is called
 * from; here a task's container finds it by a module that exports it, so the modules a workflow's
 * tasks come from are loaded (and can be located) even when only the workflow's module is named.
 * Packages (`node_modules`) and earlier build output are not the project's modules.
 */
export async function withLocalImports(modules: readonly string[], sourceRoot: string): Promise<string[]> {
  const root = resolve(sourceRoot);
  const entries = modules.map((m) => resolve(root, m));
  const esbuild = await loadEsbuild();
  let metafile: import("esbuild").Metafile;
  try {
    ({ metafile } = await esbuild.build({
      absWorkingDir: root,
      entryPoints: entries,
      bundle: true,
      write: false,
      metafile: true,
      packages: "external",
      platform: "node",
      format: "esm",
      logLevel: "silent",
      outdir: resolve(root, BUILD_DIR, ".imports"),
    }));
  } catch (error) {
    const errors = (error as { errors?: { text: string; location?: { file: string; line: number; column: number } | null }[] }).errors;
    const detail = errors?.length ? errors.map((e) => (e.location ? `${e.location.file}:${e.location.line}:${e.location.column}: ${e.text}` : e.text)).join("\n") : (error as Error).message;
    throw new FlytekitError("BUILD", `compiling ${modules.join(", ")} to JavaScript failed:\n${detail}`, { cause: error });
  }
  const isProjectModule = (input: string): boolean => {
    const rel = relative(root, resolve(root, input));
    return SOURCE.test(input) && !rel.startsWith("..") && !isAbsolute(rel) && !rel.split(sep).includes("node_modules") && !toPosix(rel).startsWith(`${BUILD_DIR}/`);
  };
  const ordered: string[] = [];
  const done = new Set<string>();
  const visit = (input: string): void => {
    if (done.has(input)) return;
    done.add(input);
    for (const imported of metafile.inputs[input]?.imports ?? []) if (!imported.external) visit(imported.path);
    if (isProjectModule(input)) ordered.push(resolve(root, input));
  };
  for (const entry of entries) visit(toPosix(relative(root, entry)));
  // A given module esbuild did not list (nothing to bundle) still counts.
  for (const entry of entries) if (!ordered.includes(entry)) ordered.push(entry);
  return ordered;
}
