import type { flyteidl } from "@flytekit-ts/idl";
import type { Problem } from "../problems.js";
import type { GraphBuilderLike } from "../vocabulary.js";

/*
 * Problems of a body as a whole rather than of one node: conditionals left unfinished, duplicate
 * node ids and cycles.
 */

type Node = flyteidl.core.Node.$Properties;

/** The problems the body recorded while it ran, and one for each conditional it never finished. */
export function rootProblems(builder: GraphBuilderLike): Problem[] {
  const problems = [...builder.problems];
  for (const open of builder.openConditionals) {
    problems.push({
      kind: "BranchNodeHasNoDefault",
      nodeId: `conditional "${open.name}"`,
      message: "the conditional was never finished: end it with .else().then(() => …) or .else().fail(\"message\")",
    });
  }
  return problems;
}

/** Duplicate ids (renamed nodes can collide) and cycles (explicit ordering can make them; data flow alone cannot). */
export function checkGraphShape(nodes: Node[], problems: Problem[]): void {
  const index = new Map<string, number>();
  nodes.forEach((n, i) => {
    const id = n.id ?? "";
    if (index.has(id)) problems.push({ kind: "DuplicateNodeID", nodeId: id, message: "two nodes have this id" });
    else index.set(id, i);
  });
  let backwardOnly = true;
  for (const [i, node] of nodes.entries()) {
    for (const up of node.upstreamNodeIds ?? []) if ((index.get(up) ?? -1) >= i) backwardOnly = false;
  }
  // Edges that only point to earlier nodes cannot close a cycle; only then is the full check needed.
  if (backwardOnly) return;
  const remaining = new Map(nodes.map((n) => [n.id ?? "", new Set((n.upstreamNodeIds ?? []).filter((u) => index.has(u)))]));
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
