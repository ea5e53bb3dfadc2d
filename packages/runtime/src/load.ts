import { relative, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { entityKind, isEntity, nameEntityAs, nameExports, type AnyEntity, type EntityLocation } from "@flytekit-ts/compiler";
import { FlytekitError } from "@flytekit-ts/idl";

/** An entity found among a module's exports, and where the container will find it again. */
export interface FoundEntity {
  readonly entity: AnyEntity;
  readonly location: EntityLocation;
}

/**
 * How TypeScript modules are made loadable on this machine. The runtime runs JavaScript only (pods
 * load what `flyte-ts package` / `register` built); the CLI installs tsx's loader here for the
 * commands that load a user's sources directly (`run`, `graph`).
 */
let typescriptSupport: (() => Promise<void>) | undefined;
let typescriptLoader: Promise<void> | undefined;

/** Installs what makes `.ts` modules importable (called once, before the first TypeScript module loads). */
export function useTypeScriptLoader(register: () => Promise<void>): void {
  typescriptSupport = register;
}

const isTypeScript = (path: string): boolean => /\.[cm]?tsx?$/.test(path);

/** Imports a JavaScript module (or TypeScript, where a loader is installed) by path relative to the source root, naming it on failure. */
async function importModule(module: string, sourceRoot: string): Promise<{ path: string; exports: Record<string, unknown> }> {
  const path = resolve(sourceRoot, module);
  try {
    if (isTypeScript(path) && typescriptSupport) {
      typescriptLoader ??= typescriptSupport();
      await typescriptLoader;
    }
    return { path, exports: (await import(pathToFileURL(path).href)) as Record<string, unknown> };
  } catch (cause) {
    const hint =
      isTypeScript(path) && (cause as { code?: unknown }).code === "ERR_UNKNOWN_FILE_EXTENSION"
        ? " (the runtime loads JavaScript: flyte-ts package and register compile TypeScript modules to flyte-ts-build/, which task containers run)"
        : "";
    throw new FlytekitError("MODULE_LOAD", `cannot load ${module}: ${(cause as Error).message}${hint}`, { cause });
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
  const byName = new Map<string, FoundEntity>();
  for (const module of modules) {
    const { path, exports } = await importModule(module, sourceRoot);
    const modulePath = relative(sourceRoot, path).split(sep).join("/");
    nameExports(exports, modulePath);
    for (const [exportName, value] of Object.entries(exports)) {
      if (!isEntity(value) || seen.has(value)) continue;
      seen.add(value);
      const entry = { entity: value, location: { module: modulePath, name: exportName } };
      // A reference is never packaged under its name (it names what is registered already), so two
      // references to one entity, or a reference beside that entity's definition, do not clash.
      const other = entityKind(value) === "reference" ? undefined : byName.get(value.name);
      if (other) {
        throw new FlytekitError(
          "DUPLICATE_NAME",
          `two entities are named "${value.name}": export ${other.location.name} of ${other.location.module} and export ${exportName} of ${modulePath}; give one a name: "…" of its own`,
        );
      }
      if (entityKind(value) !== "reference") byName.set(value.name, entry);
      found.push(entry);
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
  const { path, exports } = await importModule(module, sourceRoot);
  nameExports(exports, relative(sourceRoot, path).split(sep).join("/"));
  const entity = exports[name];
  if (!isEntity(entity)) {
    throw new FlytekitError("ENTITY_NOT_FOUND", `${module} exports no task, workflow or dynamic workflow named "${name}"`);
  }
  return entity;
}

/**
 * Names the entities a dynamic task may call, by the registered names its registration context
 * records (name → module and export): the task's own module may import entities from modules the
 * container has not loaded, and an unnamed one must get the name it was registered under.
 */
export async function nameFromLocations(locations: Readonly<Record<string, EntityLocation>>, sourceRoot = process.cwd()): Promise<void> {
  const byModule = new Map<string, [string, EntityLocation][]>();
  for (const entry of Object.entries(locations)) byModule.set(entry[1].module, [...(byModule.get(entry[1].module) ?? []), entry]);
  for (const [module, entries] of byModule) {
    const { exports } = await importModule(module, sourceRoot);
    for (const [registered, location] of entries) {
      const value = exports[location.name];
      if (isEntity(value)) nameEntityAs(value, registered);
    }
  }
}
