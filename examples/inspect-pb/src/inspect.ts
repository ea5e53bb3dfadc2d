import { readFileSync } from "node:fs";
import {
  flyteidl,
  formatIdentifier,
  messageClass,
  messageTypeForFile,
  toProtoJsonString,
  toSafeNumber,
} from "@flytekit-ts/idl";

export interface Inspection {
  messageType: string;
  size: number;
  /** Human-readable lines about what the message holds. */
  summary: string[];
  json: string;
}

/** Decodes a Flyte `.pb` file (type from its name unless given) and describes it. */
export function inspectFile(path: string, messageType?: string): Inspection {
  const type = messageType ?? messageTypeForFile(path);
  if (!type) {
    throw new Error(
      `cannot tell the message type of ${path} from its name; pass one with --type, e.g. --type flyteidl.core.LiteralMap`,
    );
  }
  const bytes = readFileSync(path);
  const cls = messageClass(type);
  const message = cls.decode(bytes);
  return { messageType: type, size: bytes.length, summary: summarize(message), json: toProtoJsonString(cls, message) };
}

function summarize(message: object): string[] {
  if (message instanceof flyteidl.core.DynamicJobSpec) return summarizeDynamicJob(message);
  if (message instanceof flyteidl.core.LiteralMap) return Object.keys(message.literals).sort().map((k) => `literal ${k}`);
  if (message instanceof flyteidl.admin.TaskSpec && message.template) {
    const t = message.template;
    return [`task ${t.id?.name ?? "?"} (type ${t.type})`, `inputs: ${Object.keys(t.interface?.inputs?.variables ?? {}).join(", ") || "none"}`];
  }
  return [];
}

function summarizeDynamicJob(spec: flyteidl.core.DynamicJobSpec): string[] {
  const lines = [`${spec.nodes.length} node(s), ${spec.tasks.length} task template(s), ${spec.subworkflows.length} sub-workflow(s)`];
  if (spec.minSuccesses) lines.push(`min successes: ${toSafeNumber(spec.minSuccesses)}`);
  for (const node of spec.nodes) {
    const target = node.taskNode?.referenceId ?? node.workflowNode?.subWorkflowRef ?? node.workflowNode?.launchplanRef;
    const upstreamIds = node.upstreamNodeIds ?? [];
    const upstream = upstreamIds.length > 0 ? ` after ${upstreamIds.join(", ")}` : "";
    lines.push(`node ${node.id} → ${target ? formatIdentifier(target) : "(no target)"}${upstream}`);
  }
  for (const output of spec.outputs) lines.push(`output ${output.var} bound`);
  return lines;
}
