import { createWriter, flyteidl } from "@flytekit-ts/idl";
import { ValueTypeError, type InferValues, type LiteralMap, type TypeDescriptor } from "@flytekit-ts/types";
import { GraphBuilder, withGraph } from "./builder.js";
import type { SerializationContext } from "./context.js";
import type { DynamicTask } from "./entities.js";
import { calledEntities, compileGraph } from "./graph/compile.js";
import { CompileError, type Problem } from "./problems.js";
import { isRef } from "./refs.js";
import { entityId, taskTemplate } from "./serialize.js";
import type { AnyEntity, DynamicLike, ReferenceLike, Variables } from "./vocabulary.js";
import { WorkflowCompiler, subWorkflowTemplates } from "./workflow-compiler.js";

/**
 * flytekit's compilation prefix in a dynamic: its nodes are `dn0…`, and so are those of every workflow it
 * embeds (with `dfn0` for a failure node), since flytekit compiles those on their first call, under it.
 */
export const DYNAMIC_NODE_PREFIX = "d";

/** FlytePropeller reads futures.pb through a 2 MB limit by default; warn well before it. */
export const FUTURES_SIZE_LIMIT = 2 * 1024 * 1024;
const WARN_AT = 0.9;

/** What a dynamic body compiled to: a `DynamicJobSpec` for Flyte to run, or the outputs when the body made no node. */
export type DynamicResult =
  /** The body called something: Flyte runs this spec as a sub-workflow (written as futures.pb). */
  | {
      readonly kind: "futures";
      readonly spec: flyteidl.core.DynamicJobSpec.$Properties;
      /** The spec's bytes (futures.pb). */
      readonly bytes: Uint8Array;
      /** The same bytes as a list of pieces, for writers that take pieces: one piece, as a spec is written into one buffer. */
      readonly chunks: readonly Uint8Array[];
      /** The entities the spec references (tasks, and workflows with their compiled templates), for executors. */
      readonly entities: readonly AnyEntity[];
    }
  /** The body only computed values: they are the task's outputs (written as outputs.pb). */
  | { readonly kind: "outputs"; readonly outputs: LiteralMap };

/** Options of `compileDynamic`: where its size warnings go. */
export interface DynamicCompileOptions {
  /** Where size warnings go (default: console.warn). */
  warn?: (message: string) => void;
}

/**
 * Runs a dynamic task's body with real input values and builds what Flyte expects back: a
 * `DynamicJobSpec` with nodes `dn0…` (also in the sub-workflows it embeds, as flytekit numbers them), each argument bound as a literal or a promise to a sibling node,
 * every referenced task template embedded once, every called workflow embedded as a sub-workflow, and
 * the outputs bound to the parent's outputs — or, when the body made no node, the output literals.
 */
export async function compileDynamic<I extends Variables, O extends Variables>(
  task: DynamicTask<I, O>,
  inputs: InferValues<I>,
  ctx: SerializationContext,
  options: DynamicCompileOptions = {},
): Promise<DynamicResult> {
  const builder = new GraphBuilder(task.name, `${DYNAMIC_NODE_PREFIX}n`);
  const returned: unknown = await withGraph(builder, () => task.body(inputs));
  if (builder.nodes.length === 0) return { kind: "outputs", outputs: await outputLiterals(task, returned, ctx) };

  // Children cannot see the parent's inputs: propeller gives the dynamic workflow an outputs-only interface.
  const encoder = new SpecEncoder();
  const graph = await compileGraph(
    builder,
    task.outputs,
    returned,
    { idOf: (e) => entityId(e, ctx), typeContext: ctx.typeContext, embedsTasks: true, emit: (index, node) => encoder.node(index, node) },
    false,
  );
  if (graph.problems.length) throw new CompileError(`dynamic "${task.name}" (at run time)`, graph.problems);

  const workflows = new WorkflowCompiler(ctx, { nodeIdPrefix: DYNAMIC_NODE_PREFIX });
  const { tasks, subWorkflows, launchPlans, references } = await workflows.dependencies(calledEntities(builder.nodes));
  // Launch plans are referenced, not embedded (propeller fetches them); reference tasks bring their templates.
  const referencedTasks = references.flatMap((r) => (r.reference.resourceType === "task" && r.reference.template ? [{ ...r.reference.template, id: entityId(r, ctx) }] : []));
  const bytes = encoder.finish({
    minSuccesses: builder.nodes.length,
    outputs: graph.outputs,
    tasks: [...tasks.map((t) => taskTemplate(t, ctx)), ...referencedTasks],
    subworkflows: subWorkflowTemplates(subWorkflows, references),
  });
  const size = bytes.length;
  if (size > FUTURES_SIZE_LIMIT * WARN_AT) {
    (options.warn ?? console.warn)(
      `dynamic "${task.name}" built ${builder.nodes.length} nodes whose spec is ${size} bytes, ` +
        `${size > FUTURES_SIZE_LIMIT ? "over" : "close to"} the ${FUTURES_SIZE_LIMIT}-byte limit FlytePropeller reads futures.pb with. ` +
        "Fan out with a map task, split the work across nested dynamics, or pass large values as files instead of inline literals.",
    );
  }
  const entities: AnyEntity[] = [...tasks, ...subWorkflows.map((s) => s.workflow), ...launchPlans, ...(references as ReferenceLike[])];
  let spec: flyteidl.core.DynamicJobSpec | undefined;
  return {
    kind: "futures",
    bytes,
    chunks: [bytes],
    entities,
    // The nodes were encoded as they were compiled and not kept; the spec is read back when asked for.
    get spec() {
      return (spec ??= flyteidl.core.DynamicJobSpec.decode(bytes));
    },
  };
}

/**
 * Writes a spec node by node, as each node is compiled, into one growing buffer: the bytes are those of
 * encoding the whole spec, but no node's message outlives its encoding (a 10,000-node fan-out encoded
 * whole kept every node's objects alive, and made V8 double its young generation), and one writer serves
 * every node (a writer per node cost a buffer each: ~8% of a 10,000-node dynamic's time). `nodes` is
 * field 1, so the nodes in order followed by the other fields (2–5) is the order protoc writes them in.
 * Nodes that arrive early wait for their turn.
 */
class SpecEncoder {
  private readonly writer = createWriter();
  private next = 0;
  private readonly waiting = new Map<number, flyteidl.core.Node.$Properties>();

  node(index: number, node: flyteidl.core.Node.$Properties): void {
    this.waiting.set(index, node);
    for (let ready = this.waiting.get(this.next); ready; ready = this.waiting.get(this.next)) {
      this.waiting.delete(this.next++);
      // Field 1, length-delimited: the tag (0x0a), then the node's length and bytes.
      flyteidl.core.Node.encodeDelimited(ready as flyteidl.core.Node, this.writer.uint32(NODES_TAG));
    }
  }

  /** The spec's bytes: the nodes, then everything else (which must not hold nodes). */
  finish(rest: Omit<flyteidl.core.DynamicJobSpec.$Properties, "nodes">): Uint8Array {
    if (this.waiting.size) throw new Error(`dynamic spec: node ${this.next} was never compiled`);
    return flyteidl.core.DynamicJobSpec.encode(rest as flyteidl.core.DynamicJobSpec, this.writer).finish();
  }
}

/** Field 1 (`nodes`), wire type 2 (length-delimited). */
const NODES_TAG = (1 << 3) | 2;

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
