import { flyteidl } from "@flytekit-ts/idl";
import type { CompiledWorkflow, LaunchPlanInterface, TaskTemplate } from "./builder.js";
import { ClosureCompileError, Errors, issue } from "./errors.js";
import { formatId, idKey } from "./ids.js";
import { collectRequirements } from "./requirements.js";
import { cloneTask, type TaskLike, taskTemplateOf, validateTask } from "./task.js";
import { type CompileScope, WorkflowBuilder } from "./workflow.js";

type WorkflowTemplateLike = flyteidl.core.WorkflowTemplate.$Properties;

/** Everything a workflow compile needs: propeller's CompileWorkflow arguments. */
export interface CompileWorkflowInput {
  /** The workflow to compile. */
  readonly primary: WorkflowTemplateLike;
  /** Templates of the workflows its nodes call as sub-workflows (recursively). */
  readonly subWorkflows?: readonly WorkflowTemplateLike[];
  /** The tasks its nodes run (also inside sub-workflows, branches, array and failure nodes). */
  readonly tasks: readonly TaskLike[];
  /** The interfaces of the launch plans its nodes launch. */
  readonly launchPlans?: readonly LaunchPlanInterface[];
}

/** What may accompany a `core.WorkflowClosure` or `admin.WorkflowSpec` to make a full input. */
export interface CompileExtras {
  readonly tasks?: readonly TaskLike[];
  readonly subWorkflows?: readonly WorkflowTemplateLike[];
  readonly launchPlans?: readonly LaunchPlanInterface[];
}

/** Options of `compileWorkflowClosure`: whether tasks are checked too, and what errors call the workflow. */
export interface CompileOptions {
  /**
   * Also run the task checks of {@link compileTask} on every task passed in (default true). On a
   * cluster those run when a task is registered; propeller's workflow compile assumes them done.
   */
  readonly validateTasks?: boolean;
  /** What to call the workflow in the error message (default: its id). */
  readonly label?: string;
}

/**
 * A workflow closure in any of the shapes that carry one: the explicit input; a
 * `core.WorkflowClosure` (`{workflow, tasks}`, as in propeller's test data); or an
 * `admin.WorkflowSpec` (`{template, subWorkflows}`, what `pyflyte package` writes as `_2.pb`), whose
 * tasks come from `extras`.
 */
export type ClosureSource = CompileWorkflowInput | flyteidl.core.WorkflowClosure.$Properties | flyteidl.admin.WorkflowSpec.$Properties;

/** Turns any {@link ClosureSource} (plus extras) into the explicit input shape. */
export function toCompileInput(source: ClosureSource, extras: CompileExtras = {}): CompileWorkflowInput {
  const more = {
    subWorkflows: extras.subWorkflows ?? [],
    tasks: extras.tasks ?? [],
    launchPlans: extras.launchPlans ?? [],
  };
  if (source instanceof flyteidl.core.WorkflowClosure || (!("primary" in source) && "workflow" in source)) {
    const closure = source as flyteidl.core.WorkflowClosure.$Properties;
    if (!closure.workflow) throw new ClosureCompileError("workflow closure", [issue("ValueRequired", "root", "Value required [wf].")]);
    return { primary: closure.workflow, subWorkflows: more.subWorkflows, tasks: [...(closure.tasks ?? []), ...more.tasks], launchPlans: more.launchPlans };
  }
  if (source instanceof flyteidl.admin.WorkflowSpec || (!("primary" in source) && "template" in source)) {
    const spec = source as flyteidl.admin.WorkflowSpec.$Properties;
    if (!spec.template) throw new ClosureCompileError("workflow spec", [issue("ValueRequired", "root", "Value required [wf].")]);
    return { primary: spec.template, subWorkflows: [...(spec.subWorkflows ?? []), ...more.subWorkflows], tasks: more.tasks, launchPlans: more.launchPlans };
  }
  const input = source as CompileWorkflowInput;
  return {
    primary: input.primary,
    subWorkflows: [...(input.subWorkflows ?? []), ...more.subWorkflows],
    tasks: [...input.tasks, ...more.tasks],
    launchPlans: [...(input.launchPlans ?? []), ...more.launchPlans],
  };
}

function cloneWorkflow(wf: WorkflowTemplateLike): flyteidl.core.WorkflowTemplate {
  const { WorkflowTemplate } = flyteidl.core;
  const message = WorkflowTemplate.fromObject(wf as { [k: string]: unknown });
  return WorkflowTemplate.decode(WorkflowTemplate.encode(message).finish());
}

function asTask(task: TaskTemplate | flyteidl.core.TaskTemplate.$Properties): flyteidl.core.TaskTemplate {
  return cloneTask(flyteidl.core.TaskTemplate.fromObject(task as { [k: string]: unknown }));
}

/**
 * Compiles a workflow closure exactly as FlytePropeller's compiler (`CompileWorkflow`, Flyte 1.16)
 * does, producing the `CompiledWorkflowClosure` flyteadmin stores:
 *
 * - `primary.template.nodes` starts with the synthetic `start-node` and `end-node` (whose inputs
 *   are the workflow's output bindings), followed by the workflow's nodes in order;
 * - promises bound to `""` (the workflow's inputs) are rewritten to `start-node`; upstream node ids
 *   are sorted; branch case nodes are renamed `<branch id>-<case id>`; empty interfaces get empty
 *   input/output maps;
 * - `connections` lists every node's upstream and downstream nodes (explicit `upstream_node_ids`
 *   and binding dependencies; nodes with no dependencies hang off `start-node`, nodes nothing
 *   depends on lead into `end-node`);
 * - `tasks` holds every task passed in (first of each id, in the order given), `sub_workflows` every
 *   sub-workflow passed in, compiled where called; `launch_plans` is left empty.
 *
 * It performs propeller's checks — references, binding types (with the castability rules of
 * @flytekit-ts/types), unbound inputs, unknown variables, duplicate bindings, output aliases, branch
 * cases and conditions, gate and array nodes, failure nodes, workflow outputs, cycles, reachability —
 * and reports every problem at once.
 *
 * @throws ClosureCompileError with all issues, each with propeller's error kind, node and variable.
 */
export function compileWorkflowClosure(source: ClosureSource, extras?: CompileExtras, options: CompileOptions = {}): flyteidl.core.CompiledWorkflowClosure {
  const input = toCompileInput(source, extras);
  const errs = new Errors();
  const primary = cloneWorkflow(input.primary);
  const label = options.label ?? `workflow ${formatId(primary.id)}`;
  const fail: () => never = () => {
    throw new ClosureCompileError(label, errs.list());
  };

  // Tasks: the first of each id wins, in the order given.
  const tasks: flyteidl.core.TaskTemplate[] = [];
  const allTasks = new Map<string, TaskTemplate>();
  for (const task of input.tasks) {
    const template = taskTemplateOf(task);
    if (!template?.id) {
      errs.collect(issue("ValueRequired", "task", "Value required [Template.Id]."));
      return fail();
    }
    const key = idKey(template.id);
    if (allTasks.has(key)) continue;
    const copy = asTask(template);
    if (options.validateTasks ?? true) validateTask(copy, errs.scope());
    allTasks.set(key, copy);
    tasks.push(copy);
  }

  // Sub-workflows: ids must be unique.
  const subWorkflows: CompiledWorkflow[] = [];
  const allSubWorkflows = new Map<string, CompiledWorkflow>();
  let duplicate = false;
  for (const wf of input.subWorkflows ?? []) {
    const compiled = flyteidl.core.CompiledWorkflow.create({ template: cloneWorkflow(wf) });
    const key = idKey(compiled.template!.id);
    if (allSubWorkflows.has(key)) {
      errs.collect(issue("DuplicateNodeID", formatId(compiled.template!.id), "Trying to insert two nodes with the same id."));
      duplicate = true;
      continue;
    }
    allSubWorkflows.set(key, compiled);
    subWorkflows.push(compiled);
  }
  if (duplicate) fail();

  const allLaunchPlans = new Map<string, LaunchPlanInterface>();
  for (const lp of input.launchPlans ?? []) allLaunchPlans.set(idKey(lp.id), lp);

  // Everything referenced anywhere must have been passed in; stop here if not.
  const reqErrs = errs.scope();
  const templates = new Map([...allSubWorkflows].map(([k, v]) => [k, v.template!] as const));
  const reqs = collectRequirements(primary, templates, true, reqErrs);
  for (const ref of reqs.launchPlans.values()) {
    if (!allLaunchPlans.has(idKey(ref.id))) {
      reqErrs.collect(issue("WorkflowReferenceNotFound", ref.nodeId, `Referenced Workflow [${formatId(ref.id)}] not found.`));
    }
  }
  for (const ref of reqs.tasks.values()) {
    if (!allTasks.has(idKey(ref.id))) {
      reqErrs.collect(issue("TaskReferenceNotFound", ref.nodeId, `Referenced Task [${formatId(ref.id)}] not found.`));
    }
  }
  if (reqErrs.hasErrors()) fail();

  const compiledPrimary = flyteidl.core.CompiledWorkflow.create({ template: primary });
  const scope: CompileScope = { allTasks, allSubWorkflows, allLaunchPlans, compiledSubWorkflows: new Map(), compiling: new Set() };
  const root = new WorkflowBuilder(compiledPrimary, scope);
  const [validated, ok] = root.validateWorkflow(compiledPrimary, errs.scope());
  if (!ok || !validated || errs.hasErrors()) return fail();

  return flyteidl.core.CompiledWorkflowClosure.create({
    primary: validated.compiled,
    subWorkflows,
    tasks: tasks.map((template) => flyteidl.core.CompiledTask.create({ template })),
  });
}

/**
 * A launch plan's interface for compiling workflows that launch it. flyteadmin takes the expected
 * inputs and outputs from the launch plan's closure; `pyflyte package` leaves those empty, so they are
 * derived when missing: inputs from `spec.default_inputs` (fixed inputs are not exposed), outputs from
 * the launched workflow's interface when given.
 */
export function launchPlanInterface(
  launchPlan: flyteidl.admin.LaunchPlan.$Properties,
  workflowInterface?: flyteidl.core.TypedInterface.$Properties | null,
): LaunchPlanInterface {
  const closure = launchPlan.closure;
  const closureInputs = closure?.expectedInputs?.parameters ?? {};
  const closureOutputs = closure?.expectedOutputs?.variables ?? {};
  const fixed = new Set(Object.keys(launchPlan.spec?.fixedInputs?.literals ?? {}));
  const parameters =
    Object.keys(closureInputs).length > 0
      ? closureInputs
      : Object.fromEntries(Object.entries(launchPlan.spec?.defaultInputs?.parameters ?? {}).filter(([name]) => !fixed.has(name)));
  const outputs = Object.keys(closureOutputs).length > 0 ? closureOutputs : (workflowInterface?.outputs?.variables ?? {});
  return {
    id: launchPlan.id ?? {},
    expectedInputs: { parameters },
    expectedOutputs: { variables: outputs },
  };
}
