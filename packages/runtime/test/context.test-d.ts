import { describe, expectTypeOf, it } from "vitest";
import { currentContext, Deck, type ExecutionId, type TaskContext, type TaskId } from "../src/index.js";

describe("currentContext types", () => {
  it("gives typed identity, secrets, checkpoints and decks", () => {
    const ctx = currentContext();
    expectTypeOf(ctx).toEqualTypeOf<TaskContext>();
    expectTypeOf(ctx.executionId).toEqualTypeOf<ExecutionId>();
    expectTypeOf(ctx.taskId).toEqualTypeOf<TaskId>();
    expectTypeOf(ctx.nodeId).toEqualTypeOf<string | undefined>();
    expectTypeOf(ctx.attempt).toEqualTypeOf<number>();
    expectTypeOf(ctx.secrets.get("db", "password")).toEqualTypeOf<string>();
    expectTypeOf(ctx.checkpoint.read()).toEqualTypeOf<Promise<Uint8Array | undefined>>();
    expectTypeOf(ctx.defaultDeck.markdown("# x").table([{ a: 1 }]).html("<b>x</b>")).toEqualTypeOf<Deck>();
    // @ts-expect-error: markdown takes text
    ctx.defaultDeck.markdown(42);
    // @ts-expect-error: the context is read-only
    ctx.attempt = 2;
  });
});
