import type { flyteidl } from "@flytekit-ts/idl";
import type { NodeOverrideSettings, TaskSettings, Timeout } from "@flytekit-ts/resources";
import type { Infer, LiteralType, TypeDescriptor } from "@flytekit-ts/types";
import type { Condition } from "./condition.js";
import type { Problem } from "./problems.js";

/*
 * The words the authoring core shares: what an entity is, the node a call records and what it runs,
 * a reference to a value a node will produce, and the options of launch plans, references and node
 * overrides. Declarations and the symbols that mark them only, no behaviour: every module that makes
 * or uses these imports them from here, and this module imports no other module of the core (only
 * two leaves below it: the `Condition` data classes and the `Problem` record). That keeps the core's
 * imports, types included, running one way (see ARCHITECTURE.md).
 */

// ——— Entities ———

/** An entity's inputs or outputs: names to type descriptors. */
export type Variables = Record<string, TypeDescriptor<unknown>>;
/** The brand of an entity, holding its `EntityKind`; registered, so entities from another copy of the package are recognised. */
export const ENTITY = Symbol.for("flytekit-ts.entity");
/**
 * What an entity is: a task, a dynamic workflow, a workflow, a map task (`mapTask`), a launch plan
 * (`launchPlan`) or a reference to something already registered (`referenceTask` & co.).
 */
export type EntityKind = "task" | "dynamic" | "workflow" | "map" | "launchPlan" | "reference";

/** When a workflow with a failed node stops: at once (the default), or after every node that can still run has run. */
export type FailurePolicy = "FAIL_IMMEDIATELY" | "FAIL_AFTER_EXECUTABLE_NODES_COMPLETE";

/*
 * Erased shapes that every entity is assignable to, whatever its inputs and outputs: no call signature
 * (parameters would make them invariant) and methods (whose parameters TypeScript checks bivariantly).
 * The compiler works with these; authors see the precise types of entities.ts.
 */
interface EntityShape {
  readonly name: string;
  readonly inputs: Variables;
  readonly outputs: Variables;
}
/** Any task, whatever its inputs and outputs: the shape code that handles tasks generically accepts. */
export interface TaskLike extends EntityShape {
  readonly [ENTITY]: "task";
  readonly settings: TaskSettings;
  /** The task's code (its inputs are erased here; see `Task.run`). */
  run(inputs: never): unknown;
}
/** Any dynamic workflow, whatever its inputs and outputs. */
export interface DynamicLike extends EntityShape {
  readonly [ENTITY]: "dynamic";
  readonly settings: TaskSettings;
  readonly nodeDependencyHints: readonly AnyEntity[];
  /** The dynamic's body (its inputs are erased here; see `DynamicTask.body`). */
  body(inputs: never): unknown;
}
/** Any workflow, whatever its inputs and outputs. */
export interface WorkflowLike extends EntityShape {
  readonly [ENTITY]: "workflow";
  readonly defaults: Readonly<Record<string, unknown>>;
  readonly failurePolicy: FailurePolicy;
  readonly interruptible: boolean;
  readonly docs?: string;
  readonly onFailure?: AnyEntity;
  /** The workflow's body (its inputs are erased here; see `Workflow.body`). */
  body(inputs: never): unknown;
}
/** A map task (see `mapTask`): its inputs and outputs are the mapped task's, as lists. */
export interface MapTaskLike extends EntityShape {
  readonly [ENTITY]: "map";
  /** The task run once per list index. */
  readonly task: TaskLike;
  /** The task's settings (the map task's template is the task's, with the map entrypoint). */
  readonly settings: TaskSettings;
  /** Inputs passed whole to every index instead of being mapped over, sorted. */
  readonly boundInputs: readonly string[];
  readonly concurrency?: number;
  readonly minSuccesses?: number;
  readonly minSuccessRatio: number;
}
/** A launch plan (see `launchPlan`). */
export interface LaunchPlanLike extends EntityShape {
  readonly [ENTITY]: "launchPlan";
  readonly workflow: WorkflowLike;
  readonly defaultInputs: Readonly<Record<string, unknown>>;
  readonly fixedInputs: Readonly<Record<string, unknown>>;
  readonly options: LaunchPlanOptions;
}
/** A reference to an entity already registered (see `referenceTask`, `referenceWorkflow`, `referenceLaunchPlan`). */
export interface ReferenceLike extends EntityShape {
  readonly [ENTITY]: "reference";
  readonly reference: ReferenceSpec;
}
/** Anything that compiles to a task template: a task, a dynamic workflow or a map task. */
export type AnyTask = TaskLike | DynamicLike | MapTaskLike;
/** Any entity a workflow can call or a bundle can hold. */
export type AnyEntity = TaskLike | DynamicLike | WorkflowLike | MapTaskLike | LaunchPlanLike | ReferenceLike;

// ——— Launch plan options (launch-plan.ts checks them, launch-plan-spec.ts writes them) ———

/**
 * When a launch plan runs by itself. `kickoffTimeInput` names a datetime input of the workflow that
 * Flyte fills with the scheduled time of each run.
 */
export type Schedule =
  /** A cron expression (`"0 10 * * *"`, `"@daily"`), optionally with an ISO-8601 `offset`. */
  | { readonly cron: string; readonly offset?: string; readonly kickoffTimeInput?: string }
  /** Every `fixedRate` (whole minutes, hours or days; seconds or `{ hours: 2 }`). */
  | { readonly fixedRate: Timeout; readonly kickoffTimeInput?: string };

/** The terminal phases a notification can be sent on. */
export type NotificationPhase = "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED";

/** A notification sent when an execution of the launch plan reaches one of `phases`. */
export type Notification = { readonly phases: readonly NotificationPhase[] } & (
  | { readonly email: readonly string[] }
  | { readonly slack: readonly string[] }
  | { readonly pagerDuty: readonly string[] }
);

/** Who executions run as (`core.SecurityContext.run_as`). */
export interface LaunchPlanSecurityContext {
  readonly serviceAccount?: string;
  readonly iamRole?: string;
  readonly executionIdentity?: string;
}

/** Everything a launch plan sets besides its inputs. */
export interface LaunchPlanOptions {
  readonly schedule?: Schedule;
  readonly notifications?: readonly Notification[];
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  /** Where executions write offloaded data (`raw_output_data_config.output_location_prefix`). */
  readonly rawOutputDataPrefix?: string;
  /** How many task nodes of one execution may run at once. */
  readonly maxParallelism?: number;
  readonly securityContext?: LaunchPlanSecurityContext;
  /** Recompute cached outputs instead of reading them. */
  readonly overwriteCache?: boolean;
}

// ——— References to registered entities (references.ts makes them) ———

/** Where a registered entity is: all four parts are needed (as in flytekit). */
export interface ReferenceId {
  readonly project: string;
  readonly domain: string;
  readonly name: string;
  readonly version: string;
}

/** A reference workflow's templates, as `WorkflowSpec` / a compiled closure carries them. */
export interface ReferencedWorkflowTemplates {
  readonly template: flyteidl.core.WorkflowTemplate.$Properties;
  readonly subWorkflows?: readonly flyteidl.core.WorkflowTemplate.$Properties[];
}

/**
 * Where a reference points: the registered id, its kind, and for tasks and workflows the templates a
 * dynamic must embed when it calls them.
 */
export type ReferenceSpec =
  | (ReferenceId & { readonly resourceType: "task"; readonly template?: flyteidl.core.TaskTemplate.$Properties })
  | (ReferenceId & { readonly resourceType: "workflow"; readonly template?: ReferencedWorkflowTemplates })
  | (ReferenceId & { readonly resourceType: "launchPlan" });

// ——— Nodes: what a call records (builder.ts records them) ———

/** What a node runs: an entity (task, workflow, map task, launch plan, reference), a branch or a gate. */
export type NodeTarget = AnyEntity | BranchTarget | GateTarget;

/** One call made in a body: the node it becomes. */
export interface NodeRecord {
  /** The id given when the node was made (`n0`, `dn3`); `withOverrides({ nodeName })` can rename the node. */
  readonly id: string;
  /** Its position among its builder's nodes (upstream ids are listed in this order). */
  readonly index: number;
  readonly entity: NodeTarget;
  readonly inputs: Readonly<Record<string, unknown>>;
  /** The body (or branch, or failure handler) the node belongs to. */
  readonly builder: GraphBuilderLike;
  /** Set by `withOverrides`. */
  overrides?: NodeOverrideOptions;
  /** Nodes this one runs after without taking data from them (`runsBefore`). */
  after?: NodeRecord[];
}

/** The outputs of a call, as references; `[NODE]` is the node itself. */
export type NodeOutputs<O extends Variables> = { readonly [K in keyof O]: Ref<Infer<O[K]>> } & { readonly [NODE]: NodeRecord };
/** The key under which a call's outputs carry the node itself (for `withOverrides` and `runsBefore`). */
export const NODE = Symbol.for("flytekit-ts.node");

/** What the rest of the core sees of a `GraphBuilder` (builder.ts), which collects the calls of one body, branch or failure handler. */
export interface GraphBuilderLike {
  /** The entity whose body this is. */
  readonly owner: string;
  /** The prefix of its node ids (`n`, `dn`, `fn`). */
  readonly prefix: string;
  /** The builder of the body a branch is in. */
  readonly parent?: GraphBuilderLike | undefined;
  readonly nodes: NodeRecord[];
  /** Problems found while the body ran (e.g. branches whose outputs disagree), reported with the compile's. */
  readonly problems: Problem[];
  /** Conditionals started and not yet finished with `.else()`. */
  readonly openConditionals: Set<{ readonly name: string }>;
  add(entity: AnyEntity, inputs: Record<string, unknown>): NodeOutputs<Variables>;
  addNode(target: NodeTarget, inputs: Readonly<Record<string, unknown>>, outputs: readonly (readonly [string, LiteralType])[]): NodeOutputs<Variables>;
  lineage(): Generator<GraphBuilderLike>;
}

/**
 * Settings one node overrides (flytekit's `with_overrides`): everything of `NodeOverrideSettings` —
 * `name` (the node's display name), resources, accelerator, shared memory, retries, timeout,
 * interruptible, cache, pod template, container image — plus `nodeName`, which renames the node id
 * itself (flytekit's `node_name`, made DNS-compliant by `dnsify`).
 */
export interface NodeOverrideOptions extends NodeOverrideSettings {
  readonly nodeName?: string;
}

/** One case of a conditional: its condition and the node it runs. */
export interface BranchCase {
  readonly condition: Condition;
  readonly node: NodeRecord;
}

/** What a branch node runs: flytekit's `BranchNode`, an if / else-if / else chain of single nodes. */
export interface BranchTarget {
  readonly kind: "branch";
  /** The conditional's name: the node's display name, and the failed node id of `.else().fail(…)`. */
  readonly name: string;
  readonly cases: readonly BranchCase[];
  /** The `else` node, or the message the workflow fails with when no case holds. */
  readonly otherwise: { readonly node: NodeRecord } | { readonly fail: string };
  /** The child builder that holds the cases' nodes. */
  readonly section: GraphBuilderLike;
}

/** What a gate node waits for (flytekit's `Gate`). */
export interface GateTarget {
  readonly kind: "gate";
  /** The signal id (approve, signal) or `sleep-gate`; also the node's display name. */
  readonly name: string;
  readonly gate: "sleep" | "approve" | "signal";
  /** How long the gate may wait before the node fails (default one hour, as flytekit's). */
  readonly timeoutMillis: number;
  /** For `sleep`: how long. */
  readonly sleepMillis?: number;
  /** For `approve` and `signal`: the value's variable name and type. */
  readonly variable?: string;
  readonly type?: LiteralType;
}

// ——— References to values (refs.ts makes them) ———

/** The brand of a node output reference (`Ref`); registered, so references from another copy of the package are recognised. */
export const REF = Symbol.for("flytekit-ts.node-output");

/** What a node output reference points at: node, variable, a path inside the value, and its type. */
export interface RefData {
  readonly nodeId: string;
  readonly variable: string;
  readonly attrPath: readonly (string | number)[];
  readonly type: LiteralType;
  /** The node that produces the value (absent for workflow inputs, whose `nodeId` is ""). */
  readonly node?: NodeRecord | undefined;
}

type Primitive = string | number | boolean | bigint | null | undefined | Date | Uint8Array;

/**
 * A reference to a value a node will produce (flytekit's Promise). It can be passed to later calls,
 * put in lists and records, and indexed into (`out.field`, `out.list[0]`, `out.map["k"]`), but it has
 * no value while the graph is being built.
 */
export type Ref<T> = { readonly [REF]: RefData; readonly [refType]?: T } & (T extends Primitive
  ? unknown
  : T extends readonly (infer E)[]
    ? { readonly [index: number]: Ref<E> }
    : { readonly [K in keyof T]-?: Ref<T[K]> }) &
  // Primitive values can be compared, for conditions: `x.gt(3)`, `flag.isTrue()`.
  ([T] extends [Primitive] ? Comparisons<T> : unknown);
declare const refType: unique symbol;

/** A value or references to it, in any nesting a binding can express. */
export type Bindable<T> =
  | T
  | Ref<T>
  | (T extends Primitive ? never : T extends readonly (infer E)[] ? readonly Bindable<E>[] : { [K in keyof T]: Bindable<T[K]> });

/** Comparison methods of a reference to a primitive value (a workflow input or node output). */
export interface Comparisons<T> {
  /** Equal to (`==`). */
  eq(other: Bindable<T>): Condition;
  /** Not equal to (`!=`). */
  ne(other: Bindable<T>): Condition;
  /** Greater than. */
  gt(other: Bindable<NonNullable<T>>): Condition;
  /** Greater than or equal to. */
  gte(other: Bindable<NonNullable<T>>): Condition;
  /** Less than. */
  lt(other: Bindable<NonNullable<T>>): Condition;
  /** Less than or equal to. */
  lte(other: Bindable<NonNullable<T>>): Condition;
  /** Equal to `true` (flytekit's `is_true()`). */
  isTrue(): Condition;
  /** Equal to `false` (flytekit's `is_false()`). */
  isFalse(): Condition;
}
