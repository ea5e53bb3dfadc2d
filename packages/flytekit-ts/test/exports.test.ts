import { describe, expect, it } from "vitest";
import * as runtime from "@flytekit-ts/runtime";
import { PythonTaskError, RecoverableError, isRecoverableError, mock, NodeFailure, pythonTasks, runLocally, runLocallyWithLiterals, t, task, workflow } from "../src/index.js";

const double = task({ name: "umbrella.double", inputs: { x: t.int() }, outputs: { o0: t.int() } }, ({ x }) => ({ o0: x * 2 }));
const flaky = task({ name: "umbrella.flaky", inputs: { x: t.int() }, outputs: { o0: t.int() } }, () => {
  throw new RecoverableError("the service is down");
});
const wf = workflow({ name: "umbrella.wf", inputs: { x: t.int() }, outputs: { o0: t.int() } }, ({ x }) => ({ o0: double({ x: double({ x }).o0 }).o0 }));
const flakyWf = workflow({ name: "umbrella.flaky_wf", inputs: { x: t.int() }, outputs: { o0: t.int() } }, ({ x }) => ({ o0: flaky({ x }).o0 }));

describe("the umbrella package exports the runtime helpers a workflow author needs", () => {
  it("are the runtime's own (one class, one function: instanceof and identity hold across imports)", () => {
    expect(RecoverableError).toBe(runtime.RecoverableError);
    expect(NodeFailure).toBe(runtime.NodeFailure);
    expect(runLocally).toBe(runtime.runLocally);
    expect(runLocallyWithLiterals).toBe(runtime.runLocallyWithLiterals);
    expect(mock).toBe(runtime.mock);
    expect(pythonTasks).toBe(runtime.pythonTasks);
    expect(PythonTaskError).toBe(runtime.PythonTaskError);
    expect(isRecoverableError(new RecoverableError("x"))).toBe(true);
  });

  it("runLocally runs a workflow, and mock stands in for a task", async () => {
    const dir = { cacheDir: false as const };
    expect(await runLocally(wf, { x: 3 }, dir)).toEqual({ o0: 12 });
    expect(await runLocally(wf, { x: 3 }, { ...dir, mocks: [mock(double, ({ x }) => ({ o0: x + 1 }))] })).toEqual({ o0: 5 });
  });

  it("a task's RecoverableError reaches the caller as the node's failure", async () => {
    const error = await runLocally(flakyWf, { x: 1 }, { cacheDir: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NodeFailure);
    expect(isRecoverableError((error as NodeFailure).cause)).toBe(true);
  });
});
