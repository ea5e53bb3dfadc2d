import { entityKind, type AnyEntity, type LaunchPlanLike, type WorkflowLike } from "@flytekit-ts/compiler";
import { fromLiteralMap, toLiteralMap, type InferValues, type LiteralMap, type TypeDescriptor } from "@flytekit-ts/types";
import { LocalExecutor, type LocalRunOptions } from "./executor.js";

type Vars = Record<string, TypeDescriptor<unknown>>;
type Entity<I extends Vars, O extends Vars> = AnyEntity & { readonly inputs: I; readonly outputs: O };

/**
 * Runs a task, workflow or dynamic workflow on this machine and returns its typed outputs. Values go
 * through the same literal conversions and the same compiled graph as on a cluster.
 */
export async function runLocally<I extends Vars, O extends Vars>(entity: Entity<I, O>, inputs: InferValues<I>, options: LocalRunOptions = {}): Promise<InferValues<O>> {
  const executor = new LocalExecutor(options);
  let outputs: LiteralMap | undefined;
  try {
    const literals = await toLiteralMap(entity.inputs, withDefaults(entity, inputs as Record<string, unknown>) as InferValues<I>, executor.typeContext);
    outputs = await executor.run(entity, literals);
    return await fromLiteralMap(entity.outputs, outputs, executor.typeContext);
  } finally {
    await executor.close(outputs);
  }
}

/** Like {@link runLocally}, on literal inputs (e.g. an inputs.pb written by Python), returning output literals. */
export async function runLocallyWithLiterals(entity: AnyEntity, inputs: LiteralMap, options: LocalRunOptions = {}): Promise<LiteralMap> {
  const executor = new LocalExecutor(options);
  let outputs: LiteralMap | undefined;
  try {
    outputs = await executor.run(entity, inputs);
    return outputs;
  } finally {
    await executor.close(outputs);
  }
}

/** A workflow's defaults, or a launch plan's default and fixed inputs, around the values given. */
function withDefaults(entity: AnyEntity, inputs: Record<string, unknown>): Record<string, unknown> {
  switch (entityKind(entity)) {
    case "workflow":
      return { ...(entity as WorkflowLike).defaults, ...inputs };
    case "launchPlan": {
      const lp = entity as LaunchPlanLike;
      return { ...lp.workflow.defaults, ...lp.defaultInputs, ...inputs, ...lp.fixedInputs };
    }
    default:
      return inputs;
  }
}
