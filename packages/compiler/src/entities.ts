import type { TaskSettings } from "@flytekit-ts/resources";
import type { Infer, InferValues, TypeDescriptor } from "@flytekit-ts/types";
import { callEntity } from "./builder.js";
import { NameSlot, attachNameSlot, nameEntity } from "./entity-naming.js";
import {
  ENTITY,
  type AnyEntity,
  type Bindable,
  type EntityKind,
  type FailurePolicy,
  type NodeOutputs,
  type Ref,
  type ReferenceLike,
  type Variables,
} from "./vocabulary.js";

/*
 * Declaring tasks, dynamic workflows and workflows, with the precise types authors see; the erased
 * shapes the compiler works with (`TaskLike`, `AnyEntity`, …) are in vocabulary.ts.
 */

/** The inputs whose type admits `null` (optional types): a call may leave them out, and they are bound to none. */
export type OptionalInputKeys<I extends Variables> = { [K in keyof I]: null extends Infer<I[K]> ? K : never }[keyof I];

/**
 * What a call site passes: each input as a value or as references to values (node outputs). Inputs of
 * an optional type may be left out (flytekit binds `None` for them).
 */
export type CallInputs<I extends Variables> = { [K in Exclude<keyof I, OptionalInputKeys<I>>]: Bindable<Infer<I[K]>> } & {
  [K in OptionalInputKeys<I>]?: Bindable<Infer<I[K]>>;
};
/** What a workflow or dynamic body returns for the outputs: values or references. */
export type BoundOutputs<O extends Variables> = { [K in keyof O]: Bindable<Infer<O[K]>> };
/** A workflow body's inputs: references to the workflow's inputs. */
export type InputRefs<I extends Variables> = { [K in keyof I]: Bindable<Infer<I[K]>> & Ref<Infer<I[K]>> };

interface EntityBase<I extends Variables, O extends Variables> {
  /** The registered name, e.g. `my_pkg.flows.t1` (flytekit: `<module>.<function>`). */
  readonly name: string;
  readonly inputs: I;
  readonly outputs: O;
}

/**
 * A task made by `task`: its code runs in its own container (or the local executor) with real values.
 * Call it in a workflow or dynamic body to add a node.
 */
export interface Task<I extends Variables = Variables, O extends Variables = Variables> extends EntityBase<I, O> {
  readonly [ENTITY]: "task";
  readonly settings: TaskSettings;
  /** The task's own code, run by the entrypoint or the local executor with real input values. */
  run(inputs: InferValues<I>): InferValues<O> | Promise<InferValues<O>>;
  /** Inside a workflow or dynamic body: adds a node calling this task and returns its outputs. */
  (inputs: CallInputs<I>): NodeOutputs<O>;
}

/**
 * A dynamic workflow made by `dynamic`: a task whose body, run with real values, returns the workflow
 * Flyte runs next. Call it in a workflow or dynamic body to add a node.
 */
export interface DynamicTask<I extends Variables = Variables, O extends Variables = Variables> extends EntityBase<I, O> {
  readonly [ENTITY]: "dynamic";
  readonly settings: TaskSettings;
  /** Runs with real input values at execution time; its calls become the nodes of a sub-workflow. */
  body(inputs: InferValues<I>): BoundOutputs<O> | Promise<BoundOutputs<O>>;
  /** Entities the body may call, registered alongside it (flytekit's `node_dependency_hints`). */
  readonly nodeDependencyHints: readonly AnyEntity[];
  /** Inside a workflow or dynamic body: adds a node calling this dynamic task and returns its outputs. */
  (inputs: CallInputs<I>): NodeOutputs<O>;
}

/**
 * A workflow made by `workflow`: a graph fixed at compile time. Call it in another workflow or a
 * dynamic body to add a sub-workflow node.
 */
export interface Workflow<I extends Variables = Variables, O extends Variables = Variables> extends EntityBase<I, O> {
  readonly [ENTITY]: "workflow";
  /** Runs once when the workflow is compiled, with references instead of values. */
  body(inputs: InputRefs<I>): BoundOutputs<O>;
  /** Default input values (the default launch plan's defaults; filled in when a call omits them). */
  readonly defaults: Partial<InferValues<I>>;
  readonly failurePolicy: FailurePolicy;
  readonly interruptible: boolean;
  readonly docs?: string;
  /** Runs when the workflow fails (the failure node, `fn0`): a task or workflow taking the workflow's inputs. */
  readonly onFailure?: AnyEntity;
  /** Inside a workflow or dynamic body: adds a sub-workflow node running this workflow and returns its outputs. */
  (inputs: CallInputs<I>): NodeOutputs<O>;
}

/** Whether a value is a flytekit-ts entity (from this or another copy of the package): how modules' exports are found. */
export function isEntity(value: unknown): value is AnyEntity {
  return typeof value === "function" && typeof (value as { [ENTITY]?: unknown })[ENTITY] === "string";
}

/**
 * Names the unnamed entities a module exports `<module path>.<export>`, as flyte-ts does when it loads
 * the module for packaging, registering, running or executing. For tests that import a module
 * themselves and run its entities with `runLocally`:
 * `nameExports(await import("../src/flows.js"), "src/flows.ts")` (the path from the project root, so
 * the names are the ones the module's entities are registered under). Exports are named in name order,
 * as a module namespace lists them; an entity with a name keeps it.
 */
export function nameExports(exports: Readonly<Record<string, unknown>>, modulePath: string): void {
  for (const exportName of Object.keys(exports).sort()) {
    const value = exports[exportName];
    if (isEntity(value)) nameEntity(value, modulePath, exportName);
  }
}

/** What kind of entity this is, for code that handles each kind differently. */
export function entityKind(entity: AnyEntity): EntityKind {
  return entity[ENTITY];
}

/**
 * Makes a callable entity: calling it inside a body adds a node. `name` is a string, a `NameSlot`
 * (named later by the loader, see entity-naming) or a function (a name derived from another
 * entity's, read when needed).
 */
export function callableEntity<E>(kind: EntityKind, props: Record<string, unknown>): E {
  const call = function (this: unknown, inputs: Record<string, unknown>) {
    return callEntity(call as unknown as AnyEntity, inputs);
  };
  const descriptors: PropertyDescriptorMap = { [ENTITY]: { value: kind, enumerable: false } };
  for (const [key, value] of Object.entries(props)) {
    if (key === "name" && value instanceof NameSlot) {
      attachNameSlot(call, value);
      descriptors[key] = { get: () => value.get(), enumerable: true };
    } else if (key === "name" && typeof value === "function") descriptors[key] = { get: value as () => string, enumerable: true };
    else descriptors[key] = { value, enumerable: true };
  }
  Object.defineProperties(call, descriptors);
  return Object.freeze(call) as unknown as E;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
export function checkName(kind: string, name: unknown): string {
  if (typeof name !== "string" || !NAME.test(name)) {
    throw new TypeError(`${kind} name must be a non-empty identifier such as "my_pkg.flows.t1", got ${JSON.stringify(name)}`);
  }
  return name;
}

/** The name slot of a declaration: its explicit name, checked, or none yet (given when its module is loaded). */
function declaredName(kind: string, name: unknown): NameSlot {
  return new NameSlot(kind, name === undefined ? undefined : checkName(kind, name));
}

/** An entity's name for messages, without failing for one not named yet. */
export function displayName(entity: { readonly name: string }): string {
  try {
    return entity.name;
  } catch {
    return "(unnamed)";
  }
}

export interface TaskDeclaration<I extends Variables, O extends Variables> extends TaskSettings {
  /**
   * Registered name, e.g. `my_pkg.flows.t1`. Default: `<module path>.<export name>` (flytekit's
   * `<module>.<function>`), given when flyte-ts loads the module that exports it.
   */
  name?: string;
  inputs?: I;
  outputs?: O;
}

function splitDeclaration<I extends Variables, O extends Variables>(declaration: TaskDeclaration<I, O> & { nodeDependencyHints?: unknown }) {
  const { name, inputs, outputs, nodeDependencyHints: _hints, ...settings } = declaration;
  return { name, inputs: (inputs ?? {}) as I, outputs: (outputs ?? {}) as O, settings: settings as TaskSettings };
}

/**
 * A task: code that runs in a container (or locally) with real values.
 *
 * ```ts
 * const t1 = task({ name: "my_pkg.t1", inputs: { a: t.int() }, outputs: { o0: t.string() } }, ({ a }) => ({ o0: `v${a}` }));
 * ```
 */
export function task<I extends Variables = {}, O extends Variables = {}>(
  declaration: TaskDeclaration<I, O>,
  run: (inputs: InferValues<I>) => InferValues<O> | Promise<InferValues<O>>,
): Task<I, O> {
  const { name, inputs, outputs, settings } = splitDeclaration(declaration);
  return callableEntity<Task<I, O>>("task", { name: declaredName("task", name), inputs, outputs, settings, run });
}

export interface DynamicDeclaration<I extends Variables, O extends Variables> extends TaskDeclaration<I, O> {
  nodeDependencyHints?: readonly AnyEntity[];
}

/**
 * A dynamic workflow: registered as a task; at run time its body runs with real input values (loops,
 * ifs) and the calls it makes become the nodes of a workflow Flyte then runs.
 */
export function dynamic<I extends Variables = {}, O extends Variables = {}>(
  declaration: DynamicDeclaration<I, O>,
  body: (inputs: InferValues<I>) => BoundOutputs<O> | Promise<BoundOutputs<O>>,
): DynamicTask<I, O> {
  const { name, inputs, outputs, settings } = splitDeclaration(declaration);
  return callableEntity<DynamicTask<I, O>>("dynamic", {
    name: declaredName("dynamic", name),
    inputs,
    outputs,
    settings,
    body,
    nodeDependencyHints: [...(declaration.nodeDependencyHints ?? [])],
  });
}

/** What `workflow` takes besides the body: name, interface, defaults and how the workflow fails. */
export interface WorkflowDeclaration<I extends Variables, O extends Variables> {
  /** Registered name; default `<module path>.<export name>`, as for tasks. */
  name?: string;
  inputs?: I;
  outputs?: O;
  defaults?: Partial<InferValues<I>>;
  failurePolicy?: FailurePolicy;
  /** Default for the nodes' interruptible flag (WorkflowMetadataDefaults). */
  interruptible?: boolean;
  docs?: string;
  /**
   * A task or workflow to run when the workflow fails (flytekit's `on_failure`), compiled as the
   * failure node `fn0`. It must accept every workflow input (same names and types); any other input
   * must be optional, e.g. `err: t.optional(flyteError())`, which Flyte fills with the failure.
   */
  onFailure?: AnyEntity;
}

/**
 * A workflow: its body runs once, at compile time, with references in place of values, and describes
 * the graph of calls.
 */
export function workflow<I extends Variables = {}, O extends Variables = {}>(
  declaration: WorkflowDeclaration<I, O>,
  body: (inputs: InputRefs<I>) => BoundOutputs<O>,
): Workflow<I, O> {
  return callableEntity<Workflow<I, O>>("workflow", {
    name: declaredName("workflow", declaration.name),
    inputs: declaration.inputs ?? {},
    outputs: declaration.outputs ?? {},
    body,
    defaults: declaration.defaults ?? {},
    failurePolicy: declaration.failurePolicy ?? "FAIL_IMMEDIATELY",
    interruptible: declaration.interruptible ?? false,
    ...(declaration.docs === undefined ? {} : { docs: declaration.docs }),
    ...(declaration.onFailure === undefined ? {} : { onFailure: checkFailureHandler(declaration.name ?? "(unnamed)", declaration.onFailure) }),
  });
}

function checkFailureHandler(workflowName: string, handler: unknown): AnyEntity {
  const kind = isEntity(handler) ? entityKind(handler) : undefined;
  const isTaskReference = kind === "reference" && (handler as ReferenceLike).reference.resourceType === "task";
  if (kind !== "task" && kind !== "workflow" && !isTaskReference) {
    throw new TypeError(`workflow "${workflowName}": onFailure must be a task or a workflow, got ${kind === undefined ? typeof handler : `a ${kind}`}`);
  }
  return handler as AnyEntity;
}
