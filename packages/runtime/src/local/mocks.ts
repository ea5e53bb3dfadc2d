import type { InferValues, TypeDescriptor } from "@flytekit-ts/types";

type Vars = Record<string, TypeDescriptor<unknown>>;

/** Stands in for a task, workflow or launch plan in a local run. */
export interface Mock {
  /** The registered name of what it replaces. */
  readonly name: string;
  readonly inputs: Vars;
  readonly outputs: Vars;
  /** What the mocked entity returns for the inputs, in place of running it. */
  readonly run: (inputs: Record<string, unknown>) => Record<string, unknown> | Promise<Record<string, unknown>>;
}

/**
 * Replaces an entity in local runs (`runLocally(wf, inputs, { mocks: [mock(t1, ({ a }) => ({ o0: "x" }))] })`):
 * the graph is compiled and checked as usual, but nodes calling the entity run the mock. Entities
 * registered elsewhere (references) have no code here and must be mocked.
 */
export function mock<I extends Vars, O extends Vars>(
  entity: { readonly name: string; readonly inputs: I; readonly outputs: O },
  run: (inputs: InferValues<I>) => InferValues<O> | Promise<InferValues<O>>,
): Mock {
  return { name: entity.name, inputs: entity.inputs, outputs: entity.outputs, run: run as Mock["run"] };
}
