import type { flyteidl } from "@flytekit-ts/idl";
import { isEntityTarget } from "../builder.js";
import type { Problem } from "../problems.js";
import type { AnyEntity, GraphBuilderLike, NodeRecord, Variables } from "../vocabulary.js";
import { GraphCompilation, type GraphContext } from "./compilation.js";
import { compileNode } from "./compile-node.js";
import { checkGraphShape, rootProblems } from "./shape.js";
import { bindVariables, varList } from "./variables.js";

/*
 * Compiling a recorded body to IDL — the entry of graph/: the body's nodes (compile-node.ts, sharing
 * compilation.ts), its output bindings (variables.ts), its failure node, and the checks of the whole
 * (shape.ts). Workflows (workflow-compiler.ts) and dynamic workflows (dynamic-compiler.ts) both
 * compile their bodies here.
 */

export type { GraphContext } from "./compilation.js";

type Node = flyteidl.core.Node.$Properties;
type Binding = flyteidl.core.Binding.$Properties;

export interface CompiledGraph {
  nodes: Node[];
  outputs: Binding[];
  problems: Problem[];
  /** The failure node (`fn0`; `dfn0` in a workflow a dynamic embeds), when the workflow has an `onFailure` handler. */
  failureNode?: Node;
}

/** The calls a graph makes, branches' and the failure node's included, in first-call order. */
export function calledEntities(records: readonly NodeRecord[]): AnyEntity[] {
  const out: AnyEntity[] = [];
  const visit = (record: NodeRecord): void => {
    const target = record.entity;
    if (isEntityTarget(target)) out.push(target);
    else if (target.kind === "branch") {
      for (const c of target.cases) visit(c.node);
      if ("node" in target.otherwise) visit(target.otherwise.node);
    }
  };
  for (const record of records) visit(record);
  return out;
}

/**
 * Turns the calls a body made into IDL nodes and output bindings, checking every binding as Flyte's
 * compiler does and collecting every problem. `failure` is the failure node's call, if any.
 */
export async function compileGraph(
  builder: GraphBuilderLike,
  outputVariables: Variables,
  returned: unknown,
  ctx: GraphContext,
  inputsVisible: boolean,
  failure?: NodeRecord,
): Promise<CompiledGraph> {
  const compilation = new GraphCompilation(ctx, inputsVisible);
  const visible: ReadonlySet<GraphBuilderLike> = new Set([builder]);
  const emit = ctx.emit;
  const deferred: [number, Node][] = [];
  // Emitted nodes keep only their ids and upstream ids, and only when the shape check needs them: without
  // renamed nodes ids are unique, and without explicit ordering every edge points to an earlier node.
  const checksShape = !emit || builder.nodes.some((r) => r.overrides?.nodeName !== undefined || (r.after?.length ?? 0) > 0);
  const nodes: Node[] = [];
  if (!emit) nodes.push(...builder.nodes.map((r) => compileNode(compilation, r, visible, compilation.finalId(r))));
  else {
    builder.nodes.forEach((record, index) => {
      const waiting = compilation.pending.length;
      const node = compileNode(compilation, record, visible, compilation.finalId(record));
      if (compilation.pending.length === waiting) emit(index, node);
      else deferred.push([index, node]);
      if (checksShape) nodes.push(node.upstreamNodeIds ? { id: node.id ?? "", upstreamNodeIds: node.upstreamNodeIds } : { id: node.id ?? "" });
    });
  }
  const problems = compilation.problems;

  let outputs: Binding[] = [];
  if (typeof returned !== "object" || returned === null || Array.isArray(returned)) {
    const expected = Object.keys(outputVariables);
    if (expected.length > 0 || returned !== undefined) {
      problems.push({ kind: "ParameterNotBound", nodeId: "end-node", message: `the body must return an object with ${expected.join(", ") || "no"} outputs` });
    }
  } else {
    outputs = bindVariables(compilation, varList(outputVariables), returned as Record<string, unknown>, "end-node", visible, new Set(), { omitOptional: "problem" });
  }
  let failureNode: Node | undefined;
  if (failure) failureNode = compileNode(compilation, failure, new Set([failure.builder]), compilation.finalId(failure));
  await Promise.all(compilation.pending);
  for (const [index, node] of deferred) emit?.(index, node);
  problems.push(...rootProblems(builder));
  checkGraphShape(nodes, problems);
  return { nodes, outputs, problems, ...(failureNode ? { failureNode } : {}) };
}
