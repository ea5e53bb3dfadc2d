import { durationFromMillis, type flyteidl } from "@flytekit-ts/idl";
import type { TaskSettings } from "@flytekit-ts/resources";
import type { LiteralType } from "@flytekit-ts/types";
import { isEntityTarget } from "../builder.js";
import {
  ENTITY,
  type AnyEntity,
  type BranchTarget,
  type GateTarget,
  type GraphBuilderLike,
  type LaunchPlanLike,
  type MapTaskLike,
  type NodeRecord,
  type ReferenceLike,
  type WorkflowLike,
} from "../vocabulary.js";
import type { GraphCompilation } from "./compilation.js";
import { branchConditions } from "./conditions.js";
import { bindVariables, varList, type Var } from "./variables.js";

/*
 * One recorded call as an IDL node, as flytekit's translator writes each kind: task, sub-workflow,
 * launch plan, map task (array node), reference, gate and branch node, with its bindings, metadata,
 * overrides and upstream nodes.
 */

type Node = flyteidl.core.Node.$Properties;

const shortName = (name: string): string => name.slice(name.lastIndexOf(".") + 1);

/** The node `record` became; `visible` is the builders whose nodes it may take data from, `label` its name in problems. */
export function compileNode(c: GraphCompilation, record: NodeRecord, visible: ReadonlySet<GraphBuilderLike>, label: string): Node {
  const upstream = c.borrowUpstream();
  const target = record.entity;
  const node: Node = { id: c.finalId(record) };
  if (!isEntityTarget(target)) {
    if (target.kind === "branch") branchNode(c, node, record, target, visible, label, upstream);
    else gateNode(c, node, record, target, visible, label, upstream);
  } else {
    const entity = target as AnyEntity;
    switch (entity[ENTITY]) {
      case "task":
      case "dynamic": {
        node.metadata = c.taskMetadata(entity, shortName(entity.name), (entity as { settings: TaskSettings }).settings, record);
        node.inputs = bindVariables(c, varList(entity.inputs), record.inputs, label, visible, upstream, {});
        node.taskNode = c.taskNode(entity, record, label);
        break;
      }
      case "workflow": {
        const wf = entity as WorkflowLike;
        node.metadata = c.withOverrides({ name: shortName(wf.name), retries: {}, interruptible: wf.interruptible }, record, label);
        node.inputs = bindVariables(c, varList(wf.inputs), record.inputs, label, visible, upstream, { defaults: wf.defaults });
        node.workflowNode = { subWorkflowRef: c.idOf(wf) };
        break;
      }
      case "map":
        arrayNode(c, node, record, entity as MapTaskLike, visible, label, upstream);
        break;
      case "launchPlan": {
        const lp = entity as LaunchPlanLike;
        node.metadata = c.withOverrides({ name: shortName(lp.workflow.name), retries: {}, interruptible: lp.workflow.interruptible }, record, label);
        node.inputs = bindVariables(c, varList(lp.inputs), record.inputs, label, visible, upstream, {
          defaults: { ...lp.workflow.defaults, ...lp.defaultInputs },
          fixed: lp.fixedInputs,
          fixedBy: `launch plan ${lp.name}`,
        });
        node.workflowNode = { launchplanRef: c.idOf(lp) };
        break;
      }
      case "reference":
        referenceNode(c, node, record, entity as ReferenceLike, visible, label, upstream);
        break;
    }
  }
  for (const before of record.after ?? []) upstream.add(before);
  if (upstream.size) {
    node.upstreamNodeIds = [...upstream].sort((a, b) => a.index - b.index).map((r) => c.finalId(r));
  }
  c.releaseUpstream(upstream);
  return node;
}

/**
 * A map task: an `ArrayNode` whose sub-node runs the map task's template, as flytekit's translator
 * writes it (sub-node id and name = the map task's name, the task's node metadata; the array node's
 * own metadata only the name).
 */
function arrayNode(c: GraphCompilation, node: Node, record: NodeRecord, map: MapTaskLike, visible: ReadonlySet<GraphBuilderLike>, label: string, upstream: Set<NodeRecord>): void {
  node.metadata = c.withOverrides({ name: map.name, retries: {} }, record, label);
  node.inputs = bindVariables(c, varList(map.inputs), record.inputs, label, visible, upstream);
  const arrayNode: flyteidl.core.ArrayNode.$Properties = {
    node: {
      id: map.name,
      metadata: c.sharedTaskMetadata(map, map.name, map.settings),
      inputs: node.inputs,
      taskNode: { referenceId: c.idOf(map), overrides: c.taskOverrides(record, label) },
    },
    isOriginalSubNodeInterface: { value: false },
  };
  if (map.concurrency !== undefined) arrayNode.parallelism = map.concurrency;
  if (map.minSuccesses !== undefined) arrayNode.minSuccesses = map.minSuccesses;
  else arrayNode.minSuccessRatio = map.minSuccessRatio;
  if (map.boundInputs.length) arrayNode.boundInputs = [...map.boundInputs];
  node.arrayNode = arrayNode;
}

function referenceNode(c: GraphCompilation, node: Node, record: NodeRecord, ref: ReferenceLike, visible: ReadonlySet<GraphBuilderLike>, label: string, upstream: Set<NodeRecord>): void {
  const spec = ref.reference;
  node.metadata = c.withOverrides({ name: shortName(spec.name), retries: {} }, record, label);
  node.inputs = bindVariables(c, varList(ref.inputs), record.inputs, label, visible, upstream, {});
  const id = c.idOf(ref);
  if (spec.resourceType === "task") {
    if (c.ctx.embedsTasks && !spec.template) {
      c.problems.push({
        kind: "TaskReferenceNotFound",
        nodeId: label,
        message:
          `reference task ${spec.name} (${spec.project}/${spec.domain}, version ${spec.version}) has no template: a dynamic workflow's spec must embed the template of every task it calls (Flyte fetches none), ` +
          "so pass referenceTask(…, { template }) with the template fetched from Flyte, or call a launch plan (referenceLaunchPlan) instead",
      });
    }
    // flytekit's translator writes a reference task's node without overrides.
    node.taskNode = record.overrides ? { referenceId: id, overrides: c.taskOverrides(record, label) } : { referenceId: id };
  } else if (spec.resourceType === "workflow") {
    if (!spec.template) {
      c.problems.push({
        kind: "WorkflowReferenceNotFound",
        nodeId: label,
        message:
          `reference workflow ${spec.name} (${spec.project}/${spec.domain}, version ${spec.version}) has no template: a sub-workflow node needs the sub-workflow's template in the caller's spec (flytekit refuses reference sub-workflows for this reason), ` +
          "so pass referenceWorkflow(…, { template }) with the templates fetched from Flyte, or call one of its launch plans with referenceLaunchPlan",
      });
    }
    node.workflowNode = { subWorkflowRef: id };
  } else {
    node.workflowNode = { launchplanRef: id };
  }
}

function gateNode(c: GraphCompilation, node: Node, record: NodeRecord, gate: GateTarget, visible: ReadonlySet<GraphBuilderLike>, label: string, upstream: Set<NodeRecord>): void {
  node.metadata = c.withOverrides({ name: gate.name, timeout: durationFromMillis(gate.timeoutMillis), retries: {} }, record, label);
  if (gate.gate === "sleep") {
    node.gateNode = { sleep: { duration: durationFromMillis(gate.sleepMillis ?? 0) } };
  } else if (gate.gate === "approve") {
    const vars: Var[] = [{ name: gate.variable as string, type: gate.type as LiteralType, optional: false }];
    node.inputs = bindVariables(c, vars, record.inputs, label, visible, upstream);
    node.gateNode = { approve: { signalId: gate.name } };
  } else {
    node.gateNode = { signal: { signalId: gate.name, type: gate.type ?? null, outputVariableName: gate.variable ?? "o0" } };
  }
}

/**
 * A conditional: flytekit's branch node. Its inputs are the references the conditions compare
 * (conditions.ts); its cases' nodes see what the branch node sees.
 */
function branchNode(c: GraphCompilation, node: Node, record: NodeRecord, branch: BranchTarget, visible: ReadonlySet<GraphBuilderLike>, label: string, upstream: Set<NodeRecord>): void {
  node.metadata = c.withOverrides({ name: branch.name, retries: {} }, record, label);
  const conditions = branchConditions(c, visible, label, upstream);
  const caseLabel = (r: NodeRecord) => `${label}/${c.finalId(r)}`;
  const [first, ...others] = branch.cases.map((bc) => ({ condition: conditions.expression(bc.condition), thenNode: compileNode(c, bc.node, visible, caseLabel(bc.node)) }));
  const ifElse: flyteidl.core.IfElseBlock.$Properties = { case: first ?? null };
  if (others.length) ifElse.other = others;
  if ("node" in branch.otherwise) ifElse.elseNode = compileNode(c, branch.otherwise.node, visible, caseLabel(branch.otherwise.node));
  else ifElse.error = { failedNodeId: branch.name, message: branch.otherwise.fail };
  node.inputs = conditions.inputs();
  node.branchNode = { ifElse };
}
