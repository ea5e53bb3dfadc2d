import { AsyncLocalStorage } from "node:async_hooks";
import type { Infer } from "@flytekit-ts/types";
import type { AnyEntity, Variables } from "./entities.js";
import { WorkflowUsageError } from "./problems.js";
import { makeRef, type Ref } from "./refs.js";

/** One call made in a body: the node it becomes. */
export interface NodeRecord {
  readonly id: string;
  readonly entity: AnyEntity;
  readonly inputs: Readonly<Record<string, unknown>>;
}

/** The outputs of a call, as references; `[NODE]` is the node itself. */
export type NodeOutputs<O extends Variables> = { readonly [K in keyof O]: Ref<Infer<O[K]>> } & { readonly [NODE]: NodeRecord };
export const NODE = Symbol.for("flytekit-ts.node");

/** Collects the calls a workflow or dynamic body makes, in order. */
export class GraphBuilder {
  readonly nodes: NodeRecord[] = [];

  /** `prefix` is flytekit's: node ids are `n0, n1, …` in workflows and `dn0, dn1, …` in dynamics. */
  constructor(
    readonly owner: string,
    readonly prefix: "n" | "dn",
  ) {}

  add(entity: AnyEntity, inputs: Record<string, unknown>): NodeOutputs<Variables> {
    if (typeof inputs !== "object" || inputs === null || Array.isArray(inputs)) {
      throw new WorkflowUsageError(`${entity.name} must be called with an object of named inputs, e.g. ${entity.name.split(".").pop() ?? ""}({ a: 1 })`);
    }
    const record: NodeRecord = { id: `${this.prefix}${this.nodes.length}`, entity, inputs };
    this.nodes.push(record);
    // Symbol keys stay out of Object.keys and destructuring, so [NODE] does not look like an output.
    const outputs: Record<string | symbol, unknown> = { [NODE]: record };
    for (const [name, type] of outputEntries(entity)) {
      outputs[name] = makeRef({ nodeId: record.id, variable: name, attrPath: [], type: type.literalType });
    }
    return outputs as NodeOutputs<Variables>;
  }
}

/** An entity's outputs, listed once: a dynamic may call the same task a hundred thousand times. */
const outputsOf = new WeakMap<AnyEntity, [string, Variables[string]][]>();
function outputEntries(entity: AnyEntity): [string, Variables[string]][] {
  let entries = outputsOf.get(entity);
  if (!entries) {
    entries = Object.entries(entity.outputs as Variables);
    outputsOf.set(entity, entries);
  }
  return entries;
}

const activeGraph = new AsyncLocalStorage<GraphBuilder>();

/** Runs a body with `builder` collecting its calls (also across awaits inside the body). */
export function withGraph<T>(builder: GraphBuilder, body: () => T): T {
  return activeGraph.run(builder, body);
}

export function callEntity(entity: AnyEntity, inputs: Record<string, unknown>): NodeOutputs<Variables> {
  const builder = activeGraph.getStore();
  if (!builder) {
    throw new WorkflowUsageError(
      `${entity.name} was called outside a workflow or dynamic body, where a call adds a node. ` +
        "To run it on this machine use the local executor (@flytekit-ts/runtime); inside a task, call a plain function instead.",
    );
  }
  return builder.add(entity, inputs);
}
