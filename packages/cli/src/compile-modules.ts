import { extname, isAbsolute, relative, resolve, sep } from "node:path";
import { BUILD_DIR, checkBundle, compileRegistration, serializationContext, type BundleEntry } from "@flytekit-ts/compiler";
import { FlytekitError } from "@flytekit-ts/idl";
import { findEntities, locator, type FoundEntity } from "@flytekit-ts/runtime";
import { buildModules, type BuildResult } from "./build.js";
import { defaultImage } from "./default-image.js";
import { withLocalImports } from "./local-imports.js";

export interface CompileModulesOptions {
  /** The tasks' default container image (default: the runtime image of this release). */
  image?: string | undefined;
  /** Module paths are resolved against it, and recorded relative to it in the task templates. */
  sourceRoot: string;
  /**
   * Compile the modules to JavaScript first (`flyte-ts-build/`) and take the entities from the built
   * files, so the task args name what a pod runs: for `package` and `register`. A local `run` loads the
   * sources as they are.
   */
  build?: boolean;
  project?: string | undefined;
  domain?: string | undefined;
  version?: string | undefined;
}

export interface CompiledModules {
  entries: BundleEntry[];
  /** The entities the given modules export (what is registered, with everything they call). */
  found: FoundEntity[];
  /** The JavaScript build, when `build` was asked for (empty otherwise). */
  build: Pick<BuildResult, "files">;
}

/** A module's path relative to the root, without extension or build directory: the same for a source and its build. */
function moduleKey(root: string, module: string): string {
  let rel = relative(root, resolve(root, module)).split(sep).join("/");
  if (rel.startsWith(`${BUILD_DIR}/`)) rel = rel.slice(BUILD_DIR.length + 1);
  return rel.slice(0, rel.length - extname(rel).length);
}

/**
 * The one path every command takes from modules to entities: (build and) import the modules and the
 * project modules they import, find the entities they export, compile those of the given modules (with
 * everything they call) into a registration bundle and run FlytePropeller's checks on it (what
 * FlyteAdmin would refuse at registration fails here). `package`, `register`, `run --remote` and the
 * local `run` all go through it, so a local run fails exactly where packaging would.
 */
export async function compileModules(modules: readonly string[], options: CompileModulesOptions): Promise<CompiledModules> {
  const root = resolve(options.sourceRoot);
  const outside = modules.map((m) => resolve(root, m)).filter((m) => relative(root, m).startsWith("..") || isAbsolute(relative(root, m)));
  if (outside.length) throw new FlytekitError("USAGE", `${outside.join(", ")} ${outside.length > 1 ? "are" : "is"} outside the source root ${root} (--source-root)`);
  const all = await withLocalImports(modules, root);
  const build = options.build ? await buildModules(all, root) : undefined;
  const everything = build ? await findEntities(build.modules, build.root) : await findEntities(all, root);
  const given = new Set(modules.map((m) => moduleKey(root, m)));
  const found = everything.filter((f) => given.has(moduleKey(root, f.location.module)));
  if (found.length === 0) throw new FlytekitError("USAGE", `no tasks, workflows or dynamic workflows are exported by ${modules.join(", ")}`);
  const ctx = serializationContext({
    image: options.image ?? defaultImage(),
    locate: locator(everything),
    locations: () => Object.fromEntries(everything.map((f) => [f.entity.name, f.location])),
    ...(options.project === undefined ? {} : { project: options.project }),
    ...(options.domain === undefined ? {} : { domain: options.domain }),
    ...(options.version === undefined ? {} : { version: options.version }),
  });
  const { entries, references } = await compileRegistration(
    found.map((f) => f.entity),
    ctx,
  );
  checkBundle(entries, references);
  return { entries, found, build: { files: build?.files ?? [] } };
}
