import { describe, expectTypeOf, it } from "vitest";
import { t } from "@flytekit-ts/types";
import { dynamic, task, workflow, type Ref } from "../src/index.js";
import { add, stats } from "./fixtures.js";

describe("declarations infer everything from their descriptors", () => {
  it("types a task's function by its inputs and outputs", () => {
    task({ name: "x.t", inputs: { a: t.int(), s: t.optional(t.string()) }, outputs: { o0: t.list(t.int()) } }, (inputs) => {
      expectTypeOf(inputs).toEqualTypeOf<{ a: number; s: string | null }>();
      return { o0: [inputs.a] };
    });
    // @ts-expect-error: o0 must be a list of ints
    task({ name: "x.bad", inputs: {}, outputs: { o0: t.list(t.int()) } }, () => ({ o0: ["x"] }));
  });

  it("gives a dynamic body real values and a workflow body references", () => {
    dynamic({ name: "x.d", inputs: { n: t.int() }, outputs: { o0: t.int() } }, ({ n }) => {
      expectTypeOf(n).toEqualTypeOf<number>();
      return { o0: add({ a: n, b: 1 }).o0 };
    });
    workflow({ name: "x.w", inputs: { n: t.int() }, outputs: { o0: t.int() } }, ({ n }) => {
      expectTypeOf(n).toMatchTypeOf<Ref<number>>();
      return { o0: add({ a: n, b: 2 }).o0 };
    });
  });

  it("types calls: inputs take values or references, outputs are typed references", () => {
    workflow({ name: "x.w2", inputs: { xs: t.list(t.int()) }, outputs: { o0: t.int() } }, ({ xs }) => {
      const out = stats({ xs });
      expectTypeOf(out.o0).toMatchTypeOf<Ref<{ count: number; mean: number; tags: string[] }>>();
      expectTypeOf(out.o0.count).toMatchTypeOf<Ref<number>>();
      // Index access is typed like any array's (undefined too under noUncheckedIndexedAccess).
      expectTypeOf(out.o0.tags[0]).toMatchTypeOf<Ref<string> | undefined>();
      // @ts-expect-error: a string reference cannot feed an int input
      add({ a: out.o0.tags[0]!, b: 1 });
      // @ts-expect-error: no such input
      add({ a: 1, b: 2, c: 3 });
      // @ts-expect-error: missing input b
      add({ a: 1 });
      return { o0: add({ a: out.o0.count, b: 1 }).o0 };
    });
  });

  it("accepts lists of references where a list is expected", () => {
    dynamic({ name: "x.d2", inputs: { n: t.int() }, outputs: { o0: t.list(t.int()) } }, ({ n }) => {
      const parts: Ref<number>[] = [];
      for (let i = 0; i < n; i++) parts.push(add({ a: i, b: i }).o0);
      return { o0: parts };
    });
  });
});

describe("names are optional", () => {
  it("accepts declarations without a name, and only string names", () => {
    const unnamed = task({ inputs: { a: t.int() }, outputs: { o0: t.int() } }, ({ a }) => ({ o0: a }));
    expectTypeOf(unnamed.name).toEqualTypeOf<string>();
    workflow({ outputs: { o0: t.int() } }, () => ({ o0: unnamed({ a: 1 }).o0 }));
    dynamic({ inputs: { n: t.int() } }, () => ({}));
    // @ts-expect-error: a name is a string
    task({ name: 1, outputs: {} }, () => ({}));
  });
});
