/**
 * The two examples of Python flytekit's `dynamic` documentation (shared/docs/seed-dynamic.md), in
 * TypeScript: a loop over a real input, and calls that depend on each other.
 */
import { dynamic, t, task, type Ref } from "flytekit-ts";

export const t1 = task({ name: "seed.t1", inputs: { a: t.int() }, outputs: { o0: t.string() } }, ({ a }) => ({ o0: `v${a}` }));
export const t2 = task({ name: "seed.t2", inputs: { b: t.int(), x: t.string() }, outputs: { o0: t.int() } }, ({ b, x }) => ({ o0: b + x.length }));

/** `for i in range(a): s.append(t1(a=i))` — a loop a static workflow could not express. */
export const loopOverInput = dynamic(
  { name: "seed.my_dynamic_subwf", inputs: { a: t.int() }, outputs: { o0: t.list(t.string()), o1: t.int() } },
  ({ a }) => {
    const s: Ref<string>[] = [];
    for (let i = 0; i < a; i++) s.push(t1({ a: i }).o0);
    return { o0: s, o1: 5 };
  },
);

/** `x = t1(a=a); return t2(b=b, x=x)` — the dependency is the value passed from one call to the next. */
export const chained = dynamic(
  { name: "seed.my_dynamic_subwf_2", inputs: { a: t.int(), b: t.int() }, outputs: { o0: t.int() } },
  ({ a, b }) => {
    const x = t1({ a }).o0;
    return { o0: t2({ b, x }).o0 };
  },
);
