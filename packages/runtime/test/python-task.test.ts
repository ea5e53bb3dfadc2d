import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { flyteidl } from "@flytekit-ts/idl";
import { fromLiteralMap, t, toLiteralMap } from "@flytekit-ts/types";
import { z } from "zod";
import { dynamic, referenceTask, task, workflow } from "@flytekit-ts/compiler";
import { isRecoverableError, NodeFailure, runLocally, type NodeEvent } from "../src/index.js";
import { PythonTaskError, PythonTaskRunner, isPythonTaskTemplate, pythonTaskArgs } from "../src/local/python-task.js";
import { flytekitVenv } from "./flytekit-venv.js";

const sourceRoot = join(dirname(fileURLToPath(import.meta.url)), "fixtures/python");

describe("Python task commands", () => {
  it("are flytekit's for a task known by name: task-module <module> task-name <function>", () => {
    expect(pythonTaskArgs("mixed.tasks.double").slice(-5)).toEqual(["--", "task-module", "mixed.tasks", "task-name", "double"]);
    expect(pythonTaskArgs("mixed.tasks.double")[0]).toBe("pyflyte-execute");
    expect(() => pythonTaskArgs("double")).toThrow(/<module>\.<function>/);
    expect(isPythonTaskTemplate({ container: { args: pythonTaskArgs("a.b") } })).toBe(true);
    expect(isPythonTaskTemplate({ container: { args: ["flyte-ts", "execute"] } })).toBe(false);
  });

  it("refuse a source root that does not exist and a venv without pyflyte-execute", () => {
    expect(() => new PythonTaskRunner({ sourceRoot: "/nonexistent/src" })).toThrow(/source root \/nonexistent\/src does not exist/);
    expect(() => new PythonTaskRunner({ sourceRoot, venv: sourceRoot })).toThrow(/pyflyte-execute does not exist/);
  });
});

describe.skipIf(!flytekitVenv)("Python tasks run by the real pyflyte-execute", () => {
  const runner = () => new PythonTaskRunner({ sourceRoot, venv: flytekitVenv as string });
  const Summary = t.struct(z.object({ name: z.string(), total: z.number(), count: z.int() }), { title: "Summary" });

  it("take literals in and give literals back, dataclasses included", async () => {
    const python = runner();
    const doubled = await python.run("mixed.tasks.double", await toLiteralMap({ x: t.int() }, { x: 21 }));
    expect(await fromLiteralMap({ o0: t.int() }, doubled)).toEqual({ o0: 42 });
    const summary = await python.run("mixed.tasks.summarize", await toLiteralMap({ name: t.string(), scores: t.list(t.float()) }, { name: "ada", scores: [1.5, 2, 3] }));
    expect(await fromLiteralMap({ o0: Summary }, summary)).toEqual({ o0: { name: "ada", total: 6.5, count: 3 } });
    const shouted = await python.run("mixed.tasks.shout", await toLiteralMap({ s: Summary }, { s: { name: "ada", total: 6.5, count: 3 } }));
    expect(await fromLiteralMap({ o0: t.string() }, shouted)).toEqual({ o0: "ADA: 3 scores, 6.5" });
  }, 120_000);

  it("turn error.pb into a PythonTaskError with flytekit's code (USER:Recoverable is retryable)", async () => {
    const error = await runner().run("mixed.tasks.flaky", await toLiteralMap({ x: t.int() }, { x: 7 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PythonTaskError);
    expect((error as PythonTaskError).containerError).toMatchObject({ code: "USER:Recoverable", kind: flyteidl.core.ContainerError.Kind.RECOVERABLE });
    expect((error as Error).message).toMatch(/service down for 7/);
    expect(isRecoverableError(error)).toBe(true);
  }, 120_000);

  it("use a template's own pyflyte-execute command when there is one", async () => {
    const template = { container: { args: pythonTaskArgs("mixed.tasks.double") } };
    const out = await runner().run("some.other.name", await toLiteralMap({ x: t.int() }, { x: 2 }), template);
    expect(await fromLiteralMap({ o0: t.int() }, out)).toEqual({ o0: 4 });
  }, 120_000);
});

const ref = (name: string) => ({ project: "p", domain: "development", name, version: "v1" });
const double = referenceTask(ref("mixed.tasks.double"), { x: t.int() }, { o0: t.int() });
const inc = task({ name: "flows.inc", inputs: { x: t.int() }, outputs: { o0: t.int() } }, ({ x }) => ({ o0: x + 1 }));
const incThenDouble = workflow({ name: "flows.inc_then_double", inputs: { x: t.int() }, outputs: { o0: t.int() } }, ({ x }) => ({
  o0: inc({ x: double({ x: inc({ x }).o0 }).o0 }).o0,
}));

describe("reference tasks in a local run", () => {
  it("must be mocked, or run with flytekit through the python option — the error says both", async () => {
    const error = await runLocally(incThenDouble, { x: 1 }, { cacheDir: false }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/mock it with mock\(…\) in the run's mocks, or run it with flytekit \(the run's python option\)/);
  });
});

describe.skipIf(!flytekitVenv)("the local executor's python option (real pyflyte-execute)", () => {
  const python = () => ({ sourceRoot, venv: flytekitVenv as string });

  it("runs a workflow's Python reference tasks between TypeScript tasks", async () => {
    const events: NodeEvent[] = [];
    // inc(1) = 2 → double (Python) = 4 → inc = 5
    expect(await runLocally(incThenDouble, { x: 1 }, { cacheDir: false, python: python(), onEvent: (e) => events.push(e) })).toEqual({ o0: 5 });
    expect(events.filter((e) => e.phase === "succeeded").map((e) => `${e.path}:${e.entity}`)).toEqual(["n0:flows.inc", "n1:mixed.tasks.double", "n2:flows.inc"]);
  }, 180_000);

  it("runs a dynamic's Python task from the template it embeds, and retries USER:Recoverable within its retries", async () => {
    const template = { id: { resourceType: 1, ...ref("mixed.tasks.flaky") }, type: "python-task", metadata: { retries: { retries: 1 } }, interface: {}, container: { image: "py", args: pythonTaskArgs("mixed.tasks.flaky") } };
    const flaky = referenceTask(ref("mixed.tasks.flaky"), { x: t.int() }, { o0: t.int() }, {
      template: { ...template, interface: { inputs: { variables: { x: { type: t.int().literalType } } }, outputs: { variables: { o0: { type: t.int().literalType } } } } },
    });
    const fan = dynamic({ name: "flows.fan_to_python", inputs: { n: t.int() }, outputs: { o0: t.list(t.int()) } }, ({ n }) => ({
      o0: Array.from({ length: n }, (_, i) => flaky({ x: i }).o0),
    }));
    const events: NodeEvent[] = [];
    const error = await runLocally(fan, { n: 1 }, { cacheDir: false, python: python(), onEvent: (e) => events.push(e) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NodeFailure);
    expect((error as NodeFailure).path).toBe("dn0");
    expect(events.filter((e) => e.entity === "mixed.tasks.flaky").map((e) => `${e.phase}#${e.attempt}`)).toEqual(["running#0", "retrying#0", "running#1", "failed#1"]);
    expect((error as Error).message).toMatch(/service down for 0/);
  }, 180_000);
});
