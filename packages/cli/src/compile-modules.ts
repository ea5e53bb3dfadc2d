import { checkBundle, registrationBundle, serializationContext, type BundleEntry } from "@flytekit-ts/compiler";
import { FlytekitError } from "@flytekit-ts/idl";
import { findEntities, locator, type FoundEntity } from "@flytekit-ts/runtime";
import { buildModules, type BuildResult } from "./build.js";
import { defaultImage } from "./default-image.js";

export interface CompileModulesOptions {
  /** The tasks' default container image; default: this release's runtime image. */
  image?: string | undefined;
  /** Module paths are resolved against it, and recorded relative to it in the task templates. */
  sourceRoot: string;
  project?: string | undefined;
  domain?: string | undefined;
  version?: string | undefined;
  /**
   * Compile the modules to the JavaScript pods run (`flyte-ts-build/`, see build.ts) and take the
   * entities from it, as packaging and registering do. A local run loads the sources themselves.
   */
  build: boolean;
}

/**
 * The one path every command takes from modules to entities: import the modules, find the entities
 * they export, compile them all into a registration bundle and run FlytePropeller's checks on it (what
 * FlyteAdmin would refuse at registration fails here). `package`, `register`, `run --remote` and the
 * local `run` all go through it, so a local run fails exactly where packaging would.
 */
export interface CompiledModules {
  entries: BundleEntry[];
  found: FoundEntity[];
  /** The JavaScript build, when asked for. */
  build: BuildResult | undefined;
}

export async function compileModules(modules: readonly string[], options: CompileModulesOptions & { build: true }): Promise<CompiledModules & { build: BuildResult }>;
export async function compileModules(modules: readonly string[], options: CompileModulesOptions): Promise<CompiledModules>;
export async function compileModules(modules: readonly string[], options: CompileModulesOptions): Promise<CompiledModules> {
  const build = options.build ? await buildModules(modules, options.sourceRoot) : undefined;
  const found = build ? await findEntities(build.modules, build.root) : await findEntities(modules, options.sourceRoot);
  if (found.length === 0) throw new FlytekitError("USAGE", `no tasks, workflows or dynamic workflows are exported by ${modules.join(", ")}`);
  const ctx = serializationContext({
    image: options.image ?? defaultImage(),
    locate: locator(found),
    locations: () => Object.fromEntries(found.map((f) => [f.entity.name, f.location])),
    ...(options.project === undefined ? {} : { project: options.project }),
    ...(options.domain === undefined ? {} : { domain: options.domain }),
    ...(options.version === undefined ? {} : { version: options.version }),
  });
  const entries = await registrationBundle(
    found.map((f) => f.entity),
    ctx,
  );
  // What FlyteAdmin would reject at registration fails here, before anything is written or run.
  checkBundle(entries);
  return { entries, found, build };
}
