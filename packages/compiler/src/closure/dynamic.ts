import { flyteidl } from "@flytekit-ts/idl";
import type { LaunchPlanInterface } from "./builder.js";
import { compileWorkflowClosure } from "./compile.js";
import { ClosureCompileError, Errors } from "./errors.js";
import { idKey } from "./ids.js";
import { cloneTask, validateTask } from "./task.js";

type DynamicJobSpec = flyteidl.core.DynamicJobSpec.$Properties;
type TypedInterface = flyteidl.core.TypedInterface.$Properties;
type TaskTemplate = flyteidl.core.TaskTemplate.$Properties;

/** Options of `compileDynamicJobSpec`: the synthesized workflow's id and the parent task. */
export interface DynamicCompileOptions {
  /**
   * The id of the synthesized workflow. Propeller uses `{WORKFLOW, <execution project/domain>,
   * "dynamic_" + <parent node id>, <random version>}`; the default here is a stable
   * `{WORKFLOW, name: "dynamic"}`.
   */
  readonly workflowId?: flyteidl.core.Identifier.$Properties;
  /**
   * The parent task. When it has a container, its (deprecated) `container.config` entries are
   * appended to every child task that has a container, as propeller does.
   */
  readonly parentTask?: TaskTemplate;
}

/**
 * Compiles what a dynamic task wrote to `futures.pb` the way FlytePropeller does before running it:
 * a workflow is synthesized from the spec's nodes and output bindings with the parent task's
 * *outputs* as its interface (no inputs — children can only use constants and each other's
 * outputs), the embedded tasks are compiled (every task a node runs must be embedded: a missing one
 * is TaskReferenceNotFound, tasks are never looked up elsewhere), launch plans come from
 * `launchPlans`, and the whole is compiled with the same checks as a static workflow.
 *
 * @param parentInterface the dynamic task's interface (only its outputs are used)
 * @throws ClosureCompileError — propeller fails the node with "malformed dynamic workflow".
 */
export function compileDynamicJobSpec(
  spec: DynamicJobSpec,
  parentInterface: TypedInterface | null | undefined,
  launchPlans: readonly LaunchPlanInterface[] = [],
  options: DynamicCompileOptions = {},
): flyteidl.core.CompiledWorkflowClosure {
  const label = "malformed dynamic workflow";

  // Each embedded task is compiled (checked) first; the first of each id wins.
  const errs = new Errors();
  const seen = new Set<string>();
  const tasks: flyteidl.core.TaskTemplate[] = [];
  const parentConfig = options.parentTask?.container ? (options.parentTask.container.config ?? []) : [];
  for (const task of spec.tasks ?? []) {
    const key = idKey(task.id);
    if (seen.has(key)) continue;
    seen.add(key);
    const copy = cloneTask(flyteidl.core.TaskTemplate.fromObject(task as { [k: string]: unknown }));
    if (copy.container && parentConfig.length > 0) {
      copy.container.config = [...(copy.container.config ?? []), ...parentConfig.map((kv) => flyteidl.core.KeyValuePair.fromObject(kv as { [k: string]: unknown }))];
    }
    validateTask(copy, errs.scope());
    tasks.push(copy);
  }
  if (errs.hasErrors()) throw new ClosureCompileError(label, errs.list());

  const outputs = parentInterface?.outputs;
  const template: flyteidl.core.WorkflowTemplate.$Properties = {
    id: options.workflowId ?? { resourceType: flyteidl.core.ResourceType.WORKFLOW, name: "dynamic" },
    // Only the parent's outputs: a dynamic workflow has no inputs of its own.
    interface: outputs ? { outputs } : {},
    nodes: spec.nodes ?? [],
    outputs: spec.outputs ?? [],
  };
  return compileWorkflowClosure(
    { primary: template, subWorkflows: spec.subworkflows ?? [], tasks, launchPlans },
    undefined,
    { validateTasks: false, label },
  );
}
