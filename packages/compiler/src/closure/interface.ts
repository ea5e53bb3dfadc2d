import { flyteidl } from "@flytekit-ts/idl";
import { validateBindings } from "./bindings.js";
import type { NodeBuilder, TypedInterface, Variable, VariableMap, WorkflowContext } from "./builder.js";
import { type Errors, issue } from "./errors.js";
import { formatId, idKey } from "./ids.js";
import { hasBindingFor, validateVariables, validateVarType } from "./vars.js";

const emptyVariables = (): VariableMap => flyteidl.core.VariableMap.create({ variables: {} });

/**
 * Checks that every variable of an interface has a name and a type, and fills in missing input or
 * output maps with empty ones — in place, as propeller does, which is why a compiled workflow (and
 * a task used by it) always shows both `inputs` and `outputs`.
 */
export function validateInterface(nodeId: string, iface: TypedInterface | null | undefined, errs: Errors): [TypedInterface, boolean] {
  const result: TypedInterface = iface ?? flyteidl.core.TypedInterface.create();
  if (result.inputs) validateVariables(nodeId, result.inputs, errs.scope());
  else result.inputs = emptyVariables();
  if (result.outputs) validateVariables(nodeId, result.outputs, errs.scope());
  else result.outputs = emptyVariables();
  return [result, !errs.hasErrors()];
}

function wrapInCollection(variable: Variable): Variable {
  return flyteidl.core.Variable.fromObject({
    ...flyteidl.core.Variable.toObject(flyteidl.core.Variable.fromObject(variable as { [k: string]: unknown })),
    type: { collectionType: variable.type ?? {} },
  });
}

/**
 * The interface a node exposes to the rest of the graph: its task's, its sub-workflow's or launch
 * plan's (a launch plan exposes its required inputs plus the optional ones the node binds), the
 * combined outputs of a branch's cases, a gate's pass-through or signal output, or an array node's
 * underlying node. Computed once per node and remembered.
 */
export function validateUnderlyingInterface(w: WorkflowContext, node: NodeBuilder, errs: Errors): [TypedInterface | null, boolean] {
  if (node.iface) return [node.iface, true];

  const core = node.node;
  let iface: TypedInterface | null = null;
  switch (core.target) {
    case "taskNode": {
      const ref = core.taskNode?.referenceId;
      if (!ref) {
        errs.collect(issue("ValueRequired", node.id, "Value required [TaskNode.ReferenceId]."));
        break;
      }
      const task = w.getTask(ref);
      if (task) {
        // A task without an interface behaves as one with no inputs and no outputs.
        iface = task.interface ?? { inputs: emptyVariables(), outputs: emptyVariables() };
      } else {
        errs.collect(issue("TaskReferenceNotFound", node.id, `Referenced Task [${formatId(ref)}] not found.`));
      }
      break;
    }
    case "workflowNode": {
      const { launchplanRef, subWorkflowRef } = core.workflowNode ?? {};
      const template = w.compiled.template;
      if (launchplanRef && template?.id && idKey(launchplanRef) === idKey(template.id)) {
        // A workflow launching itself through its own launch plan.
        iface = template.interface ?? null;
        if (!iface) errs.collect(issue("ValueRequired", node.id, "Value required [WorkflowNode.Interface]."));
      } else if (launchplanRef) {
        const lp = w.getLaunchPlan(launchplanRef);
        if (lp) {
          const exposed: Record<string, Variable> = {};
          for (const [name, p] of Object.entries(lp.expectedInputs?.parameters ?? {})) {
            // Inputs with a default are exposed only when the node overrides them.
            if (p.required || hasBindingFor(core.inputs, name)) exposed[name] = p.var ?? {};
          }
          iface = flyteidl.core.TypedInterface.fromObject({ inputs: { variables: exposed }, outputs: lp.expectedOutputs ?? { variables: {} } });
        } else {
          errs.collect(issue("WorkflowReferenceNotFound", node.id, `Referenced Workflow [${formatId(launchplanRef)}] not found.`));
        }
      } else if (subWorkflowRef) {
        const wf = w.getSubWorkflow(subWorkflowRef);
        if (wf) {
          if (!wf.template) errs.collect(issue("ValueRequired", node.id, "Value required [WorkflowNode.Template]."));
          else {
            iface = wf.template.interface ?? null;
            if (!iface) errs.collect(issue("ValueRequired", node.id, "Value required [WorkflowNode.Template.Interface]."));
          }
        } else {
          errs.collect(issue("WorkflowReferenceNotFound", node.id, `Referenced Workflow [${formatId(subWorkflowRef)}] not found.`));
        }
      } else {
        errs.collect(issue("WorkflowReferenceNotFound", node.id, "Referenced Workflow [<nil>/<nil>] not found."));
      }
      break;
    }
    case "branchNode":
      [iface] = validateBranchInterface(w, node, errs.scope());
      break;
    case "gateNode": {
      const gate = core.gateNode;
      if (gate?.approve) {
        // Approving copies the node's inputs to its outputs, so both are whatever the bindings provide.
        const [fromBindings] = validateBindings(w, node, core.inputs, emptyVariables(), false, "upstream", errs.scope());
        iface = { inputs: fromBindings, outputs: fromBindings };
      } else if (gate?.signal) {
        if (!gate.signal.type) errs.collect(issue("ValueRequired", node.id, "Value required [GateNode.Signal.Type]."));
        else if (!gate.signal.outputVariableName) errs.collect(issue("ValueRequired", node.id, "Value required [GateNode.Signal.OutputVariableName]."));
        else {
          iface = flyteidl.core.TypedInterface.fromObject({
            inputs: { variables: {} },
            outputs: { variables: { [gate.signal.outputVariableName]: { type: gate.signal.type } } },
          });
        }
      } else if (gate?.sleep) {
        iface = { inputs: emptyVariables(), outputs: emptyVariables() };
      } else {
        errs.collect(issue("NoConditionFound", node.id, `Can't find any condition in gate node [${node.id}].`));
      }
      break;
    }
    case "arrayNode": {
      const arrayNode = core.arrayNode!;
      if (!arrayNode.node) {
        errs.collect(issue("ValueRequired", node.id, "Value required [ArrayNode.Node]."));
        break;
      }
      const [underlying, ok] = validateUnderlyingInterface(w, w.builderFor(arrayNode.node as flyteidl.core.Node), errs.scope());
      if (ok && underlying) {
        // flytekit already gives map tasks list-typed interfaces. When the sub-node keeps its original
        // (per-item) interface, the array node maps over every input except the bound ones and
        // collects every output into a list.
        if (arrayNode.isOriginalSubNodeInterface?.value) {
          const bound = new Set(arrayNode.boundInputs ?? []);
          const inputs: Record<string, Variable> = {};
          for (const [name, v] of Object.entries(underlying.inputs?.variables ?? {})) inputs[name] = bound.has(name) ? v : wrapInCollection(v);
          const outputs: Record<string, Variable> = {};
          for (const [name, v] of Object.entries(underlying.outputs?.variables ?? {})) outputs[name] = wrapInCollection(v);
          iface = flyteidl.core.TypedInterface.fromObject({ inputs: { variables: inputs }, outputs: { variables: outputs } });
        } else {
          iface = underlying;
        }
      }
      break;
    }
    default:
      errs.collect(issue("ValueRequired", node.id, "Value required [Target]."));
  }

  if (iface) validateInterface(node.id, iface, errs.scope());
  if (!errs.hasErrors()) node.iface = iface;
  return [iface, !errs.hasErrors()];
}

/**
 * A branch node's interface: its inputs are whatever its bindings provide (the conditions read
 * them), its outputs are the outputs every case has in common, which must have identical types.
 * Each case's node is renamed `<branch id>-<case node id>` here, as propeller does.
 */
export function validateBranchInterface(w: WorkflowContext, node: NodeBuilder, errs: Errors): [TypedInterface | null, boolean] {
  if (node.iface) return [node.iface, true];

  const ifElse = node.node.branchNode?.ifElse;
  if (!node.node.branchNode) {
    errs.collect(issue("ValueRequired", node.id, "Value required [Branch]."));
    return [null, false];
  }
  if (!ifElse) {
    errs.collect(issue("ValueRequired", node.id, "Value required [Branch.IfElse]."));
    return [null, false];
  }
  if (!ifElse.case) {
    errs.collect(issue("ValueRequired", node.id, "Value required [Branch.IfElse.Case]."));
    return [null, false];
  }
  if (!ifElse.case.thenNode) {
    errs.collect(issue("ValueRequired", node.id, "Value required [Branch.IfElse.Case.ThenNode]."));
    return [null, false];
  }

  const cases: flyteidl.core.Node[] = [ifElse.case.thenNode as flyteidl.core.Node];
  for (const other of ifElse.other ?? []) {
    if (!other.thenNode) {
      errs.collect(issue("ValueRequired", node.id, "Value required [IfElse.Case.ThenNode]."));
      continue;
    }
    cases.push(other.thenNode as flyteidl.core.Node);
  }
  if (ifElse.elseNode) cases.push(ifElse.elseNode as flyteidl.core.Node);

  let outputs: Record<string, Variable> | undefined;
  let common = new Set<string>();
  let first: TypedInterface | null = null;
  for (const block of cases) {
    const n = w.builderFor(block);
    n.id = `${node.id}-${n.id}`;
    const [caseIface, ok] = validateUnderlyingInterface(w, n, errs.scope());
    if (!ok || !caseIface) continue;
    // Only outputs matter: each case pulls its own inputs at run time.
    const caseOutputs = caseIface.outputs?.variables ?? {};
    if (!first) {
      first = { inputs: emptyVariables(), outputs: caseIface.outputs ?? null };
      outputs = { ...caseOutputs };
      common = new Set(Object.keys(caseOutputs));
    } else {
      common = new Set([...common].filter((name) => Object.hasOwn(caseOutputs, name)));
      for (const name of common) {
        if (validateVarType(n.id, name, outputs?.[name], caseOutputs[name]?.type, errs.scope())) {
          validateVarType(n.id, name, caseOutputs[name], outputs?.[name]?.type, errs.scope());
        }
      }
    }
  }

  // The inputs are discovered from the bindings; conditions are checked against them later.
  const [fromBindings] = validateBindings(w, node, node.node.inputs, emptyVariables(), false, "upstream", errs.scope());

  if (!errs.hasErrors() && first) {
    const kept: Record<string, Variable> = {};
    for (const [name, v] of Object.entries(first.outputs?.variables ?? {})) if (common.has(name)) kept[name] = v;
    return [{ inputs: fromBindings, outputs: { variables: kept } }, true];
  }
  return [null, !errs.hasErrors()];
}
