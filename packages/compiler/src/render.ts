import type { flyteidl } from "@flytekit-ts/idl";

type Node = flyteidl.core.Node.$Properties;
type Binding = flyteidl.core.Binding.$Properties;
type BindingData = flyteidl.core.BindingData.$Properties;

/** The notations `renderGraph` writes: Mermaid or Graphviz DOT. */
export type GraphFormat = "mermaid" | "dot";

/** A graph's nodes and outputs, from a WorkflowTemplate or a DynamicJobSpec. */
export interface RenderableGraph {
  readonly nodes?: readonly Node[] | null;
  readonly outputs?: readonly Binding[] | null;
}

/** The node ids a set of bindings reads from ("" is the graph's own inputs), through collections and maps. */
export function promiseSources(bindings: readonly Binding[]): Set<string> {
  const sources = new Set<string>();
  const visit = (data: BindingData | null | undefined): void => {
    if (!data) return;
    if (data.promise) sources.add(data.promise.nodeId ?? "");
    for (const b of data.collection?.bindings ?? []) visit(b);
    for (const b of Object.values(data.map?.bindings ?? {})) visit(b);
  };
  for (const b of bindings) visit(b.binding);
  return sources;
}

/** Promise sources with the inputs drawn as the start node. */
const drawnSources = (bindings: readonly Binding[]): string[] => [...promiseSources(bindings)].map((id) => id || "start");

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
    const from = new Set<string>([...(node.upstreamNodeIds ?? []), ...drawnSources(node.inputs ?? [])]);
    if (from.size === 0) from.add("start");
    for (const f of from) edges.add(`${f}\u0000${node.id ?? ""}`);
  }
  for (const f of drawnSources(graph.outputs ?? [])) edges.add(`${f}\u0000end`);
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
