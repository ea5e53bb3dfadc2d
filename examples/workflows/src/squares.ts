/**
 * Entities without a `name`: each is named `<module path>.<export>` — here `src.squares.square` and
 * `src.squares.sumOfSquares` — when flyte-ts loads this module (package, register, run, execute), as
 * flytekit names a task `<module>.<function>`. A test that imports the module itself names them the
 * same way with `nameExports` (test/local-run.test.ts).
 */
import { dynamic, t, task, workflow } from "flytekit-ts";

export const square = task({ inputs: { x: t.int() }, outputs: { o0: t.int() } }, ({ x }) => ({ o0: x * x }));

export const add = task({ inputs: { a: t.int(), b: t.int() }, outputs: { o0: t.int() } }, ({ a, b }) => ({ o0: a + b }));

/** Squares 0…n-1 and sums them: one node per square, decided at run time. */
export const squares = dynamic({ inputs: { n: t.int() }, outputs: { o0: t.int() } }, ({ n }) => {
  let total = square({ x: 0 }).o0;
  for (let i = 1; i < n; i++) total = add({ a: total, b: square({ x: i }).o0 }).o0;
  return { o0: total };
});

export const sumOfSquares = workflow({ inputs: { n: t.int() }, outputs: { o0: t.int() } }, ({ n }) => ({ o0: squares({ n }).o0 }));
