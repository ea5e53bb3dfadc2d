import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { mock, runLocally, type NodeEvent } from "../src/index.js";
import { consumeOutputs, dynamicConditions, multiplier3, nestedConditions } from "../../../examples/workflows/src/conditions.js";
import { mapInDynamic, myMapWorkflow, scaleTolerant, scaleWorkflow } from "../../../examples/workflows/src/map-tasks.js";
import { always2Lp, default4Lp, outerWorkflow } from "../../../examples/workflows/src/launch-plans.js";
import { greetLp, normalize, usesReferences } from "../../../examples/workflows/src/references.js";

const scratch = () => ({ workDir: mkdtempSync(join(tmpdir(), "flyte-ts-lang-")) });

describe("issue 6's examples, run by the local executor", () => {
  it("branches on node outputs and workflow inputs, nested, and inside a dynamic", async () => {
    // seed 5: odd → tails → calc_sum(3, 3) = 6 → doubled = 12
    expect(await runLocally(consumeOutputs, { my_input: 3, seed: 5 }, scratch())).toEqual({ o0: 12 });
    // seed 4: heads → square(3) = 9 → doubled = 18
    expect(await runLocally(consumeOutputs, { my_input: 3, seed: 4 }, scratch())).toEqual({ o0: 18 });
    expect((await runLocally(multiplier3, { my_input: 0.5 }, scratch())).o0).toBeTypeOf("number");
    expect((await runLocally(nestedConditions, { my_input: 0.4 }, scratch())).o0).toBeTypeOf("number");
    const heads = await runLocally(dynamicConditions, { my_input: 3, seed: 2 }, scratch());
    expect(heads).toEqual({ o0: 9, o1: 81 });
    await expect(runLocally(dynamicConditions, { my_input: 3, seed: 1 }, scratch())).rejects.toThrow(/tails and small/);
  });

  it("maps tasks over lists, with bound inputs, tolerated failures and inside a dynamic", async () => {
    const events: NodeEvent[] = [];
    const mapped = await runLocally(myMapWorkflow, { a: [1, 2, 3] }, { ...scratch(), onEvent: (e) => events.push(e) });
    expect(typeof mapped.o0).toBe("string");
    expect(events.filter((e) => e.phase === "succeeded" && /\/\d+$/.test(e.path)).length).toBe(3);
    expect(await runLocally(scaleWorkflow, { xs: [1, 2], factor: 10 }, scratch())).toEqual({ o0: 2 });
    expect(await runLocally(scaleTolerant, { x: [1, 2, 3], factor: 2 } as never, scratch())).toEqual({ o0: [2, 4, 6] });
    expect(typeof (await runLocally(mapInDynamic, { n: 3 }, scratch())).o0).toBe("string");
  });

  it("runs launch plans with their default and fixed inputs", async () => {
    expect(await runLocally(outerWorkflow, {}, scratch())).toEqual({ o0: 84 });
    expect(await runLocally(default4Lp, {} as never, scratch())).toEqual({ o0: 16 });
    expect(await runLocally(always2Lp, {} as never, scratch())).toEqual({ o0: 16 });
  });

  it("runs references only when mocked, and says so otherwise", async () => {
    await expect(runLocally(usesReferences, { url: "x" }, scratch())).rejects.toThrow(/is a reference to an entity registered elsewhere; its code is not here, so mock it with mock/);
    const mocks = [mock(normalize, ({ csv_url, column_names }) => ({ o0: `${csv_url}:${column_names.join(",")}` })), mock(greetLp, ({ day_of_week }) => ({ o0: `hi ${day_of_week}` }))];
    expect(await runLocally(usesReferences, { url: "x" }, { ...scratch(), mocks })).toEqual({ o0: "x:a,b", o1: "hi Friday" });
  });
});
