import type { flyteidl } from "@flytekit-ts/idl";
import { END_NODE_ID, type NodeBuilder, START_NODE_ID, type WorkflowContext } from "./builder.js";
import { type Errors, issue } from "./errors.js";
import { formatId } from "./ids.js";
import { validateUnderlyingInterface } from "./interface.js";
import { describeType, type LiteralType, primitiveType, sameType, scalarType } from "./typing.js";
import { effectiveOutputs, validateInputVar } from "./vars.js";

type Operand = flyteidl.core.Operand.$Properties;
type BooleanExpression = flyteidl.core.BooleanExpression.$Properties;

function validateOperand(node: NodeBuilder, paramName: string, operand: Operand | null | undefined, requireParamType: boolean, errs: Errors): [LiteralType | undefined, boolean] {
  let type: LiteralType | undefined;
  if (!operand) {
    errs.collect(issue("ValueRequired", node.id, `Value required [${paramName}].`));
  } else if (operand.primitive) {
    type = primitiveType(operand.primitive);
  } else if (operand.scalar) {
    type = scalarType(operand.scalar);
  } else if (operand.var) {
    if (node.iface) {
      const [param, ok] = validateInputVar(node, operand.var, requireParamType, errs.scope());
      if (ok && param) type = param.type ?? undefined;
    } else {
      errs.collect(issue("ValueRequired", node.id, `Value required [${operand.var}].`, operand.var));
    }
  } else {
    errs.collect(issue("ValueRequired", node.id, `Value required [${paramName}.Val].`));
  }
  return [type, !errs.hasErrors()];
}

/**
 * A branch condition: comparisons must read variables the branch node binds, and both sides must
 * have exactly the same type (a FLOAT input compared with an integer constant is a mismatch, as on
 * a cluster); conjunctions are checked side by side.
 */
export function validateBooleanExpression(node: NodeBuilder, expr: BooleanExpression | null | undefined, requireParamType: boolean, errs: Errors): boolean {
  if (!expr) {
    errs.collect(issue("BranchNodeHasNoCondition", node.id, "One of the branches on the node doesn't have a condition."));
  } else if (expr.comparison) {
    const [right, rightOk] = validateOperand(node, "RightValue", expr.comparison.rightValue, requireParamType, errs.scope());
    const [left, leftOk] = validateOperand(node, "LeftValue", expr.comparison.leftValue, requireParamType, errs.scope());
    if (rightOk && leftOk && right && left && !sameType(right, left)) {
      errs.collect(issue("MismatchingTypes", node.id, `Variable [RightValue] (type [${describeType(right)}]) doesn't match expected type [${describeType(left)}].`));
    }
  } else if (expr.conjunction) {
    validateBooleanExpression(node, expr.conjunction.leftExpression, requireParamType, errs.scope());
    validateBooleanExpression(node, expr.conjunction.rightExpression, requireParamType, errs.scope());
  } else {
    errs.collect(issue("ValueRequired", node.id, "Value required [Expr]."));
  }
  return !errs.hasErrors();
}

/**
 * A branch node: every case needs a condition and a node, there must be an else node or an else
 * error, and each case node is validated as a node of its own. Returns the case nodes that are valid.
 */
function validateBranchNode(w: WorkflowContext, n: NodeBuilder, requireParamType: boolean, errs: Errors): [NodeBuilder[], boolean] {
  const ifElse = n.node.branchNode?.ifElse;
  if (!ifElse) return [[], !errs.hasErrors()];
  const cases: flyteidl.core.IfBlock.$Properties[] = [];
  if (!ifElse.case) errs.collect(issue("BranchNodeHasNoCondition", n.id, "One of the branches on the node doesn't have a condition."));
  else cases.push(ifElse.case);
  cases.push(...(ifElse.other ?? []));

  const subNodes: NodeBuilder[] = [];
  for (const block of cases) {
    validateBooleanExpression(n, block.condition, requireParamType, errs.scope());
    if (!block.thenNode) errs.collect(issue("BranchNodeIDNotFound", n.id, "BranchNode not assigned"));
    else subNodes.push(w.builderFor(block.thenNode as flyteidl.core.Node));
  }
  if (ifElse.elseNode) subNodes.push(w.builderFor(ifElse.elseNode as flyteidl.core.Node));
  else if (!ifElse.error) errs.collect(issue("BranchNodeHasNoDefault", n.id, "Branch Node must have either the else case set or a default error."));

  const discovered: NodeBuilder[] = [];
  for (const sub of subNodes) {
    if (validateNode(w, sub, requireParamType, errs.scope())) discovered.push(sub);
  }
  return [discovered, !errs.hasErrors()];
}

/**
 * Validates one node: its interface (and output aliases), its upstream ids (sorted, so the output
 * does not depend on the client's order), branch cases, the sub-workflow it calls (compiled once)
 * and the task it runs.
 */
export function validateNode(w: WorkflowContext, n: NodeBuilder, validateConditionTypes: boolean, errs: Errors): boolean {
  if (n.id === "") errs.collect(issue("ValueRequired", "<node>", "Value required [Id]."));
  if (n.id === START_NODE_ID || n.id === END_NODE_ID) return true;

  const [, ifaceOk] = validateUnderlyingInterface(w, n, errs.scope());
  if (ifaceOk) effectiveOutputs(n, errs.scope());

  n.node.upstreamNodeIds = [...(n.node.upstreamNodeIds ?? [])].sort();

  const core = n.node;
  if (core.branchNode) {
    const [nodes, ok] = validateBranchNode(w, n, validateConditionTypes, errs.scope());
    if (ok) for (const sub of nodes) w.addEdges(sub, "upstream", errs.scope());
  } else if (core.workflowNode?.subWorkflowRef) {
    const ref = core.workflowNode.subWorkflowRef;
    // A sub-workflow is compiled once, the first time a node calls it.
    if (w.isCompiling(ref)) {
      // Propeller's compiler recurses without end here (each call compiles the callee again); a
      // workflow that contains itself can never finish, so it is reported as a cycle instead.
      errs.collect(issue("CycleDetected", n.id, `A cycle has been detected while traversing the Workflow [${formatId(ref)} calls itself].`));
    } else if (!w.getCompiledSubWorkflow(ref)) {
      const wf = w.getSubWorkflow(ref);
      if (wf) {
        if (!n.subWorkflow) {
          const [sub, ok] = w.validateWorkflow(wf, errs.scope());
          if (ok && sub) {
            n.subWorkflow = sub;
            w.storeCompiledSubWorkflow(ref, sub.compiled);
          }
        }
      } else {
        errs.collect(issue("WorkflowReferenceNotFound", n.id, `Referenced Workflow [${formatId(ref)}] not found.`));
      }
    }
  } else if (core.taskNode?.referenceId) {
    const task = w.getTask(core.taskNode.referenceId);
    if (task) n.task = task;
    else errs.collect(issue("TaskReferenceNotFound", n.id, `Referenced Task [${formatId(core.taskNode.referenceId)}] not found.`));
  }
  return !errs.hasErrors();
}
