/**
 * A workflow mixing Python and TypeScript tasks on the real FlytePropeller: the flytekit workflow
 * workflows/python/e2e_mixed/flow.py, launched by the real `pyflyte run --remote`, whose Python task
 * (run in its pod by the real pyflyte-fast-execute / pyflyte-execute) passes a dataclass to the
 * TypeScript task e2e.mixed.grade (workflows/mixed.ts, registered by `flyte-ts register --fast`), whose
 * int goes back to a Python task. Outputs read through @flytekit-ts/remote.
 *
 * And the other direction: the TypeScript workflow examples/workflows/src/mixed-language.ts calling,
 * by reference, Python tasks registered by the real `pyflyte register` under the version it names.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { executionPhaseName } from "@flytekit-ts/remote";
import { e2e, examplesDir, finished, flowsDir, flyteTs, launch, remote, sandbox } from "./support.js";

const run = promisify(execFile);

describe("a workflow mixing Python and TypeScript tasks on FlytePropeller", () => {
  it("Python summarizes into a dataclass, TypeScript grades it, Python doubles the count", async () => {
    const registered = await flyteTs(flowsDir, "register", "--config", sandbox().configFile, "--fast", "--source-root", ".", "--version", "e2e-v1", "mixed.ts");
    expect(registered.code, registered.stderr).toBe(0);

    const pyflyte = join(e2e().venv, "bin/pyflyte");
    const args = ["--config", sandbox().configFile, "run", "--remote", "--project", "flytesnacks", "--domain", "development"];
    // The code is unpacked into the pod's working directory (--destination-dir .), as flyte-ts does.
    args.push("--image", "cr.flyte.org/flyteorg/flytekit:py3.11-1.16.24", "--destination-dir", ".");
    args.push("e2e_mixed/flow.py", "mixed_wf", "--name", "ada", "--scores", "[7.5, 9.0, 10.0]");
    const { stdout, stderr } = await run(pyflyte, args, { cwd: join(flowsDir, "python"), maxBuffer: 16 * 1024 * 1024, env: { ...process.env, COLUMNS: "400" } });
    const name = /\/executions\/([a-z0-9]+)/.exec(stdout)?.[1];
    expect(name, `${stdout}\n${stderr}`).toBeDefined();

    await finished(name as string);
    expect(await remote().outputs(name as string)).toEqual({ o0: "ada: A", o1: 6 });
  });

  it("a TypeScript workflow calls Python tasks registered by pyflyte register, by reference", async () => {
    // mixed-language.ts refers to flytesnacks / development / v1: register the Python tasks there.
    const pyflyte = join(e2e().venv, "bin/pyflyte");
    const args = ["--config", sandbox().configFile, "register", "--project", "flytesnacks", "--domain", "development", "--version", "v1"];
    args.push("--image", "cr.flyte.org/flyteorg/flytekit:py3.11-1.16.24", "--destination-dir", ".", "mixed_lang");
    const py = await run(pyflyte, args, { cwd: join(examplesDir, "python"), maxBuffer: 16 * 1024 * 1024, env: { ...process.env, COLUMNS: "400" } });
    expect(py.stdout, py.stderr).toMatch(/mixed_lang\.tasks\.summarize/);

    const name = await launch(examplesDir, "src/mixed-language.ts", "mixedWf", "--name", "ada", "--csv", "7.5, 9, 10");
    const done = await finished(name);
    expect(executionPhaseName(done.closure?.phase), JSON.stringify(done.closure?.error ?? null)).toBe("SUCCEEDED");
    expect(await remote().outputs(name)).toEqual({ grade: "ada: A", doubled: 6, summary: { name: "ada", total: 26.5, count: 3 } });
  });
});
