/**
 * flytekit's golden `static_wf` example (shared/golden/flytekit/static_wf), in TypeScript: three tasks
 * with data dependencies and a workflow with defaults.
 */
import { t, task, workflow } from "flytekit-ts";

export const t1 = task({ name: "examples.static_wf.t1", inputs: { a: t.int() }, outputs: { o0: t.int() } }, ({ a }) => ({ o0: a + 2 }));

export const t2 = task({ name: "examples.static_wf.t2", inputs: { x: t.int(), s: t.string() }, outputs: { o0: t.string() } }, ({ x, s }) => ({
  o0: `${s}-${x}`,
}));

export const t3 = task(
  { name: "examples.static_wf.t3", inputs: { a: t.int(), b: t.string() }, outputs: { o0: t.string(), o1: t.int() } },
  ({ a, b }) => ({ o0: `${b}!`, o1: a * 2 }),
);

export const staticWf = workflow(
  {
    name: "examples.static_wf.static_wf",
    inputs: { a: t.int(), s: t.string() },
    outputs: { o0: t.string(), o1: t.int() },
    defaults: { a: 5, s: "hi" },
  },
  ({ a, s }) => {
    const x = t1({ a }).o0;
    const y = t2({ x, s }).o0;
    const { o0: z, o1: n } = t3({ a: x, b: y });
    return { o0: z, o1: n };
  },
);
