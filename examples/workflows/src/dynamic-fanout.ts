/**
 * flytekit's golden `dynamic_fanout` example (shared/golden/flytekit/dynamic_fanout) — the first
 * example of flytekit's `@dynamic` documentation — in TypeScript.
 */
import { dynamic, t, task, workflow, type Ref } from "flytekit-ts";

export const t1 = task({ name: "examples.dynamic_fanout.t1", inputs: { a: t.int() }, outputs: { o0: t.string() } }, ({ a }) => ({ o0: `v${a}` }));

export const myDynamicSubwf = dynamic(
  { name: "examples.dynamic_fanout.my_dynamic_subwf", inputs: { a: t.int() }, outputs: { o0: t.list(t.string()), o1: t.int() } },
  ({ a }) => {
    // `a` is a real number: the loop decides how many nodes the workflow gets.
    const s: Ref<string>[] = [];
    for (let i = 0; i < a; i++) s.push(t1({ a: i }).o0);
    return { o0: s, o1: 5 };
  },
);

export const fanoutWf = workflow(
  { name: "examples.dynamic_fanout.fanout_wf", inputs: { a: t.int() }, outputs: { o0: t.list(t.string()), o1: t.int() }, defaults: { a: 3 } },
  ({ a }) => {
    const { o0, o1 } = myDynamicSubwf({ a });
    return { o0, o1 };
  },
);
