import { flyteidl } from "@flytekit-ts/idl";
import { taskNodeMetadata } from "@flytekit-ts/resources";
import type { TypeContext, TypeDescriptor } from "@flytekit-ts/types";
import { bindValue, type BindingData, type BindingScope } from "./bindings.js";
import type { GraphBuilder, NodeRecord } from "./builder.js";
import { entityKind, type AnyEntity, type Variables, type WorkflowLike } from "./entities.js";
import type { Problem } from "./problems.js";

type Node = flyteidl.core.Node.$Properties;
type Binding = flyteidl.core.Binding.$Properties;

/** What compiling a graph needs to know about the entities it calls. */
export interface GraphContext {
  /** The id the called entity is registered under. */
  idOf(entity: AnyEntity): flyteidl.core.Identifier.$Properties;
  readonly typeContext: TypeContext;
}

export interface CompiledGraph {
  nodes: Node[];
  outputs: Binding[];
  problems: Problem[];
}

const shortName = (name: string): string => name.slice(name.lastIndexOf(".") + 1);

/** Node metadata depends only on the callee (until overrides): computed once per entity, shared by its nodes. */
function metadataCache() {
  const cache = new Map<AnyEntity, flyteidl.core.NodeMetadata.$Properties>();
  return (entity: AnyEntity): flyteidl.core.NodeMetadata.$Properties => {
    let metadata = cache.get(entity);
    if (!metadata) {
      if (entityKind(entity) === "workflow") {
        metadata = { name: shortName(entity.name), retries: {}, interruptible: (entity as WorkflowLike).interruptible };
      } else {
        metadata = taskNodeMetadata(shortName(entity.name), (entity as { settings: object }).settings);
      }
      cache.set(entity, metadata);
    }
    return metadata;
  };
}

/** A node's target; the id is computed once per entity and shared, as node metadata is. */
function targetCache(ctx: GraphContext) {
  const ids = new Map<AnyEntity, flyteidl.core.Identifier.$Properties>();
  return (entity: AnyEntity): Pick<Node, "taskNode" | "workflowNode"> => {
    let id = ids.get(entity);
    if (!id) {
      id = ctx.idOf(entity);
      ids.set(entity, id);
    }
    return entityKind(entity) === "workflow" ? { workflowNode: { subWorkflowRef: id } } : { taskNode: { referenceId: id, overrides: {} } };
  };
}

const sortedNamesOf = new WeakMap<Variables, string[]>();
function sortedNames(variables: Variables): string[] {
  let names = sortedNamesOf.get(variables);
  if (!names) {
    names = Object.keys(variables).sort();
    sortedNamesOf.set(variables, names);
  }
  return names;
}

/** Bindings for one set of variables (a node's inputs or a workflow's outputs), sorted by name as flytekit sorts them. */
function bindVariables(
  variables: Variables,
  given: Readonly<Record<string, unknown>>,
  defaults: Readonly<Record<string, unknown>>,
  nodeId: string,
  scope: BindingScope,
  upstream: Set<string>,
  pending: Promise<unknown>[],
): Binding[] {
  for (const name of Object.keys(given)) {
    if (!(name in variables)) {
      scope.problems.push({
        kind: "VariableNameNotFound",
        nodeId,
        variable: name,
        message: `no such variable; expected ${Object.keys(variables).join(", ") || "none"}`,
      });
    }
  }
  const bindings: Binding[] = [];
  for (const name of sortedNames(variables)) {
    const descriptor = variables[name] as TypeDescriptor<unknown>;
    const has = Object.prototype.hasOwnProperty.call(given, name);
    if (!has && !Object.prototype.hasOwnProperty.call(defaults, name)) {
      scope.problems.push({ kind: "ParameterNotBound", nodeId, variable: name, message: `no value bound for ${descriptor.name} input` });
      continue;
    }
    const value = has ? given[name] : defaults[name];
    const site = { nodeId, variable: name };
    const result = bindValue(value, descriptor, descriptor.literalType, site, scope, upstream);
    const binding: Binding = { var: name };
    if (result instanceof Promise) {
      pending.push(result.then((b) => void (binding.binding = b as BindingData)));
      bindings.push(binding);
    } else if (result !== undefined) {
      binding.binding = result;
      bindings.push(binding);
    }
  }
  return bindings;
}

/**
 * Turns the calls a body made into IDL nodes and output bindings, checking every binding as Flyte's
 * compiler does and collecting every problem.
 */
export async function compileGraph(
  builder: GraphBuilder,
  outputVariables: Variables,
  returned: unknown,
  ctx: GraphContext,
  inputsVisible: boolean,
): Promise<CompiledGraph> {
  const problems: Problem[] = [];
  const index = new Map<string, number>();
  builder.nodes.forEach((n, i) => index.set(n.id, i));
  const scope: BindingScope = {
    knows: (nodeId) => (nodeId === "" ? inputsVisible : index.has(nodeId)),
    problems,
    typeContext: ctx.typeContext,
  };
  const metadataOf = metadataCache();
  const target = targetCache(ctx);
  const pending: Promise<unknown>[] = [];
  const byPosition = (a: string, b: string) => (index.get(a) ?? 0) - (index.get(b) ?? 0);

  const nodes: Node[] = builder.nodes.map((record: NodeRecord) => {
    const upstream = new Set<string>();
    const entity = record.entity;
    const defaults = entityKind(entity) === "workflow" ? ((entity as WorkflowLike).defaults as Record<string, unknown>) : {};
    const inputs = bindVariables(entity.inputs as Variables, record.inputs, defaults, record.id, scope, upstream, pending);
    const node: Node = { id: record.id, metadata: metadataOf(entity), inputs, ...target(entity) };
    if (upstream.size) node.upstreamNodeIds = [...upstream].sort(byPosition);
    return node;
  });

  let outputs: Binding[] = [];
  if (typeof returned !== "object" || returned === null || Array.isArray(returned)) {
    const expected = Object.keys(outputVariables);
    if (expected.length > 0 || returned !== undefined) {
      problems.push({ kind: "ParameterNotBound", nodeId: "end-node", message: `the body must return an object with ${expected.join(", ") || "no"} outputs` });
    }
  } else {
    outputs = bindVariables(outputVariables, returned as Record<string, unknown>, {}, "end-node", scope, new Set(), pending);
  }
  await Promise.all(pending);
  checkGraphShape(nodes, index, problems);
  return { nodes, outputs, problems };
}

/** Duplicate ids and cycles (explicit ordering can make them; data flow alone cannot). */
function checkGraphShape(nodes: Node[], index: ReadonlyMap<string, number>, problems: Problem[]): void {
  const seen = new Set<string>();
  let backwardOnly = true;
  for (const [i, node] of nodes.entries()) {
    const id = node.id ?? "";
    if (seen.has(id)) problems.push({ kind: "DuplicateNodeID", nodeId: id, message: "two nodes have this id" });
    seen.add(id);
    for (const up of node.upstreamNodeIds ?? []) if ((index.get(up) ?? -1) >= i) backwardOnly = false;
  }
  // Edges that only point to earlier nodes cannot close a cycle; only then is the full check needed.
  if (backwardOnly) return;
  const remaining = new Map(nodes.map((n) => [n.id ?? "", new Set((n.upstreamNodeIds ?? []).filter((u) => seen.has(u)))]));
  let progress = true;
  while (progress && remaining.size) {
    progress = false;
    for (const [id, deps] of remaining) {
      if ([...deps].every((d) => !remaining.has(d))) {
        remaining.delete(id);
        progress = true;
      }
    }
  }
  if (remaining.size) {
    problems.push({ kind: "CycleDetected", nodeId: [...remaining.keys()].join(", "), message: "these nodes depend on each other in a cycle" });
  }
}
