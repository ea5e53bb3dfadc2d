/**
 * Testing a workflow as a user of flytekit-ts would: run it on this machine through its compiled graph,
 * with and without mocks. docs/guides/local-runs-and-testing.md shows these lines (its test keeps them equal).
 */
import { describe, expect, it } from "vitest";
import { NodeFailure, RecoverableError, mock, nameExports, runLocally, task, t, workflow, type NodeEvent } from "flytekit-ts";
import { chained, loopOverInput, t1 } from "../src/seed.js";
import * as squares from "../src/squares.js";

// Entities without a name get theirs when flyte-ts loads their module; a test that imports the module
// itself names them the same way (the path is the module's from the project root).
nameExports(squares, "src/squares.ts");

describe("the seed's dynamic workflows, run locally", () => {
  it("run through their compiled DynamicJobSpec, node by node", async () => {
    const events: NodeEvent[] = [];
    const outputs = await runLocally(loopOverInput, { a: 3 }, { cacheDir: false, onEvent: (e) => events.push(e) });
    expect(outputs).toEqual({ o0: ["v0", "v1", "v2"], o1: 5 });
    expect(events.filter((e) => e.phase === "succeeded").map((e) => e.path)).toContain("dn2");
  });

  it("run a mock in place of a task, while the graph is still compiled and checked", async () => {
    const mocked = mock(t1, ({ a }) => ({ o0: `mocked ${a}` }));
    expect(await runLocally(chained, { a: 1, b: 2 }, { cacheDir: false, mocks: [mocked] })).toEqual({ o0: 10 });
  });

  it("report a failed node by its path, with the task's error as the cause", async () => {
    const flaky = task({ name: "local_run.flaky", inputs: { x: t.int() }, outputs: { o0: t.int() }, retries: 1 }, () => {
      throw new RecoverableError("the service is down");
    });
    const wf = workflow({ name: "local_run.wf", inputs: { x: t.int() }, outputs: { o0: t.int() } }, ({ x }) => ({ o0: flaky({ x }).o0 }));
    const error = await runLocally(wf, { x: 1 }, { cacheDir: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NodeFailure);
    expect((error as NodeFailure).message).toMatch(/n0/);
  });

  it("run a module's unnamed entities under the names flyte-ts gives them", async () => {
    expect(squares.sumOfSquares.name).toBe("src.squares.sumOfSquares");
    const events: NodeEvent[] = [];
    expect(await runLocally(squares.sumOfSquares, { n: 4 }, { cacheDir: false, onEvent: (e) => events.push(e) })).toEqual({ o0: 14 });
    expect(events.filter((e) => e.phase === "succeeded").map((e) => e.entity)).toContain("src.squares.square");
  });
});
