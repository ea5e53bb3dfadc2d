import { flyteidl } from "@flytekit-ts/idl";
import { taskDescription } from "@flytekit-ts/resources";
import type { TypeDescriptor } from "@flytekit-ts/types";
import { GraphBuilder, withGraph } from "./builder.js";
import type { SerializationContext } from "./context.js";
import { entityKind, type AnyEntity, type AnyTask, type Variables, type WorkflowLike } from "./entities.js";
import { compileGraph } from "./graph.js";
import { CompileError, WorkflowUsageError } from "./problems.js";
import { makeRef } from "./refs.js";
import { entityId, typedInterface } from "./serialize.js";

export type WorkflowTemplate = flyteidl.core.WorkflowTemplate.$Properties;

/** A compiled workflow and everything it calls. */
export interface CompiledWorkflow {
  readonly workflow: WorkflowLike;
  readonly template: WorkflowTemplate;
  /** Every task the graph calls (also through sub-workflows), in first-call order. */
  readonly tasks: readonly (AnyTask)[];
  /** Every workflow called as a sub-workflow (recursively), in first-call order. */
  readonly subWorkflows: readonly CompiledWorkflow[];
}

/** Compiles each workflow once per serialization context; sub-workflows are shared. */
export class WorkflowCompiler {
  private readonly compiled = new Map<WorkflowLike, Promise<CompiledWorkflow>>();

  constructor(readonly ctx: SerializationContext) {}

  compile(workflow: WorkflowLike): Promise<CompiledWorkflow> {
    let result = this.compiled.get(workflow);
    if (!result) {
      result = this.build(workflow);
      this.compiled.set(workflow, result);
    }
    return result;
  }

  private async build(wf: WorkflowLike): Promise<CompiledWorkflow> {
    const builder = new GraphBuilder(wf.name, "n");
    const inputs: Record<string, unknown> = {};
    for (const [name, descriptor] of Object.entries(wf.inputs as Variables)) {
      // Workflow inputs are promises on the start node, whose id is "" on the wire.
      inputs[name] = makeRef({ nodeId: "", variable: name, attrPath: [], type: (descriptor as TypeDescriptor<unknown>).literalType });
    }
    const returned: unknown = withGraph(builder, () => (wf.body as (i: Record<string, unknown>) => unknown)(inputs));
    if (returned instanceof Promise) {
      throw new WorkflowUsageError(
        `workflow "${wf.name}" has an async body; a workflow body runs once at compile time to describe the graph and must be synchronous (use a dynamic workflow to compute with values)`,
      );
    }
    const graph = await compileGraph(builder, wf.outputs as Variables, returned, { idOf: (e) => entityId(e, this.ctx), typeContext: this.ctx.typeContext }, true);
    if (graph.nodes.length === 0) graph.problems.push({ kind: "NoNodesFound", nodeId: wf.name, message: "a workflow must call at least one task, workflow or launch plan" });
    if (graph.problems.length) throw new CompileError(`workflow "${wf.name}"`, graph.problems);

    const template: WorkflowTemplate = {
      id: entityId(wf, this.ctx),
      metadata: wf.failurePolicy === "FAIL_AFTER_EXECUTABLE_NODES_COMPLETE" ? { onFailure: flyteidl.core.WorkflowMetadata.OnFailurePolicy.FAIL_AFTER_EXECUTABLE_NODES_COMPLETE } : {},
      metadataDefaults: wf.interruptible ? { interruptible: true } : {},
      interface: typedInterface(wf),
      nodes: graph.nodes,
      outputs: graph.outputs,
    };
    const { tasks, subWorkflows } = await this.dependencies(builder.nodes.map((n) => n.entity));
    return { workflow: wf, template, tasks, subWorkflows };
  }

  /** The tasks and sub-workflows reachable from a list of called entities, deduplicated in first-call order. */
  async dependencies(called: readonly AnyEntity[]): Promise<{ tasks: (AnyTask)[]; subWorkflows: CompiledWorkflow[] }> {
    const tasks = new Set<AnyTask>();
    const subWorkflows = new Map<WorkflowLike, CompiledWorkflow>();
    for (const entity of new Set(called)) {
      if (entityKind(entity) !== "workflow") {
        tasks.add(entity as AnyTask);
        continue;
      }
      const sub = await this.compile(entity as WorkflowLike);
      for (const t of sub.tasks) tasks.add(t);
      for (const s of sub.subWorkflows) subWorkflows.set(s.workflow, s);
      subWorkflows.set(sub.workflow, sub);
    }
    return { tasks: [...tasks], subWorkflows: [...subWorkflows.values()] };
  }
}

/** The registration envelope of a workflow: its template, every sub-workflow template, and its docs. */
export function workflowSpec(compiled: CompiledWorkflow): flyteidl.admin.WorkflowSpec.$Properties {
  return {
    template: compiled.template,
    subWorkflows: compiled.subWorkflows.map((s) => s.template),
    description: taskDescription(compiled.workflow.docs === undefined ? {} : { docs: compiled.workflow.docs }, `workflow "${compiled.workflow.name}"`),
  };
}

/**
 * The default launch plan flytekit creates for every workflow: same name and version, its defaults as
 * default inputs, the other inputs required, nothing fixed.
 */
export async function defaultLaunchPlan(compiled: CompiledWorkflow, ctx: SerializationContext): Promise<flyteidl.admin.LaunchPlan.$Properties> {
  const wf = compiled.workflow;
  const parameters: Record<string, flyteidl.core.Parameter.$Properties> = {};
  const defaults = wf.defaults as Record<string, unknown>;
  for (const [name, variable] of Object.entries(compiled.template.interface?.inputs?.variables ?? {})) {
    const descriptor = (wf.inputs as Variables)[name] as TypeDescriptor<unknown>;
    parameters[name] = Object.prototype.hasOwnProperty.call(defaults, name)
      ? { var: variable, default: await descriptor.toLiteral(defaults[name], ctx.typeContext) }
      : { var: variable, required: true };
  }
  const workflowId = compiled.template.id ?? {};
  return {
    id: { ...workflowId, resourceType: flyteidl.core.ResourceType.LAUNCH_PLAN },
    spec: {
      workflowId,
      defaultInputs: { parameters },
      fixedInputs: {},
      labels: {},
      annotations: {},
      rawOutputDataConfig: {},
      entityMetadata: {},
    },
    closure: { expectedInputs: {}, expectedOutputs: {} },
  };
}
