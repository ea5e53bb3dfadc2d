/**
 * Map tasks: a task run once per list index as one ArrayNode — with bound inputs, concurrency and a
 * minimum success ratio (which makes the outputs optional, as in flytekit) — in a workflow and in a
 * dynamic workflow.
 */
import { dynamic, mapTask, t, task, workflow } from "flytekit-ts";

const M = "examples.map_tasks";

export const mappable = task(
  { name: `${M}.a_mappable_task`, inputs: { a: t.int() }, outputs: { o0: t.string() }, retries: 2, requests: { cpu: "1", memory: "300Mi" } },
  ({ a }) => ({ o0: `${a + 2}` }),
);

export const coalesce = task({ name: `${M}.coalesce`, inputs: { b: t.list(t.string()) }, outputs: { o0: t.string() } }, ({ b }) => ({ o0: b.join("") }));

export const scale = task({ name: `${M}.scale`, inputs: { x: t.float(), factor: t.float() }, outputs: { o0: t.float() } }, ({ x, factor }) => ({ o0: x * factor }));

export const countPresent = task({ name: `${M}.count_present`, inputs: { xs: t.list(t.optional(t.float())) }, outputs: { o0: t.int() } }, ({ xs }) => ({
  o0: xs.filter((x) => x !== null).length,
}));

/** flytesnacks' map_task example: map, then reduce. */
export const myMapWorkflow = workflow({ name: `${M}.my_map_workflow`, inputs: { a: t.list(t.int()) }, outputs: { o0: t.string() } }, ({ a }) => {
  const mapped = mapTask(mappable, { concurrency: 4 })({ a }).o0;
  return { o0: coalesce({ b: mapped }).o0 };
});

/** `factor` is the same for every index; half the indices may fail, so the outputs are optional. */
export const scaleTolerant = mapTask(scale, { boundInputs: ["factor"], minSuccessRatio: 0.5 });

export const scaleWorkflow = workflow(
  { name: `${M}.scale_workflow`, inputs: { xs: t.list(t.float()), factor: t.float() }, outputs: { o0: t.int() } },
  ({ xs, factor }) => ({ o0: countPresent({ xs: scaleTolerant({ x: xs, factor }).o0 }).o0 }),
);

/** In a dynamic the map task's template is embedded in the spec like any task's. */
export const mapInDynamic = dynamic({ name: `${M}.map_in_dynamic`, inputs: { n: t.int() }, outputs: { o0: t.string() } }, ({ n }) => {
  const mapped = mapTask(mappable, { concurrency: 4 })({ a: Array.from({ length: n }, (_, i) => i) }).o0;
  return { o0: coalesce({ b: mapped }).o0 };
});
