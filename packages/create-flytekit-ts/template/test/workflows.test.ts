/**
 * The workflow run on this machine by the local executor: the same compiled graph a cluster runs
 * (the dynamic's workflow is compiled and checked as FlytePropeller would), no cluster needed.
 */
import { describe, expect, it } from "vitest";
import { mock, runLocally, type NodeEvent } from "flytekit-ts";
import { square, squares, sumOfSquares } from "../src/workflows.js";

describe("sumOfSquares", () => {
  it("adds the squares of 1..n", async () => {
    expect(await runLocally(sumOfSquares, { n: 3 })).toEqual({ o0: 14 });
  });

  it("is 0 for n = 0: the dynamic builds a workflow with no square nodes", async () => {
    expect(await runLocally(sumOfSquares, { n: 0 })).toEqual({ o0: 0 });
  });

  it("runs with a task replaced by a mock", async () => {
    const seen: number[] = [];
    const identity = mock(square, ({ x }) => {
      seen.push(x);
      return { o0: x };
    });
    expect(await runLocally(sumOfSquares, { n: 4 }, { mocks: [identity] })).toEqual({ o0: 1 + 2 + 3 + 4 });
    expect(seen.sort((a, b) => a - b)).toEqual([1, 2, 3, 4]);
  });
});

describe("squares", () => {
  it("runs one square node per number", async () => {
    const events: NodeEvent[] = [];
    const outputs = await runLocally(squares, { n: 4 }, { onEvent: (event) => events.push(event) });
    expect(outputs).toEqual({ o0: [1, 4, 9, 16] });
    const squareNodes = events.filter((event) => event.phase === "succeeded" && event.entity === square.name);
    expect(squareNodes).toHaveLength(4);
  });
});
