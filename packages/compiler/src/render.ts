import type { flyteidl } from "@flytekit-ts/idl";

type Node = flyteidl.core.Node.$Properties;
type Binding = flyteidl.core.Binding.$Properties;
type BindingData = flyteidl.core.BindingData.$Properties;

export type GraphFormat = "mermaid" | "dot";

/** A graph's nodes and outputs, from a WorkflowTemplate or a DynamicJobSpec. */
export interface RenderableGraph {
  readonly nodes?: readonly Node[] | null;
  readonly outputs?: readonly Binding[] | null;
}

function sources(data: BindingData | null | undefined, into: Set<string>): void {
  if (!data) return;
  if (data.promise) into.add(data.promise.nodeId || "start");
  for (const b of data.collection?.bindings ?? []) sources(b, into);
  for (const b of Object.values(data.map?.bindings ?? {})) sources(b, into);
}

function label(node: Node): string {
  const target =
    node.taskNode?.referenceId?.name ??
    node.workflowNode?.subWorkflowRef?.name ??
    node.workflowNode?.launchplanRef?.name ??
    (node.branchNode ? "branch" : node.arrayNode ? "map" : node.gateNode ? "gate" : "?");
  return `${node.id ?? ""}: ${target}`;
}

/**
 * The graph as Mermaid or Graphviz DOT: a start node for the inputs, one box per node labelled with what
 * it runs, an end node for the outputs, and an edge for every data dependency or explicit ordering.
 */
export function renderGraph(graph: RenderableGraph, format: GraphFormat = "mermaid"): string {
  const nodes = graph.nodes ?? [];
  const edges = new Set<string>();
  for (const node of nodes) {
    const from = new Set<string>(node.upstreamNodeIds ?? []);
    for (const b of node.inputs ?? []) sources(b.binding, from);
    if (from.size === 0) from.add("start");
    for (const f of from) edges.add(`${f}\u0000${node.id ?? ""}`);
  }
  const toEnd = new Set<string>();
  for (const b of graph.outputs ?? []) sources(b.binding, toEnd);
  for (const f of toEnd) edges.add(`${f}\u0000end`);
  const safe = (id: string) => id.replace(/[^A-Za-z0-9_]/g, "_");
  const pairs = [...edges].map((e) => e.split("\u0000") as [string, string]);
  if (format === "dot") {
    return [
      "digraph workflow {",
      "  rankdir=LR;",
      '  start [shape=circle, label="start"];',
      '  end [shape=doublecircle, label="end"];',
      ...nodes.map((n) => `  ${safe(n.id ?? "")} [shape=box, label=${JSON.stringify(label(n))}];`),
      ...pairs.map(([a, b]) => `  ${safe(a)} -> ${safe(b)};`),
      "}",
    ].join("\n");
  }
  return [
    "flowchart LR",
    "  start((start))",
    "  end_((end))",
    ...nodes.map((n) => `  ${safe(n.id ?? "")}[${JSON.stringify(label(n))}]`),
    ...pairs.map(([a, b]) => `  ${a === "start" ? "start" : safe(a)} --> ${b === "end" ? "end_" : safe(b)}`),
  ].join("\n");
}
