import { createHash } from "./hash.js";
import { isContainerTask } from "./container-task.js";
import type { TaskSettings } from "@flytekit-ts/resources";
import { flyteidl } from "@flytekit-ts/idl";
import { list, optional, type Infer, type TypeDescriptor } from "@flytekit-ts/types";
import { callableEntity, displayName, entityKind, isEntity, type CallInputs, type Task } from "./entities.js";
import { ENTITY, type MapTaskLike, type NodeOutputs, type TaskLike, type Variables } from "./vocabulary.js";

/** How a task is mapped (flytekit's `map_task` arguments). */
export interface MapTaskOptions<B extends string = string, R extends number | undefined = number | undefined> {
  /**
   * How many indices run at once; 0 means no limit. Unset: the workflow's parallelism applies
   * (`ArrayNode.parallelism`).
   */
  readonly concurrency?: number;
  /** The execution succeeds when at least this many indices succeed (takes precedence over the ratio). */
  readonly minSuccesses?: number;
  /**
   * The fraction of indices that must succeed (default 1). Below 1 the outputs become lists of
   * optional values, `null` where an index failed — as flytekit types them.
   */
  readonly minSuccessRatio?: R;
  /** Inputs passed whole to every index instead of being mapped over (flytekit's bound inputs / `partial`). */
  readonly boundInputs?: readonly B[];
}

/** A mapped task's inputs: lists, except the bound ones. */
export type MappedInputs<I extends Variables, B extends PropertyKey> = {
  [K in keyof I]: K extends B ? I[K] : TypeDescriptor<Infer<I[K]>[]>;
};
/** A mapped task's outputs: lists, of optional values when failures are tolerated. */
export type MappedOutputs<O extends Variables, Optional extends boolean> = {
  [K in keyof O]: TypeDescriptor<(Optional extends true ? Infer<O[K]> | null : Infer<O[K]>)[]>;
};
/** Whether a `minSuccessRatio` makes the outputs optional: any ratio but 1 (or none) does. */
export type ToleratesFailures<R> = [R] extends [undefined] ? false : [R] extends [1] ? false : true;

/** A map task with its inputs' and outputs' types (name: flytekit's `<module>.map_<task>_<md5 of the options>-arraynode`). */
export interface MapTask<I extends Variables = Variables, O extends Variables = Variables> extends Omit<MapTaskLike, "inputs" | "outputs"> {
  readonly inputs: I;
  readonly outputs: O;
  /** Inside a workflow or dynamic body: adds an array node mapping the task over the list inputs. */
  (inputs: CallInputs<I>): NodeOutputs<O>;
}

/** Python's `repr` of a float, for the name hash (`1.0`, `0.5`, `1e-05`). */
function pythonFloat(x: number): string {
  if (Number.isInteger(x) && Math.abs(x) < 1e16) return x.toFixed(1);
  const [mantissa, exponent] = x.toExponential().split("e") as [string, string];
  const e = Number(exponent);
  if (e < -4 || e >= 16) return `${mantissa}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  return String(x);
}

/** flytekit's map task name: the task's module, `map_<function>`, and the md5 of bound inputs and options. */
export function mapTaskName(taskName: string, bound: readonly string[], concurrency: number | undefined, minSuccesses: number | undefined, minSuccessRatio: number): string {
  const dot = taskName.lastIndexOf(".");
  const module = dot < 0 ? "" : taskName.slice(0, dot);
  const fn = taskName.slice(dot + 1);
  const hash = createHash("md5")
    .update(`${[...bound].sort().join(",")}${concurrency ?? "None"}${minSuccesses ?? "None"}${pythonFloat(minSuccessRatio)}`, "utf8")
    .digest("hex");
  return `${module === "" ? "" : `${module}.`}map_${fn}_${hash}-arraynode`;
}

const isCount = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= 2 ** 31 - 1;

function admitsNone(descriptor: TypeDescriptor<unknown>): boolean {
  return (descriptor.literalType.unionType?.variants ?? []).some((v) => v.simple === flyteidl.core.SimpleType.NONE);
}

/**
 * A map task (flytekit's `map_task`): runs `task` once per index of its list inputs, in parallel, as
 * one `ArrayNode`. Calling it takes lists for every input but the bound ones and returns lists.
 *
 * ```ts
 * const squares = mapTask(square, { concurrency: 4 });
 * const wf = workflow({ name: "my.wf", inputs: { xs: t.list(t.int()) }, outputs: { o0: t.list(t.int()) } },
 *   ({ xs }) => ({ o0: squares({ x: xs }).o0 }));
 * ```
 *
 * The task must be a plain task (not a dynamic, workflow or reference) with at most one output, as
 * in flytekit. It must be exported, like every task, so that the container finds it.
 */
export function mapTask<
  TI extends Variables,
  TO extends Variables,
  B extends keyof TI & string = never,
  R extends number | undefined = undefined,
>(task: Task<TI, TO>, options: MapTaskOptions<B, R> = {}): MapTask<MappedInputs<TI, B>, MappedOutputs<TO, ToleratesFailures<R>>> {
  const subject = `mapTask(${isEntity(task) ? displayName(task) : typeof task})`;
  if (!isEntity(task) || entityKind(task) !== "task") {
    const kind = isEntity(task) ? entityKind(task) : typeof task;
    throw new TypeError(`${subject}: only plain tasks can be mapped (as in flytekit), got ${kind === "dynamic" ? "a dynamic workflow" : `a ${kind}`}`);
  }
  // flytekit maps only function and instance tasks; a container task's template has no map entrypoint.
  if (isContainerTask(task)) throw new TypeError(`${subject}: container tasks cannot be mapped (flytekit maps only Python function and instance tasks)`);
  if (typeof options !== "object" || options === null) throw new TypeError(`${subject}: options must be an object`);
  const known = ["concurrency", "minSuccesses", "minSuccessRatio", "boundInputs"];
  for (const key of Object.keys(options)) if (!known.includes(key)) throw new TypeError(`${subject}: unknown option "${key}"; expected ${known.join(", ")}`);
  const { concurrency, minSuccesses } = options;
  const minSuccessRatio: number = options.minSuccessRatio ?? 1;
  if (concurrency !== undefined && !isCount(concurrency)) throw new TypeError(`${subject}: concurrency must be a whole number, zero or more, got ${String(concurrency)}`);
  if (minSuccesses !== undefined && !isCount(minSuccesses)) throw new TypeError(`${subject}: minSuccesses must be a whole number, zero or more, got ${String(minSuccesses)}`);
  if (typeof minSuccessRatio !== "number" || !(minSuccessRatio >= 0 && minSuccessRatio <= 1)) {
    throw new TypeError(`${subject}: minSuccessRatio must be a number from 0 to 1, got ${String(minSuccessRatio)}`);
  }
  const outputEntries = Object.entries(task.outputs as Variables);
  if (outputEntries.length > 1) throw new TypeError(`${subject}: only tasks with at most one output can be mapped (as in flytekit); ${displayName(task)} has ${outputEntries.length}`);

  const bound = [...new Set<string>(options.boundInputs ?? [])].sort();
  for (const name of bound) {
    if (!Object.hasOwn(task.inputs, name)) {
      throw new TypeError(`${subject}: bound input "${name}" is not an input of ${displayName(task)}; its inputs are ${Object.keys(task.inputs).join(", ") || "none"}`);
    }
  }
  if (Object.keys(task.inputs).length > 0 && Object.keys(task.inputs).every((k) => bound.includes(k))) {
    throw new TypeError(`${subject}: every input is bound, so there is nothing to map over`);
  }

  const inputs: Variables = {};
  for (const [name, d] of Object.entries(task.inputs as Variables)) inputs[name] = bound.includes(name) ? d : list(d);
  // flytekit: outputs become List[Optional[T]] when min_success_ratio is set and not 1.
  const tolerates = options.minSuccessRatio !== undefined && minSuccessRatio !== 1;
  const outputs: Variables = {};
  for (const [name, d] of outputEntries) outputs[name] = list(tolerates && !admitsNone(d) ? optional(d) : d);

  return callableEntity("map", {
    // Read when needed: the task may be named when its module is loaded, after this call.
    name: () => mapTaskName(task.name, bound, concurrency, minSuccesses, minSuccessRatio),
    inputs,
    outputs,
    task,
    settings: (task as TaskLike).settings,
    boundInputs: bound,
    ...(concurrency === undefined ? {} : { concurrency }),
    ...(minSuccesses === undefined ? {} : { minSuccesses }),
    minSuccessRatio,
  });
}
