import { describe, expectTypeOf, it } from "vitest";
import { t } from "@flytekit-ts/types";
import {
  approve,
  conditional,
  dynamic,
  launchPlan,
  mapTask,
  referenceLaunchPlan,
  referenceTask,
  runsBefore,
  sleep,
  task,
  waitForInput,
  withOverrides,
  workflow,
  type Condition,
  type Ref,
} from "../src/index.js";
import { add, show, stats } from "./fixtures.js";

const scale = task({ name: "x.scale", inputs: { x: t.float(), factor: t.float() }, outputs: { o0: t.float() } }, ({ x, factor }) => ({ o0: x * factor }));

describe("map tasks", () => {
  it("take lists for mapped inputs, the plain type for bound ones, and return lists", () => {
    const m = mapTask(scale, { boundInputs: ["factor"] });
    workflow({ name: "x.m", inputs: { xs: t.list(t.float()) }, outputs: { o0: t.list(t.float()) } }, ({ xs }) => {
      const out = m({ x: xs, factor: 2 });
      expectTypeOf(out.o0).toMatchTypeOf<Ref<number[]>>();
      // @ts-expect-error: x is mapped, so it takes a list
      m({ x: 1, factor: 2 });
      // @ts-expect-error: factor is bound, so it takes one value
      m({ x: xs, factor: [2] });
      return { o0: out.o0 };
    });
    // @ts-expect-error: not an input of scale
    mapTask(scale, { boundInputs: ["nope"] });
  });

  it("return lists of optional values when failures are tolerated", () => {
    const tolerant = mapTask(scale, { minSuccessRatio: 0.5 });
    const strict = mapTask(scale, { minSuccessRatio: 1 });
    workflow({ name: "x.m2", inputs: { xs: t.list(t.float()) } }, ({ xs }) => {
      expectTypeOf(tolerant({ x: xs, factor: xs }).o0).toMatchTypeOf<Ref<(number | null)[]>>();
      expectTypeOf(strict({ x: xs, factor: xs }).o0).toMatchTypeOf<Ref<number[]>>();
      return {};
    });
  });
});

describe("conditionals", () => {
  it("compare primitive references and yield the outputs every branch has", () => {
    workflow({ name: "x.c", inputs: { a: t.int(), s: t.string() }, outputs: { o0: t.string() } }, ({ a, s }) => {
      expectTypeOf(a.gt(3)).toEqualTypeOf<Condition>();
      expectTypeOf(a.gt(3).and(s.eq("x"))).toEqualTypeOf<Condition>();
      // @ts-expect-error: an int compares with numbers
      a.gt("3");
      const out = conditional("c")
        .if(a.gt(3))
        .then(() => show({ x: a }))
        .elif(a.lt(0))
        .then(() => show({ x: 0 }))
        .else()
        .fail("no");
      expectTypeOf(out.o0).toMatchTypeOf<Ref<string>>();
      const common = conditional("d")
        .if(a.isTrue())
        .then(() => stats({ xs: [a] }))
        .else()
        .then(() => show({ x: a }));
      expectTypeOf(common.o0).toMatchTypeOf<Ref<unknown>>();
      return { o0: out.o0 };
    });
  });

  it("offer no comparisons on structured values", () => {
    workflow({ name: "x.c2", inputs: { xs: t.list(t.int()) } }, ({ xs }) => {
      const s = stats({ xs }).o0;
      // @ts-expect-error: a struct is not compared; its fields are
      s.gt(1);
      expectTypeOf(s.count.gt(1)).toEqualTypeOf<Condition>();
      return {};
    });
  });
});

describe("launch plans", () => {
  const wf = workflow({ name: "x.wf", inputs: { a: t.int(), b: t.int(), c: t.string() }, outputs: { o0: t.int() } }, ({ a, b }) => ({ o0: add({ a, b }).o0 }));

  it("make defaulted inputs optional and fixed inputs impossible at the call", () => {
    const lp = launchPlan(wf, { name: "x.lp", defaultInputs: { a: 1 }, fixedInputs: { c: "x" } });
    workflow({ name: "x.caller", inputs: { b: t.int() }, outputs: { o0: t.int() } }, ({ b }) => {
      expectTypeOf(lp({ b }).o0).toMatchTypeOf<Ref<number>>();
      lp({ b, a: 2 });
      // @ts-expect-error: c is fixed
      lp({ b, c: "y" });
      // @ts-expect-error: b has no default
      lp({});
      return { o0: lp({ b }).o0 };
    });
    // @ts-expect-error: a default of the wrong type
    launchPlan(wf, { name: "x.lp2", defaultInputs: { a: "one" } });
  });
});

describe("references, overrides, ordering and gates", () => {
  it("type references by their declared interface", () => {
    const ref = referenceTask({ project: "p", domain: "d", name: "n", version: "v" }, { a: t.int() }, { o0: t.string() });
    const lp = referenceLaunchPlan({ project: "p", domain: "d", name: "n", version: "v" }, { a: t.int() }, {});
    dynamic({ name: "x.d", inputs: { n: t.int() }, outputs: { o0: t.string() } }, ({ n }) => {
      lp({ a: n });
      // @ts-expect-error: a is an int
      ref({ a: "1" });
      return { o0: ref({ a: n }).o0 };
    });
  });

  it("keep what they wrap", () => {
    workflow({ name: "x.o", inputs: { a: t.int() }, outputs: { o0: t.string() } }, ({ a }) => {
      const out = withOverrides(show({ x: a }), { retries: 2, nodeName: "show-it" });
      expectTypeOf(out.o0).toMatchTypeOf<Ref<string>>();
      // @ts-expect-error: not an override setting
      withOverrides(show({ x: a }), { retry: 2 });
      const approved = approve(out.o0, "ok");
      expectTypeOf(approved).toMatchTypeOf<Ref<string>>();
      const count = waitForInput("count", t.int(), { timeout: { hours: 1 } });
      expectTypeOf(count).toMatchTypeOf<Ref<number>>();
      runsBefore(sleep({ minutes: 1 }), [out, approved]);
      return { o0: approved };
    });
  });

  it("let optional inputs be left out of a call", () => {
    const greet = task({ name: "x.greet", inputs: { name: t.string(), title: t.optional(t.string()) } }, () => ({}));
    workflow({ name: "x.g", outputs: {} }, () => {
      greet({ name: "a" });
      greet({ name: "a", title: null });
      // @ts-expect-error: name is required
      greet({ title: "Dr" });
      return {};
    });
  });
});
