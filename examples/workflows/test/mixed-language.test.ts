import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { venvForLiveSuite } from "@flytekit-ts/conformance-python";
import { NodeFailure, pythonTasks, runLocally, type NodeEvent } from "flytekit-ts";
import { double, mixedWf, summarize } from "../src/mixed-language.js";

const sourceRoot = join(dirname(fileURLToPath(import.meta.url)), "../python");
/** The flytekit virtualenv conformance/python installs (in CI its absence fails the suite; locally it skips). */
const venv = venvForLiveSuite("mixed-language workflow")?.path;

describe.skipIf(!venv)("a workflow mixing TypeScript and Python tasks, run locally with the real flytekit", () => {
  it("runs the Python tasks with pyflyte-execute, their outputs feeding TypeScript tasks and back", async () => {
    const events: NodeEvent[] = [];
    const outputs = await runLocally(mixedWf, { name: "ada", csv: "7.5, 9, 10" }, { cacheDir: false, python: { sourceRoot, venv: venv as string }, onEvent: (e) => events.push(e) });
    // parse_scores (TypeScript) → summarize (Python) → grade (TypeScript) → double (Python):
    // 26.5 / 3 ≈ 8.8 is an A, and 3 × 2.
    expect(outputs).toEqual({ grade: "ada: A", doubled: 6, summary: { name: "ada", total: 26.5, count: 3 } });
    const succeeded = events.filter((e) => e.phase === "succeeded").map((e) => e.entity);
    expect(succeeded).toEqual(["examples.mixed_language.parse_scores", "mixed_lang.tasks.summarize", "examples.mixed_language.grade", "mixed_lang.tasks.double"]);
  }, 180_000);

  it("runs chosen tasks in Python as stand-ins too (pythonTasks), the same way", async () => {
    const outputs = await runLocally(mixedWf, { name: "bo", csv: "1, 2" }, { cacheDir: false, mocks: pythonTasks([summarize, double], { sourceRoot, venv: venv as string }) });
    expect(outputs).toEqual({ grade: "bo: C", doubled: 4, summary: { name: "bo", total: 3, count: 2 } });
  }, 180_000);

  it("reports a Python task's failure with flytekit's error", async () => {
    const error = await runLocally(mixedWf, { name: "ada", csv: "1" }, { cacheDir: false, python: { sourceRoot: join(sourceRoot, "..", "src"), venv: venv as string } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NodeFailure);
    expect((error as Error).message).toMatch(/mixed_lang\.tasks\.summarize failed \(USER:RuntimeError\)[\s\S]*No module named 'mixed_lang'/);
  }, 180_000);
});
