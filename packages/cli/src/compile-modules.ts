import { checkBundle, registrationBundle, serializationContext, type BundleEntry } from "@flytekit-ts/compiler";
import { FlytekitError } from "@flytekit-ts/idl";
import { findEntities, locator, type FoundEntity } from "@flytekit-ts/runtime";

export interface CompileModulesOptions {
  /** The tasks' default container image. */
  image: string;
  /** Module paths are resolved against it, and recorded relative to it in the task templates. */
  sourceRoot: string;
  project?: string | undefined;
  domain?: string | undefined;
  version?: string | undefined;
}

/**
 * The one path every command takes from modules to entities: import the modules, find the entities
 * they export, compile them all into a registration bundle and run FlytePropeller's checks on it (what
 * FlyteAdmin would refuse at registration fails here). `package`, `register`, `run --remote` and the
 * local `run` all go through it, so a local run fails exactly where packaging would.
 */
export async function compileModules(modules: readonly string[], options: CompileModulesOptions): Promise<{ entries: BundleEntry[]; found: FoundEntity[] }> {
  const found = await findEntities(modules, options.sourceRoot);
  if (found.length === 0) throw new FlytekitError("USAGE", `no tasks, workflows or dynamic workflows are exported by ${modules.join(", ")}`);
  const ctx = serializationContext({
    image: options.image,
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
  checkBundle(entries);
  return { entries, found };
}
