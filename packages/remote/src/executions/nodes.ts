import { flyteidl, durationToMillis, timestampToDate } from "@flytekit-ts/idl";
import type { AdminClient } from "../client.js";
import { nodePhaseName, type NodePhase } from "./phases.js";

/** One node of an execution, with its children when it is a parent (a dynamic task, a sub-workflow). */
export interface NodeExecutionInfo {
  /** The node execution's id within the execution (unique: children of a parent have prefixed ids). */
  nodeId: string;
  /** The node's id in the workflow template (`n0`, `dn3`). */
  specNodeId: string;
  phase: NodePhase;
  isParent: boolean;
  isDynamic: boolean;
  retryGroup?: string;
  startedAt?: Date;
  durationMs?: number;
  error?: { code: string; message: string };
  /** An execution this node launched (a launch plan node). */
  childExecution?: flyteidl.core.IWorkflowExecutionIdentifier;
  /** What a dynamic node compiled at run time (GetNodeExecutionData's `dynamic_workflow`). */
  dynamicWorkflow?: flyteidl.core.ICompiledWorkflowClosure;
  children: NodeExecutionInfo[];
  /** The node execution as FlyteAdmin returned it. */
  raw: flyteidl.admin.NodeExecution.$Properties;
}

/** How far `nodeExecutionTree` follows an execution's nodes, and at what cost. */
export interface ListNodeOptions {
  /** Also list the children of parent nodes, recursively (default true). */
  children?: boolean;
  /** Fetch the compiled workflow of dynamic nodes (one GetNodeExecutionData each; default true). */
  dynamicWorkflows?: boolean;
  /** Keep `start-node` and `end-node` (default false, as flytekit does). */
  includeStartEnd?: boolean;
  signal?: AbortSignal;
}

const PAGE = 100;

/** Every node execution of an execution (or of one parent node), following pagination tokens. */
export async function listNodeExecutionsPage(
  client: AdminClient,
  execution: flyteidl.core.IWorkflowExecutionIdentifier,
  uniqueParentId?: string,
  signal?: AbortSignal,
): Promise<flyteidl.admin.NodeExecution.$Properties[]> {
  const all: flyteidl.admin.NodeExecution.$Properties[] = [];
  let token = "";
  for (let page = 0; page < 10_000; page++) {
    const list = await client.admin.listNodeExecutions(
      { workflowExecutionId: execution, limit: PAGE, token, ...(uniqueParentId ? { uniqueParentId } : {}), sortBy: { key: "created_at", direction: flyteidl.admin.Sort.Direction.ASCENDING } },
      signal ? { signal } : {},
    );
    all.push(...list.nodeExecutions);
    if (!list.token || list.token === token) break;
    token = list.token;
  }
  return all;
}

/**
 * The node executions of an execution as a tree, the way flytekit's `sync_execution` walks them: a
 * node whose metadata says `is_parent_node` has its children listed with `unique_parent_id`; a
 * dynamic node's compiled sub-workflow comes from GetNodeExecutionData's `dynamic_workflow`.
 */
export async function nodeExecutionTree(
  client: AdminClient,
  execution: flyteidl.core.IWorkflowExecutionIdentifier,
  options: ListNodeOptions = {},
  parent?: string,
): Promise<NodeExecutionInfo[]> {
  const nodes = await listNodeExecutionsPage(client, execution, parent, options.signal);
  const out: NodeExecutionInfo[] = [];
  for (const raw of nodes) {
    const nodeId = raw.id?.nodeId ?? "";
    if (!options.includeStartEnd && (nodeId === "start-node" || nodeId === "end-node")) continue;
    const closure = raw.closure;
    const metadata = raw.metadata;
    const info: NodeExecutionInfo = {
      nodeId,
      specNodeId: metadata?.specNodeId || nodeId,
      phase: nodePhaseName(closure?.phase),
      isParent: metadata?.isParentNode ?? false,
      isDynamic: (metadata?.isDynamic ?? false) || !!closure?.dynamicJobSpecUri,
      children: [],
      raw,
    };
    if (metadata?.retryGroup) info.retryGroup = metadata.retryGroup;
    if (closure?.startedAt) info.startedAt = timestampToDate(closure.startedAt);
    if (closure?.duration) info.durationMs = durationToMillis(closure.duration);
    if (closure?.error) info.error = { code: closure.error.code ?? "", message: closure.error.message ?? "" };
    if (closure?.workflowNodeMetadata?.executionId) info.childExecution = closure.workflowNodeMetadata.executionId;
    if (info.isParent && (options.children ?? true)) info.children = await nodeExecutionTree(client, execution, options, nodeId);
    if (info.isDynamic && (options.dynamicWorkflows ?? true) && raw.id) {
      const data = await client.admin.getNodeExecutionData({ id: raw.id }, options.signal ? { signal: options.signal } : {});
      if (data.dynamicWorkflow?.compiledWorkflow) info.dynamicWorkflow = data.dynamicWorkflow.compiledWorkflow;
    }
    out.push(info);
  }
  return out;
}

/** Counts of a node list by phase group, for progress displays. */
export function summarizeNodes(nodes: readonly flyteidl.admin.INodeExecution[]): { total: number; done: number; running: number; failed: number } {
  let done = 0;
  let running = 0;
  let failed = 0;
  let total = 0;
  for (const node of nodes) {
    const id = node.id?.nodeId;
    if (id === "start-node" || id === "end-node") continue;
    total++;
    const phase = nodePhaseName(node.closure?.phase);
    if (phase === "FAILED" || phase === "TIMED_OUT" || phase === "ABORTED") failed++;
    else if (phase === "SUCCEEDED" || phase === "SKIPPED" || phase === "RECOVERED") done++;
    else if (phase !== "UNDEFINED" && phase !== "QUEUED") running++;
  }
  return { total, done, running, failed };
}
