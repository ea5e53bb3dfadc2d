import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { flyteidl, toProtoJson } from "@flytekit-ts/idl";
import { NodeFailure, runLocally, runLocallyWithLiterals, type NodeEvent } from "../src/index.js";
import { fan, typedTask } from "./fixtures/flows.js";
import { cachedSquare, calls, failing, flakyTwice, nested, parallel, slow } from "./fixtures/local.js";
import { staticWf } from "../../../examples/workflows/src/static-wf.js";
import { loopOverInput, chained } from "../../../examples/workflows/src/seed.js";

const golden = resolve(dirname(fileURLToPath(import.meta.url)), "../../../../shared/golden/flytekit");
const scratch = () => ({ workDir: mkdtempSync(join(tmpdir(), "flyte-ts-local-")) });

describe("the local executor", () => {
  it("runs flytekit's static_wf example and returns typed outputs", async () => {
    expect(await runLocally(staticWf, { a: 5, s: "hi" }, scratch())).toEqual({ o0: "hi-7!", o1: 14 });
  });

  it("runs the seed's dynamic examples through their compiled DynamicJobSpecs", async () => {
    const events: NodeEvent[] = [];
    expect(await runLocally(loopOverInput, { a: 3 }, { ...scratch(), onEvent: (e) => events.push(e) })).toEqual({ o0: ["v0", "v1", "v2"], o1: 5 });
    expect(events.filter((e) => e.phase === "succeeded").map((e) => e.path).sort()).toEqual(["dn0", "dn1", "dn2"]);
    expect(await runLocally(chained, { a: 1, b: 10 }, scratch())).toEqual({ o0: 12 });
    expect(await runLocally(loopOverInput, { a: 0 }, scratch())).toEqual({ o0: [], o1: 5 });
  });

  it("runs nested dynamics and sub-workflows inside a dynamic", async () => {
    const events: NodeEvent[] = [];
    // inner(i) = i + 10 for i < 3 → 33; level2: (0+100)+(1+100)+(2+100) = 303
    expect(await runLocally(nested, { n: 3 }, { ...scratch(), onEvent: (e) => events.push(e) })).toEqual({ o0: 336 });
    // A sub-workflow a dynamic embeds is numbered dn0… inside, as flytekit numbers it.
    expect(events.some((e) => e.path === "dn0/dn0" && e.phase === "succeeded")).toBe(true);
    expect(events.some((e) => e.path === "dn3/dn0" && e.phase === "succeeded")).toBe(true);
  });

  it("retries recoverable errors within the task's retries", async () => {
    calls.flaky = 0;
    const events: NodeEvent[] = [];
    expect(await runLocally(flakyTwice, { a: 4 }, { ...scratch(), onEvent: (e) => events.push(e) })).toEqual({ o0: 4 });
    expect(events.map((e) => e.phase)).toEqual(["running", "retrying", "running", "retrying", "running", "succeeded"]);
  });

  it("enforces timeouts", async () => {
    await expect(runLocally(slow, { ms: 1500 }, scratch())).rejects.toThrow(/ran longer than its timeout of 1000 ms/);
  });

  it("caches cached tasks by identity, cache version and inputs, ignoring ignored inputs", async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), "flyte-ts-cache-"));
    calls.cached = 0;
    expect(await runLocally(cachedSquare, { x: 3, note: "a" }, { ...scratch(), cacheDir })).toEqual({ o0: 9 });
    expect(await runLocally(cachedSquare, { x: 3, note: "b" }, { ...scratch(), cacheDir })).toEqual({ o0: 9 });
    expect(calls.cached).toBe(1);
    await runLocally(cachedSquare, { x: 4, note: "a" }, { ...scratch(), cacheDir });
    expect(calls.cached).toBe(2);
  });

  it("runs independent nodes in parallel", async () => {
    // Each node waits for the other to have started, so only a parallel run has both see 2 (no timing).
    calls.meeting = 0;
    expect(await runLocally(parallel, {}, scratch())).toEqual({ o0: 2, o1: 2 });
  }, 60_000);

  it("says what to return when a task returns nothing but declares outputs", async () => {
    const { returnsNothing } = await import("./fixtures/hazards.js");
    await expect(runLocally(returnsNothing, {}, scratch())).rejects.toThrow(/hazards\.returns_nothing returned a value that does not fit its declared outputs: it returned undefined; return an object with "o0", "o1"/);
  });

  it("names the failed node and its task", async () => {
    const error = await runLocally(failing, { a: 1 }, scratch()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NodeFailure);
    expect((error as NodeFailure).message).toBe("node n1 (local.boom) failed: boom at 2");
  });

  it("takes Python-written literals as inputs and produces what Python produced", async () => {
    const inputs = flyteidl.core.LiteralMap.decode(readFileSync(join(golden, "types_example/exec/typed_task/inputs.pb")));
    const outputs = await runLocallyWithLiterals(typedTask, inputs, scratch());
    const theirs = flyteidl.core.LiteralMap.decode(readFileSync(join(golden, "types_example/exec/typed_task/outputs.pb")));
    expect(toProtoJson(flyteidl.core.LiteralMap, flyteidl.core.LiteralMap.fromObject(outputs as { [k: string]: unknown }))).toEqual(
      toProtoJson(flyteidl.core.LiteralMap, theirs),
    );
    // And flytekit's dynamic_fanout inputs drive the TypeScript dynamic the same way.
    const a3 = flyteidl.core.LiteralMap.decode(readFileSync(join(golden, "dynamic_fanout/exec/my_dynamic_subwf_a3/inputs.pb")));
    const out = await runLocallyWithLiterals(loopOverInput, a3, scratch());
    expect(toProtoJson(flyteidl.core.LiteralMap, flyteidl.core.LiteralMap.fromObject(out as { [k: string]: unknown }))).toMatchObject({
      literals: { o1: { scalar: { primitive: { integer: "5" } } } },
    });
    expect(await runLocally(fan, { n: 3 }, scratch())).toEqual({ o0: 6 });
  });
});

describe("mocks", () => {
  it("replace tasks and sub-workflows by reference; the graph is still compiled and checked", async () => {
    const { mock } = await import("../src/index.js");
    const { t1 } = await import("../../../examples/workflows/src/static-wf.js");
    const events: NodeEvent[] = [];
    const outputs = await runLocally(staticWf, { a: 5, s: "hi" }, { ...scratch(), mocks: [mock(t1, ({ a }) => ({ o0: a * 100 }))], onEvent: (e) => events.push(e) });
    expect(outputs).toEqual({ o0: "hi-500!", o1: 1000 });
    const { inner } = await import("./fixtures/local.js");
    expect(await runLocally(nested, { n: 1 }, { ...scratch(), mocks: [mock(inner, () => ({ o0: 1000 }))] })).toEqual({ o0: 1000 + 100 });
  });

  it("say which entity has no code when it is neither known nor mocked", async () => {
    const { LocalExecutor } = await import("../src/index.js");
    const executor = new LocalExecutor(scratch());
    await expect(
      executor.runGraph([{ id: "n0", taskNode: { referenceId: { name: "team.elsewhere.task" } } }], [], { literals: {} }, ""),
    ).rejects.toThrow(/team\.elsewhere\.task is referenced but its code is not known to the local executor; replace it with mock/);
  });
});
