import { formatIdentifier, durationToMillis, timestampToDate } from "@flytekit-ts/idl";
import { executionPhaseName, type NodeExecutionInfo } from "@flytekit-ts/remote";
import { EXIT } from "../exit.js";
import { outputsJson } from "../run-command.js";
import { openRemote, type ConnectionOptions, type RemoteHooks } from "./connection.js";
import { formatDuration } from "./progress.js";

export interface GetExecutionOptions extends ConnectionOptions {
  json?: boolean;
  /** List node executions too (default true). */
  nodes?: boolean;
}

interface NodeJson {
  nodeId: string;
  specNodeId: string;
  phase: string;
  durationMs?: number;
  error?: { code: string; message: string };
  dynamic?: boolean;
  dynamicWorkflow?: { nodes: string[] };
  children?: NodeJson[];
}

function nodeJson(node: NodeExecutionInfo): NodeJson {
  const json: NodeJson = { nodeId: node.nodeId, specNodeId: node.specNodeId, phase: node.phase };
  if (node.durationMs !== undefined) json.durationMs = Math.round(node.durationMs);
  if (node.error) json.error = node.error;
  if (node.isDynamic) json.dynamic = true;
  if (node.dynamicWorkflow) {
    json.dynamicWorkflow = { nodes: (node.dynamicWorkflow.primary?.template?.nodes ?? []).map((n) => n.id ?? "").filter((n) => n !== "start-node" && n !== "end-node") };
  }
  if (node.children.length) json.children = node.children.map(nodeJson);
  return json;
}

const SYMBOL: Record<string, string> = { SUCCEEDED: "✓", FAILED: "✗", TIMED_OUT: "✗", ABORTED: "■", SKIPPED: "-", RUNNING: "…", DYNAMIC_RUNNING: "…", QUEUED: "·" };

function nodeLines(nodes: readonly NodeExecutionInfo[], indent: string, out: (l: string) => void): void {
  for (const node of nodes) {
    const took = node.durationMs === undefined ? "" : ` ${formatDuration(node.durationMs)}`;
    const extra = node.error ? `: ${node.error.message.split("\n")[0]}` : node.dynamicWorkflow ? ` (dynamic: ${(node.dynamicWorkflow.primary?.template?.nodes?.length ?? 2) - 2} nodes)` : "";
    out(`${indent}${SYMBOL[node.phase] ?? "?"} ${node.nodeId} ${node.phase}${took}${extra}`);
    nodeLines(node.children, `${indent}  `, out);
  }
}

/**
 * `flyte-ts get execution <name>`: the execution's phase, timing, error or outputs, and its node
 * executions (a dynamic's children nested under it); `--json` for scripts. Exit 0 when it could be
 * read, whatever the execution's phase (the phase is in the output), 1 when not.
 */
export async function getExecutionCommand(name: string, options: GetExecutionOptions, io: { out: (l: string) => void; err: (l: string) => void }, hooks: RemoteHooks = {}): Promise<number> {
  const remote = openRemote(options, hooks, io.err);
  try {
    const id = remote.executionId(name);
    const execution = await remote.fetchExecution(id);
    const closure = execution.closure;
    const phase = executionPhaseName(closure?.phase);
    const json: Record<string, unknown> = {
      id: { project: id.project, domain: id.domain, name: id.name },
      launchPlan: execution.spec?.launchPlan ? formatIdentifier(execution.spec.launchPlan) : undefined,
      phase,
      createdAt: closure?.createdAt ? timestampToDate(closure.createdAt).toISOString() : undefined,
      startedAt: closure?.startedAt ? timestampToDate(closure.startedAt).toISOString() : undefined,
      durationMs: closure?.duration ? Math.round(durationToMillis(closure.duration)) : undefined,
    };
    if (closure?.error) json["error"] = { code: closure.error.code ?? "", message: closure.error.message ?? "", kind: closure.error.kind ?? 0 };
    if (closure?.abortMetadata) json["abortCause"] = closure.abortMetadata.cause ?? "";
    if (phase === "SUCCEEDED") {
      try {
        json["outputs"] = JSON.parse(outputsJson(await remote.outputs(id)));
      } catch (error) {
        json["outputsError"] = (error as Error).message;
      }
    }
    const nodes = options.nodes === false ? [] : await remote.nodeExecutions(id);
    if (options.nodes !== false) json["nodes"] = nodes.map(nodeJson);

    if (options.json) {
      io.out(JSON.stringify(json, null, 2));
      return EXIT.ok;
    }
    io.out(`execution   ${id.project}/${id.domain}/${id.name}`);
    if (json["launchPlan"]) io.out(`launched    ${String(json["launchPlan"])}`);
    io.out(`phase       ${phase}`);
    if (json["startedAt"]) io.out(`started     ${String(json["startedAt"])}`);
    if (json["durationMs"] !== undefined) io.out(`duration    ${formatDuration(json["durationMs"] as number)}`);
    if (closure?.error) io.out(`error       [${closure.error.code ?? ""}] ${closure.error.message ?? ""}`);
    if (closure?.abortMetadata) io.out(`aborted     ${closure.abortMetadata.cause ?? ""}`);
    if (json["outputs"] !== undefined) io.out(`outputs     ${JSON.stringify(json["outputs"])}`);
    if (json["outputsError"]) io.out(`outputs     (cannot read: ${String(json["outputsError"])})`);
    if (nodes.length) {
      io.out("nodes");
      nodeLines(nodes, "  ", io.out);
    }
    return EXIT.ok;
  } finally {
    remote.close();
  }
}
