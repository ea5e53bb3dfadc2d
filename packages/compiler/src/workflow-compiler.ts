import { flyteidl } from "@flytekit-ts/idl";
import { taskDescription } from "@flytekit-ts/resources";
import { formatLiteralType, isCastable, type TypeDescriptor } from "@flytekit-ts/types";
import { GraphBuilder, withGraph } from "./builder.js";
import type { SerializationContext } from "./context.js";
import { entityKind } from "./entities.js";
import { calledEntities, compileGraph } from "./graph/compile.js";
import { parameterMap } from "./launch-plan-spec.js";
import { CompileError, WorkflowUsageError, type Problem } from "./problems.js";
import { WHOLE_VALUE, makeRef } from "./refs.js";
import { entityId, typedInterface } from "./serialize.js";
import { NODE, type AnyEntity, type AnyTask, type LaunchPlanLike, type NodeRecord, type ReferenceLike, type Variables, type WorkflowLike } from "./vocabulary.js";

/** A workflow's graph as Flyte's IDL carries it. */
export type WorkflowTemplate = flyteidl.core.WorkflowTemplate.$Properties;

/** A compiled workflow and everything it calls. */
export interface CompiledWorkflow {
  readonly workflow: WorkflowLike;
  readonly template: WorkflowTemplate;
  /** Every task the graph calls (also through sub-workflows, branches and the failure node) — map tasks included — in first-call order. */
  readonly tasks: readonly AnyTask[];
  /** Every workflow called as a sub-workflow (recursively), in first-call order. */
  readonly subWorkflows: readonly CompiledWorkflow[];
  /** Every launch plan called (also through sub-workflows), in first-call order: registered before the workflow. */
  readonly launchPlans: readonly LaunchPlanLike[];
  /** Every reference called (also through sub-workflows): already registered, never registered again. */
  readonly references: readonly ReferenceLike[];
}

/** What a set of calls needs registered or embedded. */
export interface Dependencies {
  tasks: AnyTask[];
  subWorkflows: CompiledWorkflow[];
  launchPlans: LaunchPlanLike[];
  references: ReferenceLike[];
}

/** How a `WorkflowCompiler` numbers nodes: `n0…` for registration, `dn0…` inside a dynamic. */
export interface WorkflowCompilerOptions {
  /**
   * flytekit's compilation prefix, put before every node id: `""` (nodes `n0…`, failure node `fn0`) for
   * registration; `"d"` (nodes `dn0…`, failure node `dfn0`) for the workflows a dynamic embeds, because
   * flytekit compiles a workflow the first time it is called, and in a dynamic that is under the
   * dynamic's prefix (see `DYNAMIC_NODE_PREFIX`).
   */
  readonly nodeIdPrefix?: string;
}

/** Compiles each workflow once per serialization context; sub-workflows are shared. */
export class WorkflowCompiler {
  private readonly compiled = new Map<WorkflowLike, Promise<CompiledWorkflow>>();
  private readonly prefix: string;

  constructor(
    readonly ctx: SerializationContext,
    options: WorkflowCompilerOptions = {},
  ) {
    this.prefix = options.nodeIdPrefix ?? "";
  }

  /** Compiles the workflow and everything it calls; rejects with a `CompileError` listing every problem. */
  compile(workflow: WorkflowLike): Promise<CompiledWorkflow> {
    let result = this.compiled.get(workflow);
    if (!result) {
      result = this.build(workflow);
      this.compiled.set(workflow, result);
    }
    return result;
  }

  private async build(wf: WorkflowLike): Promise<CompiledWorkflow> {
    const builder = new GraphBuilder(wf.name, `${this.prefix}n`);
    const inputs: Record<string, unknown> = {};
    for (const [name, descriptor] of Object.entries(wf.inputs as Variables)) {
      // Workflow inputs are promises on the start node, whose id is "" on the wire.
      inputs[name] = makeRef({ nodeId: "", variable: name, attrPath: WHOLE_VALUE, type: (descriptor as TypeDescriptor<unknown>).literalType });
    }
    const returned: unknown = withGraph(builder, () => (wf.body as (i: Record<string, unknown>) => unknown)(inputs));
    if (returned instanceof Promise) {
      throw new WorkflowUsageError(
        `workflow "${wf.name}" has an async body; a workflow body runs once at compile time to describe the graph and must be synchronous (use a dynamic workflow to compute with values)`,
      );
    }
    const failureProblems: Problem[] = [];
    const failure = wf.onFailure ? failureNode(wf, wf.onFailure, inputs, failureProblems, `${this.prefix}fn`) : undefined;
    const graph = await compileGraph(builder, wf.outputs as Variables, returned, { idOf: (e) => entityId(e, this.ctx), typeContext: this.ctx.typeContext }, true, failure);
    graph.problems.push(...failureProblems);
    if (graph.nodes.length === 0) graph.problems.push({ kind: "NoNodesFound", nodeId: wf.name, message: "a workflow must call at least one task, workflow or launch plan" });
    if (graph.problems.length) throw new CompileError(`workflow "${wf.name}"`, graph.problems);

    const template: WorkflowTemplate = {
      id: entityId(wf, this.ctx),
      metadata: wf.failurePolicy === "FAIL_AFTER_EXECUTABLE_NODES_COMPLETE" ? { onFailure: flyteidl.core.WorkflowMetadata.OnFailurePolicy.FAIL_AFTER_EXECUTABLE_NODES_COMPLETE } : {},
      metadataDefaults: wf.interruptible ? { interruptible: true } : {},
      interface: typedInterface(wf),
      nodes: graph.nodes,
      outputs: graph.outputs,
      ...(graph.failureNode ? { failureNode: graph.failureNode } : {}),
    };
    const deps = await this.dependencies(calledEntities(failure ? [...builder.nodes, failure] : builder.nodes));
    return { workflow: wf, template, ...deps };
  }

  /** The tasks, sub-workflows, launch plans and references reachable from a list of called entities, deduplicated in first-call order. */
  async dependencies(called: readonly AnyEntity[]): Promise<Dependencies> {
    const tasks = new Set<AnyTask>();
    const subWorkflows = new Map<WorkflowLike, CompiledWorkflow>();
    const launchPlans = new Set<LaunchPlanLike>();
    const references = new Set<ReferenceLike>();
    for (const entity of new Set(called)) {
      const kind = entityKind(entity);
      if (kind === "launchPlan") launchPlans.add(entity as LaunchPlanLike);
      else if (kind === "reference") references.add(entity as ReferenceLike);
      else if (kind !== "workflow") tasks.add(entity as AnyTask);
      else {
        const sub = await this.compile(entity as WorkflowLike);
        for (const t of sub.tasks) tasks.add(t);
        for (const lp of sub.launchPlans) launchPlans.add(lp);
        for (const r of sub.references) references.add(r);
        for (const s of sub.subWorkflows) subWorkflows.set(s.workflow, s);
        subWorkflows.set(sub.workflow, sub);
      }
    }
    return { tasks: [...tasks], subWorkflows: [...subWorkflows.values()], launchPlans: [...launchPlans], references: [...references] };
  }
}

const admitsNone = (d: TypeDescriptor<unknown>): boolean => (d.literalType.unionType?.variants ?? []).some((v) => v.simple === flyteidl.core.SimpleType.NONE);

/**
 * The failure node: the handler called with every workflow input, as flytekit's `on_failure` —
 * which requires it to take all of them (same types) and allows only optional extra inputs (such as
 * `err`, which Flyte fills with the failure). Like every call, an optional input left out is bound to
 * none: flytekit 1.16 does so for the failure node's `err` too (flytekit 1.10 left it unbound).
 */
function failureNode(wf: WorkflowLike, handler: AnyEntity, inputs: Record<string, unknown>, problems: Problem[], prefix: string): NodeRecord | undefined {
  const nodeId = `${prefix}0`;
  const handlerInputs = handler.inputs as Variables;
  const before = problems.length;
  for (const [name, descriptor] of Object.entries(wf.inputs as Variables)) {
    const accepts = handlerInputs[name];
    if (!accepts) {
      problems.push({ kind: "MismatchingInterfaces", nodeId, variable: name, message: `the failure handler ${handler.name} must take every workflow input, and has no input "${name}"` });
    } else if (!isCastable(descriptor.literalType, accepts.literalType)) {
      problems.push({
        kind: "MismatchingInterfaces",
        nodeId,
        variable: name,
        message: `the failure handler ${handler.name} takes "${name}" as ${formatLiteralType(accepts.literalType)}, the workflow has ${formatLiteralType(descriptor.literalType)}`,
      });
    }
  }
  for (const [name, descriptor] of Object.entries(handlerInputs)) {
    if (!(name in (wf.inputs as Variables)) && !admitsNone(descriptor)) {
      problems.push({
        kind: "MismatchingInterfaces",
        nodeId,
        variable: name,
        message: `the failure handler ${handler.name} has input "${name}", which is not a workflow input; extra inputs must be optional (e.g. err: t.optional(flyteError()))`,
      });
    }
  }
  if (problems.length > before) return undefined;
  const builder = new GraphBuilder(wf.name, prefix);
  const given = Object.fromEntries(Object.entries(inputs).filter(([name]) => name in handlerInputs));
  return withGraph(builder, () => builder.add(handler, given))[NODE];
}

/** Sub-workflow templates as flytekit's translator lists them: deduplicated, sorted by id. */
function sortedTemplates(templates: readonly WorkflowTemplate[]): WorkflowTemplate[] {
  const key = (t: WorkflowTemplate) => [t.id?.project ?? "", t.id?.domain ?? "", t.id?.name ?? "", t.id?.version ?? ""].join("\u0000");
  const unique = new Map<string, WorkflowTemplate>();
  for (const t of templates) if (!unique.has(key(t))) unique.set(key(t), t);
  return [...unique.values()].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** The templates of every sub-workflow of a compiled graph: compiled ones and referenced workflows' given templates. */
export function subWorkflowTemplates(subWorkflows: readonly CompiledWorkflow[], references: readonly ReferenceLike[]): WorkflowTemplate[] {
  const templates: WorkflowTemplate[] = subWorkflows.map((s) => s.template);
  for (const r of references) {
    const spec = r.reference;
    if (spec.resourceType === "workflow" && spec.template) templates.push(spec.template.template, ...(spec.template.subWorkflows ?? []));
  }
  return sortedTemplates(templates);
}

/** The registration envelope of a workflow: its template, every sub-workflow template, and its docs. */
export function workflowSpec(compiled: CompiledWorkflow): flyteidl.admin.WorkflowSpec.$Properties {
  return {
    template: compiled.template,
    subWorkflows: subWorkflowTemplates(compiled.subWorkflows, compiled.references),
    description: taskDescription(compiled.workflow.docs === undefined ? {} : { docs: compiled.workflow.docs }, `workflow "${compiled.workflow.name}"`),
  };
}

/**
 * The default launch plan flytekit creates for every workflow: same name and version, its defaults as
 * default inputs, the other inputs required, nothing fixed.
 */
export async function defaultLaunchPlan(compiled: CompiledWorkflow, ctx: SerializationContext): Promise<flyteidl.admin.LaunchPlan.$Properties> {
  const workflowId = compiled.template.id ?? {};
  return {
    id: { ...workflowId, resourceType: flyteidl.core.ResourceType.LAUNCH_PLAN },
    spec: {
      workflowId,
      defaultInputs: await parameterMap(compiled.workflow, {}, {}, ctx),
      fixedInputs: {},
      labels: {},
      annotations: {},
      rawOutputDataConfig: {},
      entityMetadata: {},
    },
    closure: { expectedInputs: {}, expectedOutputs: {} },
  };
}
