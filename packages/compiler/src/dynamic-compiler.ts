import { flyteidl } from "@flytekit-ts/idl";
import { ValueTypeError, type InferValues, type LiteralMap, type TypeDescriptor } from "@flytekit-ts/types";
import { GraphBuilder, withGraph } from "./builder.js";
import type { SerializationContext } from "./context.js";
import type { AnyEntity, DynamicLike, DynamicTask, ReferenceLike, Variables } from "./entities.js";
import { calledEntities, compileGraph } from "./graph.js";
import { CompileError, type Problem } from "./problems.js";
import { isRef } from "./refs.js";
import { entityId, taskTemplate } from "./serialize.js";
import { WorkflowCompiler, subWorkflowTemplates } from "./workflow-compiler.js";

/** FlytePropeller reads futures.pb through a 2 MB limit by default; warn well before it. */
export const FUTURES_SIZE_LIMIT = 2 * 1024 * 1024;
const WARN_AT = 0.9;

export type DynamicResult =
  /** The body called something: Flyte runs this spec as a sub-workflow (written as futures.pb). */
  | {
      readonly kind: "futures";
      readonly spec: flyteidl.core.DynamicJobSpec.$Properties;
      readonly bytes: Uint8Array;
      /** The entities the spec references (tasks, and workflows with their compiled templates), for executors. */
      readonly entities: readonly AnyEntity[];
    }
  /** The body only computed values: they are the task's outputs (written as outputs.pb). */
  | { readonly kind: "outputs"; readonly outputs: LiteralMap };

export interface DynamicCompileOptions {
  /** Where size warnings go (default: console.warn). */
  warn?: (message: string) => void;
}

/**
 * Runs a dynamic task's body with real input values and builds what Flyte expects back: a
 * `DynamicJobSpec` with nodes `dn0…`, each argument bound as a literal or a promise to a sibling node,
 * every referenced task template embedded once, every called workflow embedded as a sub-workflow, and
 * the outputs bound to the parent's outputs — or, when the body made no node, the output literals.
 */
export async function compileDynamic<I extends Variables, O extends Variables>(
  task: DynamicTask<I, O>,
  inputs: InferValues<I>,
  ctx: SerializationContext,
  options: DynamicCompileOptions = {},
): Promise<DynamicResult> {
  const builder = new GraphBuilder(task.name, "dn");
  const returned: unknown = await withGraph(builder, () => task.body(inputs));
  if (builder.nodes.length === 0) return { kind: "outputs", outputs: await outputLiterals(task, returned, ctx) };

  // Children cannot see the parent's inputs: propeller gives the dynamic workflow an outputs-only interface.
  const graph = await compileGraph(builder, task.outputs, returned, { idOf: (e) => entityId(e, ctx), typeContext: ctx.typeContext, embedsTasks: true }, false);
  if (graph.problems.length) throw new CompileError(`dynamic "${task.name}" (at run time)`, graph.problems);

  const workflows = new WorkflowCompiler(ctx);
  const { tasks, subWorkflows, launchPlans, references } = await workflows.dependencies(calledEntities(builder.nodes));
  // Launch plans are referenced, not embedded (propeller fetches them); reference tasks bring their templates.
  const referencedTasks = references.flatMap((r) => (r.reference.resourceType === "task" && r.reference.template ? [{ ...r.reference.template, id: entityId(r, ctx) }] : []));
  const spec: flyteidl.core.DynamicJobSpec.$Properties = {
    nodes: graph.nodes,
    minSuccesses: graph.nodes.length,
    outputs: graph.outputs,
    tasks: [...tasks.map((t) => taskTemplate(t, ctx)), ...referencedTasks],
    subworkflows: subWorkflowTemplates(subWorkflows, references),
  };
  const bytes = encodeDynamicJobSpec(spec);
  if (bytes.length > FUTURES_SIZE_LIMIT * WARN_AT) {
    (options.warn ?? console.warn)(
      `dynamic "${task.name}" built ${graph.nodes.length} nodes whose spec is ${bytes.length} bytes, ` +
        `${bytes.length > FUTURES_SIZE_LIMIT ? "over" : "close to"} the ${FUTURES_SIZE_LIMIT}-byte limit FlytePropeller reads futures.pb with. ` +
        "Fan out with a map task, split the work across nested dynamics, or pass large values as files instead of inline literals.",
    );
  }
  const entities: AnyEntity[] = [...tasks, ...subWorkflows.map((s) => s.workflow), ...launchPlans, ...(references as ReferenceLike[])];
  return { kind: "futures", spec, bytes, entities };
}

/**
 * A spec's bytes, exactly as encoding it whole, but node by node: protobufjs' writer holds an object per
 * field written until it finishes, which for a 10,000-node fan-out was tens of megabytes at the task's
 * peak. `nodes` is field 1, so its entries followed by the other fields (2–5) is the order protoc
 * writes them in.
 */
export function encodeDynamicJobSpec(spec: flyteidl.core.DynamicJobSpec.$Properties): Uint8Array {
  const { nodes, ...rest } = spec;
  const parts = (nodes ?? []).map((node) => flyteidl.core.DynamicJobSpec.encode({ nodes: [node] } as flyteidl.core.DynamicJobSpec).finish());
  parts.push(flyteidl.core.DynamicJobSpec.encode(rest as flyteidl.core.DynamicJobSpec).finish());
  const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.length;
  }
  return bytes;
}

/** Without nodes, the returned values are the outputs: converted by the parent's output types. */
async function outputLiterals(task: DynamicLike, returned: unknown, ctx: SerializationContext): Promise<LiteralMap> {
  const problems: Problem[] = [];
  const values = (typeof returned === "object" && returned !== null ? returned : {}) as Record<string, unknown>;
  const literals: Record<string, flyteidl.core.Literal.$Properties> = {};
  for (const [name, descriptor] of Object.entries(task.outputs)) {
    if (!(name in values)) {
      problems.push({ kind: "ParameterNotBound", nodeId: "end-node", variable: name, message: "the body returned no value for this output" });
      continue;
    }
    if (isRef(values[name])) continue; // impossible without nodes, but keep the types honest
    try {
      literals[name] = await (descriptor as TypeDescriptor<unknown>).toLiteral(values[name], ctx.typeContext);
    } catch (error) {
      if (!(error instanceof ValueTypeError)) throw error;
      problems.push({ kind: "MismatchingTypes", nodeId: "end-node", variable: name, message: error.message });
    }
  }
  if (problems.length) throw new CompileError(`dynamic "${task.name}" (at run time)`, problems);
  return { literals };
}
