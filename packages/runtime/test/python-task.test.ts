import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { flyteidl } from "@flytekit-ts/idl";
import { fromLiteralMap, t, toLiteralMap } from "@flytekit-ts/types";
import { z } from "zod";
import { isRecoverableError } from "../src/index.js";
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
