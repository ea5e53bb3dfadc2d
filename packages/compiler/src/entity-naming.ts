/**
 * Default entity names, as flytekit derives them: `<module>.<function>`, where the module is the
 * file's path from the project (source) root with dots for slashes and no extension. The name is
 * given when the module is loaded — for packaging, registering, running or executing — from the
 * module's path and the export's name, so every path gives an entity the same name. An explicit
 * `name` always wins.
 */

/** Where `flyte-ts package` and `register` put the JavaScript they compile, under the source root. */
export const BUILD_DIR = "flyte-ts-build";

/** The module part of a default name: `src/flows.ts` (or its build, `flyte-ts-build/src/flows.mjs`) → `src.flows`. */
export function moduleName(modulePath: string): string {
  let path = modulePath.replace(/\\/g, "/").replace(/^\.\//, "");
  if (path.startsWith(`${BUILD_DIR}/`)) path = path.slice(BUILD_DIR.length + 1);
  // An index module is named by its directory, as a Python package is by its directory.
  path = path.replace(/\.[cm]?[jt]sx?$/, "").replace(/\/index$/, "");
  return path.split("/").join(".");
}

/** `<module>.<export>`, failing clearly when the path does not make a valid name. */
export function defaultEntityName(modulePath: string, exportName: string): string {
  const name = `${moduleName(modulePath)}.${exportName}`;
  if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name)) {
    throw new TypeError(`cannot derive a name for export "${exportName}" of ${modulePath}: "${name}" is not a valid entity name; give it name: "…"`);
  }
  return name;
}

/** An entity's name: set by its declaration, or later, once, by the loader. */
export class NameSlot {
  constructor(
    readonly kind: string,
    public value: string | undefined,
  ) {}

  get(): string {
    if (this.value === undefined) {
      throw new TypeError(
        `this ${this.kind} has no name yet: export it from a module that flyte-ts loads (package, register, run, execute), which names it <module path>.<export> (in a test that imports the module itself: nameExports(module, "<path from the project root>")), or give it name: "…"`,
      );
    }
    return this.value;
  }
}

const slots = new WeakMap<object, NameSlot>();

/** Records the slot behind an entity's `name` (called by the entity factory). */
export function attachNameSlot(entity: object, slot: NameSlot): void {
  slots.set(entity, slot);
}

/** Whether the entity has a name (explicit or already given by a loader). */
export function isNamed(entity: object): boolean {
  return slots.get(entity)?.value !== undefined || !slots.has(entity);
}

/**
 * Gives an unnamed entity its default name (`<module>.<export>`); an entity already named keeps its
 * name. Returns the entity's name.
 */
export function nameEntity(entity: object, modulePath: string, exportName: string): string {
  const slot = slots.get(entity);
  if (slot && slot.value === undefined) slot.value = defaultEntityName(modulePath, exportName);
  return (entity as { name: string }).name;
}

/** Gives an unnamed entity the given name (the registered name a dynamic's registration context records). */
export function nameEntityAs(entity: object, name: string): void {
  const slot = slots.get(entity);
  if (slot && slot.value === undefined) slot.value = name;
}
