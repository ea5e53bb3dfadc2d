/**
 * Conditional branches: flytesnacks' `conditions` examples (flytekit 0.32, module
 * `core.control_flow.conditions`) in TypeScript, and the same conditions inside a dynamic workflow,
 * next to the plain `if` a dynamic can use on its real inputs.
 */
import { conditional, dynamic, t, task, workflow } from "flytekit-ts";

const M = "core.control_flow.conditions";

export const square = task({ name: `${M}.square`, inputs: { n: t.float() }, outputs: { o0: t.float() } }, ({ n }) => ({ o0: n * n }));
export const double = task({ name: `${M}.double`, inputs: { n: t.float() }, outputs: { o0: t.float() } }, ({ n }) => ({ o0: 2 * n }));
export const coinToss = task({ name: `${M}.coin_toss`, inputs: { seed: t.int() }, outputs: { o0: t.boolean() } }, ({ seed }) => ({ o0: seed % 2 === 0 }));
export const failed = task({ name: `${M}.failed`, outputs: { o0: t.int() } }, () => ({ o0: -1 }));
export const success = task({ name: `${M}.success`, outputs: { o0: t.int() } }, () => ({ o0: 0 }));
export const calcSum = task({ name: `${M}.calc_sum`, inputs: { a: t.float(), b: t.float() }, outputs: { o0: t.float() } }, ({ a, b }) => ({ o0: a + b }));

export const multiplier = workflow({ name: `${M}.multiplier`, inputs: { my_input: t.float() }, outputs: { o0: t.float() } }, ({ my_input }) => ({
  o0: conditional("fractions")
    .if(my_input.gte(0.1).and(my_input.lte(1.0)))
    .then(() => double({ n: my_input }))
    .else()
    .then(() => square({ n: my_input })).o0,
}));

export const multiplier2 = workflow({ name: `${M}.multiplier_2`, inputs: { my_input: t.float() }, outputs: { o0: t.float() } }, ({ my_input }) => ({
  o0: conditional("fractions")
    .if(my_input.gt(0.1).and(my_input.lt(1.0)))
    .then(() => double({ n: my_input }))
    .elif(my_input.gt(1.0).and(my_input.lte(10.0)))
    .then(() => square({ n: my_input }))
    .else()
    .fail("The input must be between 0 and 10").o0,
}));

/** The conditional's output feeds a later node. */
export const multiplier3 = workflow({ name: `${M}.multiplier_3`, inputs: { my_input: t.float() }, outputs: { o0: t.float() } }, ({ my_input }) => {
  const d = conditional("fractions")
    .if(my_input.gt(0.1).and(my_input.lt(1.0)))
    .then(() => double({ n: my_input }))
    .elif(my_input.gt(1.0).and(my_input.lt(10.0)))
    .then(() => square({ n: my_input }))
    .else()
    .fail("The input must be between 0 and 10");
  return { o0: double({ n: d.o0 }).o0 };
});

/** A condition on a node's output. */
export const basicBooleanWf = workflow({ name: `${M}.basic_boolean_wf`, inputs: { seed: t.int() }, outputs: { o0: t.int() }, defaults: { seed: 5 } }, ({ seed }) => {
  const result = coinToss({ seed }).o0;
  return {
    o0: conditional("test")
      .if(result.isTrue())
      .then(() => success({}))
      .else()
      .then(() => failed({})).o0,
  };
});

export const boolInputWf = workflow({ name: `${M}.bool_input_wf`, inputs: { b: t.boolean() }, outputs: { o0: t.int() } }, ({ b }) => ({
  o0: conditional("test")
    .if(b.isTrue())
    .then(() => success({}))
    .else()
    .then(() => failed({})).o0,
}));

/** A conditional as a case of another. */
export const nestedConditions = workflow({ name: `${M}.nested_conditions`, inputs: { my_input: t.float() }, outputs: { o0: t.float() } }, ({ my_input }) => ({
  o0: conditional("fractions")
    .if(my_input.gt(0.1).and(my_input.lt(1.0)))
    .then(() =>
      conditional("inner_fractions")
        .if(my_input.lt(0.5))
        .then(() => double({ n: my_input }))
        .elif(my_input.gt(0.5).and(my_input.lt(0.7)))
        .then(() => square({ n: my_input }))
        .else()
        .fail("Only <0.7 allowed"),
    )
    .elif(my_input.gt(1.0).and(my_input.lt(10.0)))
    .then(() => square({ n: my_input }))
    .else()
    .then(() => double({ n: my_input })).o0,
}));

export const consumeOutputs = workflow(
  { name: `${M}.consume_outputs`, inputs: { my_input: t.float(), seed: t.int() }, outputs: { o0: t.float() }, defaults: { seed: 5 } },
  ({ my_input, seed }) => {
    const isHeads = coinToss({ seed }).o0;
    const res = conditional("double_or_square")
      .if(isHeads.isTrue())
      .then(() => square({ n: my_input }))
      .else()
      .then(() => calcSum({ a: my_input, b: my_input }));
    return { o0: double({ n: res.o0 }).o0 };
  },
);

/**
 * In a dynamic workflow the inputs are real numbers: a plain `if` picks the node. A conditional
 * still works on node outputs, whose values are known only when the nodes run.
 */
export const dynamicConditions = dynamic(
  { name: "examples.conditions.dynamic_conditions", inputs: { my_input: t.float(), seed: t.int() }, outputs: { o0: t.float(), o1: t.float() } },
  ({ my_input, seed }) => {
    const first = my_input < 1 ? double({ n: my_input }) : square({ n: my_input });
    const heads = coinToss({ seed }).o0;
    const chosen = conditional("double_or_square")
      .if(heads.isTrue())
      .then(() => square({ n: first.o0 }))
      .elif(first.o0.gt(100))
      .then(() => double({ n: first.o0 }))
      .else()
      .fail("tails and small");
    return { o0: first.o0, o1: chosen.o0 };
  },
);
