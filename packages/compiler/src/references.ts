import type { flyteidl } from "@flytekit-ts/idl";
import { formatLiteralType, isCastable, isTypeDescriptor, type TypeDescriptor } from "@flytekit-ts/types";
import { callableEntity, type CallInputs } from "./entities.js";
import { ENTITY, type NodeOutputs, type ReferenceId, type ReferenceSpec, type ReferencedWorkflowTemplates, type Variables } from "./vocabulary.js";

interface ReferenceBase<I extends Variables, O extends Variables, R extends ReferenceSpec["resourceType"]> {
  readonly [ENTITY]: "reference";
  /** The registered name. */
  readonly name: string;
  readonly inputs: I;
  readonly outputs: O;
  readonly reference: Extract<ReferenceSpec, { resourceType: R }>;
  /** Inside a workflow or dynamic body: adds a node calling the registered entity. */
  (inputs: CallInputs<I>): NodeOutputs<O>;
}
/** A task registered elsewhere (another project, or Python), called by id with a declared interface. */
export type ReferenceTask<I extends Variables = Variables, O extends Variables = Variables> = ReferenceBase<I, O, "task">;
/** A workflow registered elsewhere, called by id as a sub-workflow. */
export type ReferenceWorkflow<I extends Variables = Variables, O extends Variables = Variables> = ReferenceBase<I, O, "workflow">;
/** A launch plan registered elsewhere, called by id. */
export type ReferenceLaunchPlan<I extends Variables = Variables, O extends Variables = Variables> = ReferenceBase<I, O, "launchPlan">;

function checkId(kind: string, id: ReferenceId): ReferenceId {
  if (typeof id !== "object" || id === null) throw new TypeError(`${kind} needs { project, domain, name, version }, got ${typeof id}`);
  for (const key of ["project", "domain", "name", "version"] as const) {
    if (typeof id[key] !== "string" || id[key].trim() === "") {
      throw new TypeError(`${kind} ${JSON.stringify(id.name ?? "")}: "${key}" must be a non-empty string — a reference names one registered version`);
    }
  }
  return { project: id.project, domain: id.domain, name: id.name, version: id.version };
}

function checkVariables(kind: string, id: ReferenceId, which: string, variables: unknown): Variables {
  const vars = (variables ?? {}) as Record<string, unknown>;
  if (typeof vars !== "object" || Array.isArray(vars)) throw new TypeError(`${kind} ${id.name}: ${which} must be an object of type descriptors`);
  for (const [name, d] of Object.entries(vars)) {
    if (!isTypeDescriptor(d)) throw new TypeError(`${kind} ${id.name}: ${which} "${name}" must be a type descriptor such as t.int()`);
  }
  return vars as Variables;
}

/** The declared interface must be the template's: same variables, types castable both ways. */
function checkInterface(kind: string, id: ReferenceId, inputs: Variables, outputs: Variables, iface: flyteidl.core.TypedInterface.$Properties | null | undefined): void {
  for (const [which, declared, actual] of [
    ["input", inputs, iface?.inputs?.variables ?? {}],
    ["output", outputs, iface?.outputs?.variables ?? {}],
  ] as const) {
    const names = new Set([...Object.keys(declared), ...Object.keys(actual)]);
    for (const name of names) {
      const d = declared[name] as TypeDescriptor<unknown> | undefined;
      const type = actual[name]?.type;
      if (!d || !type) throw new TypeError(`${kind} ${id.name}: ${which} "${name}" is ${d ? "declared but not in the template" : "in the template but not declared"}`);
      if (!isCastable(type, d.literalType) || !isCastable(d.literalType, type)) {
        throw new TypeError(`${kind} ${id.name}: ${which} "${name}" is declared ${formatLiteralType(d.literalType)} but the template has ${formatLiteralType(type)}`);
      }
    }
  }
}

/**
 * A task already registered, called by id with a declared interface (flytekit's `reference_task`).
 * A workflow can call it as is; a dynamic workflow must embed every task's template, so there it
 * needs `template` (e.g. fetched with the remote client), and says so when it is missing.
 */
export function referenceTask<I extends Variables = {}, O extends Variables = {}>(
  id: ReferenceId,
  inputs?: I,
  outputs?: O,
  options: { template?: flyteidl.core.TaskTemplate.$Properties } = {},
): ReferenceTask<I, O> {
  const checked = checkId("referenceTask", id);
  const ins = checkVariables("referenceTask", checked, "input", inputs);
  const outs = checkVariables("referenceTask", checked, "output", outputs);
  if (options.template) checkInterface("referenceTask", checked, ins, outs, options.template.interface);
  const reference = { ...checked, resourceType: "task" as const, ...(options.template ? { template: options.template } : {}) };
  return callableEntity<ReferenceTask<I, O>>("reference", { name: checked.name, inputs: ins, outputs: outs, reference });
}

/**
 * A workflow already registered (flytekit's `reference_workflow`). Calling it makes a sub-workflow
 * node, and Flyte needs the sub-workflow's template in the caller's spec: pass `template` (e.g.
 * fetched with the remote client) or call a launch plan of it with `referenceLaunchPlan` instead.
 */
export function referenceWorkflow<I extends Variables = {}, O extends Variables = {}>(
  id: ReferenceId,
  inputs?: I,
  outputs?: O,
  options: { template?: ReferencedWorkflowTemplates } = {},
): ReferenceWorkflow<I, O> {
  const checked = checkId("referenceWorkflow", id);
  const ins = checkVariables("referenceWorkflow", checked, "input", inputs);
  const outs = checkVariables("referenceWorkflow", checked, "output", outputs);
  if (options.template) checkInterface("referenceWorkflow", checked, ins, outs, options.template.template.interface);
  const reference = { ...checked, resourceType: "workflow" as const, ...(options.template ? { template: options.template } : {}) };
  return callableEntity<ReferenceWorkflow<I, O>>("reference", { name: checked.name, inputs: ins, outputs: outs, reference });
}

/**
 * A launch plan already registered (flytekit's `reference_launch_plan`): calling it makes a
 * `launchplan_ref` node, in workflows and dynamic workflows alike.
 */
export function referenceLaunchPlan<I extends Variables = {}, O extends Variables = {}>(id: ReferenceId, inputs?: I, outputs?: O): ReferenceLaunchPlan<I, O> {
  const checked = checkId("referenceLaunchPlan", id);
  const ins = checkVariables("referenceLaunchPlan", checked, "input", inputs);
  const outs = checkVariables("referenceLaunchPlan", checked, "output", outputs);
  return callableEntity<ReferenceLaunchPlan<I, O>>("reference", { name: checked.name, inputs: ins, outputs: outs, reference: { ...checked, resourceType: "launchPlan" as const } });
}
