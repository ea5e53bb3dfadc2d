import { AsyncLocalStorage } from "node:async_hooks";
import type { LiteralType } from "@flytekit-ts/types";
import { WorkflowUsageError, type Problem } from "./problems.js";
import { WHOLE_VALUE, makeRef } from "./refs.js";
import { NODE, type AnyEntity, type GraphBuilderLike, type NodeOutputs, type NodeRecord, type NodeTarget, type Variables } from "./vocabulary.js";

/*
 * Recording calls: the builder that collects a body's calls as `NodeRecord`s (vocabulary.ts), and the
 * async-local store that tells a call which body it is in.
 */

/** Whether a node runs an entity (entities are callable; branches and gates are plain objects). */
export function isEntityTarget(target: NodeTarget): target is AnyEntity {
  return typeof target === "function";
}

/** Collects the calls a workflow or dynamic body makes, in order. */
export class GraphBuilder implements GraphBuilderLike {
  readonly nodes: NodeRecord[] = [];
  /** Problems found while the body ran (e.g. branches whose outputs disagree), reported with the compile's. */
  readonly problems: Problem[] = [];
  /** Conditionals started and not yet finished with `.else()`. */
  readonly openConditionals = new Set<{ readonly name: string }>();

  /**
   * `prefix` is flytekit's: node ids are `n0, n1, …` in workflows, `dn0, dn1, …` in dynamics and
   * `fn0` for a failure node. A branch's nodes are collected by a child builder (`parent` set),
   * numbered on their own as flytekit numbers them.
   */
  constructor(
    readonly owner: string,
    readonly prefix: string,
    readonly parent?: GraphBuilder,
  ) {}

  add(entity: AnyEntity, inputs: Record<string, unknown>): NodeOutputs<Variables> {
    if (typeof inputs !== "object" || inputs === null || Array.isArray(inputs)) {
      throw new WorkflowUsageError(`${entity.name} must be called with an object of named inputs, e.g. ${entity.name.split(".").pop() ?? ""}({ a: 1 })`);
    }
    return this.addNode(entity, inputs, outputTypes(entity));
  }

  /** Adds a node and returns references to its outputs. */
  addNode(target: NodeTarget, inputs: Readonly<Record<string, unknown>>, outputs: readonly (readonly [string, LiteralType])[]): NodeOutputs<Variables> {
    const index = this.nodes.length;
    const record: NodeRecord = { id: `${this.prefix}${index}`, index, entity: target, inputs, builder: this };
    this.nodes.push(record);
    // Symbol keys stay out of Object.keys and destructuring, so [NODE] does not look like an output.
    const result: Record<string | symbol, unknown> = { [NODE]: record };
    for (const [name, type] of outputs) {
      result[name] = makeRef({ nodeId: record.id, variable: name, attrPath: WHOLE_VALUE, type, node: record });
    }
    return result as NodeOutputs<Variables>;
  }

  /** This builder and the ones it is nested in: whose nodes a node of this builder may take data from. */
  *lineage(): Generator<GraphBuilder> {
    for (let b: GraphBuilder | undefined = this; b; b = b.parent) yield b;
  }
}

/** An entity's output types, listed once: a dynamic may call the same task a hundred thousand times. */
const outputsOf = new WeakMap<AnyEntity, (readonly [string, LiteralType])[]>();
function outputTypes(entity: AnyEntity): (readonly [string, LiteralType])[] {
  let entries = outputsOf.get(entity);
  if (!entries) {
    entries = Object.entries(entity.outputs as Variables).map(([name, d]) => [name, d.literalType] as const);
    outputsOf.set(entity, entries);
  }
  return entries;
}

const activeGraph = new AsyncLocalStorage<GraphBuilder>();

/** Runs a body with `builder` collecting its calls (also across awaits inside the body). */
export function withGraph<T>(builder: GraphBuilder, body: () => T): T {
  return activeGraph.run(builder, body);
}

/** The builder collecting calls here, or a usage error naming `what` when there is none. */
export function activeBuilder(what: string): GraphBuilder {
  const builder = activeGraph.getStore();
  if (!builder) {
    throw new WorkflowUsageError(
      `${what} was used outside a workflow or dynamic body, where it adds a node. ` +
        "To run it on this machine use the local executor (@flytekit-ts/runtime); inside a task, call a plain function instead.",
    );
  }
  return builder;
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
