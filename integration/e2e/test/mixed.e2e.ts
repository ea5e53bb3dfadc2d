/**
 * examples/workflows' mixed workflow on the real FlytePropeller: its Python tasks, registered by the
 * real `pyflyte register` and run by the real pyflyte-fast-execute / pyflyte-execute in their pods,
 * feed a TypeScript task and back (a flytekit dataclass read by TypeScript, an int back to Python).
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { mixedWf } from "../../../examples/workflows/src/mixed-language.js";
import { e2e, examplesDir, finished, launch, remote, sandbox } from "./support.js";

const run = promisify(execFile);

beforeAll(async () => {
  // The reference tasks of mixed-language.ts name version v1 in flytesnacks/development.
  const pyflyte = join(e2e().venv, "bin/pyflyte");
  await run(
    pyflyte,
    ["--config", sandbox().configFile, "register", "--project", "flytesnacks", "--domain", "development", "--version", "v1", "--image", "cr.flyte.org/flyteorg/flytekit:py3.11-1.16.24", "mixed_lang"],
    { cwd: join(examplesDir, "python"), env: { ...process.env, FLYTE_SDK_LOGGING_LEVEL: "30" }, maxBuffer: 16 * 1024 * 1024 },
  );
});

describe("a workflow mixing Python and TypeScript tasks on FlytePropeller", () => {
  it("TypeScript parses, Python summarizes into a dataclass, TypeScript grades, Python doubles", async () => {
    const name = await launch(examplesDir, "src/mixed-language.ts", "mixedWf", "--name", "ada", "--csv", "7.5, 9, 10");
    await finished(name);
    expect(await remote().outputs(name, { entity: mixedWf })).toEqual({ grade: "ada: A", doubled: 6, summary: { name: "ada", total: 26.5, count: 3 } });
  });
});
