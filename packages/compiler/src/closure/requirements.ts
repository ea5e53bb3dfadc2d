import type { flyteidl } from "@flytekit-ts/idl";
import { Errors, issue } from "./errors.js";
import { compareIds, formatId, idKey } from "./ids.js";

type Identifier = flyteidl.core.Identifier.$Properties;
type Node = flyteidl.core.Node.$Properties;
type WorkflowTemplate = flyteidl.core.WorkflowTemplate.$Properties;

/** What a workflow needs loaded before it can be compiled (propeller's GetRequirements). */
export interface WorkflowRequirements {
  /** Every task a node refers to, through branches, array nodes, failure nodes and sub-workflows; sorted. */
  readonly taskIds: Identifier[];
  /** Every launch plan a node refers to; sorted. */
  readonly launchPlanIds: Identifier[];
}

/** A referenced entity together with the first node (in traversal order) that refers to it. */
export interface Reference {
  readonly id: Identifier;
  readonly nodeId: string;
}

export interface CollectedRequirements {
  readonly tasks: Map<string, Reference>;
  readonly launchPlans: Map<string, Reference>;
}

/**
 * Walks a workflow's nodes (and, with `followSubWorkflows`, the sub-workflows they call) collecting
 * the task and launch plan ids they refer to. A sub-workflow reference missing from `subWorkflows`
 * is reported as WorkflowReferenceNotFound on the referring node. Each sub-workflow is walked once,
 * so a workflow that (wrongly) calls itself cannot send this into an endless loop.
 */
export function collectRequirements(
  workflow: WorkflowTemplate,
  subWorkflows: ReadonlyMap<string, WorkflowTemplate>,
  followSubWorkflows: boolean,
  errs: Errors,
): CollectedRequirements {
  const tasks = new Map<string, Reference>();
  const launchPlans = new Map<string, Reference>();
  const walked = new Set<string>();

  const visitNode = (node: Node | null | undefined): void => {
    if (!node) return;
    const nodeId = node.id ?? "";
    if (node.taskNode) {
      const ref = node.taskNode.referenceId;
      if (ref && !tasks.has(idKey(ref))) tasks.set(idKey(ref), { id: ref, nodeId });
    } else if (node.workflowNode) {
      const { launchplanRef, subWorkflowRef } = node.workflowNode;
      if (launchplanRef) {
        if (!launchPlans.has(idKey(launchplanRef))) launchPlans.set(idKey(launchplanRef), { id: launchplanRef, nodeId });
      } else if (subWorkflowRef && followSubWorkflows) {
        const key = idKey(subWorkflowRef);
        const sub = subWorkflows.get(key);
        if (!sub) {
          errs.collect(issue("WorkflowReferenceNotFound", nodeId, `Referenced Workflow [${formatId(subWorkflowRef)}] not found.`));
        } else if (!walked.has(key)) {
          walked.add(key);
          visitWorkflow(sub);
        }
      }
    } else if (node.branchNode) {
      const ifElse = node.branchNode.ifElse;
      visitNode(ifElse?.case?.thenNode);
      for (const other of ifElse?.other ?? []) visitNode(other.thenNode);
      visitNode(ifElse?.elseNode);
    } else if (node.arrayNode) {
      visitNode(node.arrayNode.node);
    }
  };

  const visitWorkflow = (wf: WorkflowTemplate): void => {
    for (const node of wf.nodes ?? []) visitNode(node);
    visitNode(wf.failureNode);
  };

  visitWorkflow(workflow);
  return { tasks, launchPlans };
}

/**
 * The task and launch plan ids a workflow needs, in propeller's order (flyteadmin loads these
 * before compiling). Sub-workflows are followed; a referenced sub-workflow that is not in
 * `subWorkflows` is simply not followed here (compiling reports it).
 */
export function getRequirements(primary: WorkflowTemplate, subWorkflows: readonly WorkflowTemplate[] = []): WorkflowRequirements {
  const index = new Map<string, WorkflowTemplate>();
  for (const wf of subWorkflows) if (!index.has(idKey(wf.id))) index.set(idKey(wf.id), wf);
  const reqs = collectRequirements(primary, index, true, new Errors());
  return {
    taskIds: [...reqs.tasks.values()].map((r) => r.id).sort(compareIds),
    launchPlanIds: [...reqs.launchPlans.values()].map((r) => r.id).sort(compareIds),
  };
}
