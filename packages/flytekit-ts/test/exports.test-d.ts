import { describe, expectTypeOf, it } from "vitest";
import { RecoverableError, mock, runLocally, t, task, workflow, type LocalRunOptions, type Mock, type NodeEvent } from "../src/index.js";

const add = task({ name: "umbrella.add", inputs: { a: t.int(), b: t.int() }, outputs: { o0: t.int() } }, ({ a, b }) => ({ o0: a + b }));
const wf = workflow({ name: "umbrella.show", inputs: { a: t.int() }, outputs: { o0: t.int(), o1: t.list(t.string()) } }, ({ a }) => ({
  o0: add({ a, b: 1 }).o0,
  o1: ["x"],
}));

describe("umbrella exports are typed from the entity", () => {
  it("runLocally takes the entity's inputs and resolves to its outputs", () => {
    expectTypeOf(runLocally(wf, { a: 1 })).resolves.toEqualTypeOf<{ o0: number; o1: string[] }>();
    // @ts-expect-error: a must be a number
    void runLocally(wf, { a: "1" });
  });

  it("mock's function is typed by the entity it replaces", () => {
    expectTypeOf(mock(add, ({ a, b }) => ({ o0: a + b }))).toEqualTypeOf<Mock>();
    // @ts-expect-error: o0 must be a number
    mock(add, () => ({ o0: "x" }));
    expectTypeOf<LocalRunOptions["mocks"]>().toEqualTypeOf<readonly Mock[] | undefined>();
    expectTypeOf<NodeEvent["path"]>().toEqualTypeOf<string>();
  });

  it("RecoverableError is an Error with flytekit's code", () => {
    expectTypeOf(new RecoverableError("x")).toMatchTypeOf<Error>();
    expectTypeOf(new RecoverableError("x").code).toEqualTypeOf<string>();
  });
});
