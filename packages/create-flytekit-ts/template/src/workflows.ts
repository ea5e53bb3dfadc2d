/**
 * A workflow that calls a dynamic workflow, in the spirit of flytekit's `@dynamic` documentation.
 *
 * - A **task** runs your code: on a cluster, each call is a container of its own.
 * - A **workflow**'s body runs once, when it is compiled: it wires calls together, and its inputs are
 *   placeholders, not values — it cannot loop over them.
 * - A **dynamic** workflow is a task whose body builds a workflow at run time: it sees its inputs as
 *   real values, so ordinary control flow over them (the loop below) decides which nodes run.
 *
 * Entities are named explicitly (`<module>.<function>`, as flytekit names them) so that tests can run
 * them directly: without `name`, flyte-ts names an exported entity when it loads the module itself
 * (package, register, run), which a test importing the module does not do.
 */
import { dynamic, t, task, workflow, type Ref } from "flytekit-ts";

export const square = task({ name: "workflows.square", inputs: { x: t.int() }, outputs: { o0: t.int() } }, ({ x }) => ({ o0: x * x }));

export const sum = task({ name: "workflows.sum", inputs: { xs: t.list(t.int()) }, outputs: { o0: t.int() } }, ({ xs }) => ({
  o0: xs.reduce((total, x) => total + x, 0),
}));

/** `for x in range(1, n + 1): square(x=x)` — one node per number, decided by the value of `n`. */
export const squares = dynamic({ name: "workflows.squares", inputs: { n: t.int() }, outputs: { o0: t.list(t.int()) } }, ({ n }) => {
  const out: Ref<number>[] = [];
  for (let x = 1; x <= n; x++) out.push(square({ x }).o0);
  return { o0: out };
});

/** 1² + 2² + … + n²: the dynamic's list goes straight into the next task. */
export const sumOfSquares = workflow(
  { name: "workflows.sum_of_squares", inputs: { n: t.int() }, outputs: { o0: t.int() }, defaults: { n: 3 } },
  ({ n }) => ({ o0: sum({ xs: squares({ n }).o0 }).o0 }),
);
