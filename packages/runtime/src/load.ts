import { relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { isEntity, type AnyEntity, type EntityLocation } from "@flytekit-ts/compiler";
import { FlytekitError } from "@flytekit-ts/idl";

/** An entity found among a module's exports, and where the container will find it again. */
export interface FoundEntity {
  readonly entity: AnyEntity;
  readonly location: EntityLocation;
}

let typescriptLoader: Promise<void> | undefined;

/** TypeScript modules load through tsx's loader, registered once and only when a .ts file is given. */
function ensureTypeScriptLoader(): Promise<void> {
  typescriptLoader ??= import("tsx/esm/api").then(({ register }) => void register());
  return typescriptLoader;
}

/** Imports a JavaScript or TypeScript module by path (relative to the source root), naming it on failure. */
async function importModule(module: string, sourceRoot: string): Promise<{ path: string; exports: Record<string, unknown> }> {
  const path = resolve(sourceRoot, module);
  if (/\.[cm]?tsx?$/.test(path)) await ensureTypeScriptLoader();
  try {
    return { path, exports: (await import(pathToFileURL(path).href)) as Record<string, unknown> };
  } catch (cause) {
    throw new FlytekitError("MODULE_LOAD", `cannot load ${module}: ${(cause as Error).message}`, { cause });
  }
}

/**
 * Imports the given modules and lists the entities they export (modules in the order given, each
 * module's exports in name order, as module namespaces list them). Entities are found by scanning
 * exports, never by side effects of importing. Module paths are recorded relative to the
 * source root, which is where the container runs `flyte-ts execute` from.
 */
export async function findEntities(modules: readonly string[], sourceRoot = process.cwd()): Promise<FoundEntity[]> {
  const found: FoundEntity[] = [];
  const seen = new Set<AnyEntity>();
  for (const module of modules) {
    const { path, exports } = await importModule(module, sourceRoot);
    for (const [exportName, value] of Object.entries(exports)) {
      if (!isEntity(value) || seen.has(value)) continue;
      seen.add(value);
      found.push({ entity: value, location: { module: relative(sourceRoot, path), name: exportName } });
    }
  }
  return found;
}

/** The location of every entity, failing clearly for one that is used but not exported. */
export function locator(found: readonly FoundEntity[]): (entity: AnyEntity) => EntityLocation {
  const byEntity = new Map(found.map((f) => [f.entity, f.location]));
  return (entity) => {
    const location = byEntity.get(entity);
    if (!location) {
      throw new FlytekitError(
        "ENTITY_NOT_EXPORTED",
        `${entity.name} is called but not exported from any of the given modules; export it so that the container can find it`,
      );
    }
    return location;
  };
}

/** Loads the entity a container runs: `module` relative to the source root, `name` its export. */
export async function loadEntity(module: string, name: string, sourceRoot = process.cwd()): Promise<AnyEntity> {
  const { exports } = await importModule(module, sourceRoot);
  const entity = exports[name];
  if (!isEntity(entity)) {
    throw new FlytekitError("ENTITY_NOT_FOUND", `${module} exports no task, workflow or dynamic workflow named "${name}"`);
  }
  return entity;
}
