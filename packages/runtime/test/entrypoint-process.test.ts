import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { flyteidl } from "@flytekit-ts/idl";

/**
 * The entrypoint as a pod runs it: a real `flyte-ts execute` process per test, which must end, with
 * exactly one result file written whole, however the task misbehaves.
 */
const here = dirname(fileURLToPath(import.meta.url));
const bin = resolve(here, "../../cli/src/bin.ts");
const { Kind } = flyteidl.core.ContainerError;
const { ErrorKind } = flyteidl.core.ExecutionError;
// Generous: a process that does not end fails the test instead of hanging the suite; the machine may be loaded.
const ENDS_WITHIN = 60_000;
const slow = { timeout: 2 * ENDS_WITHIN };

interface Ended {
  code: number;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function flyteTs(args: readonly string[], env: Record<string, string> = {}): Promise<Ended> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ["--conditions=@flytekit-ts/source", "--import", "tsx", bin, ...args],
      { cwd: here, env: { ...process.env, ...env }, timeout: ENDS_WITHIN, killSignal: "SIGKILL" },
      (error, stdout, stderr) => {
        const failure = error as (Error & { code?: number; signal?: NodeJS.Signals }) | null;
        done({ code: typeof failure?.code === "number" ? failure.code : failure ? -1 : 0, signal: failure?.signal ?? null, stdout, stderr });
      },
    );
  });
}

async function execute(name: string, inputs: Uint8Array = flyteidl.core.LiteralMap.encode({ literals: {} }).finish(), env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), "flyte-ts-proc-"));
  writeFileSync(join(dir, "inputs.pb"), inputs);
  const out = join(dir, "out");
  const ended = await flyteTs(["execute", "--inputs", join(dir, "inputs.pb"), "--output-prefix", out, "--raw-output-data-prefix", join(dir, "raw"), "--", "module", "fixtures/hazards.ts", "name", name], env);
  expect(ended.signal, `the process was killed after ${ENDS_WITHIN} ms: it did not end`).toBeNull();
  const files = readdirSync(out);
  expect(files).toHaveLength(1);
  const file = files[0] ?? "";
  return { ...ended, file, bytes: readFileSync(join(out, file)) };
}

const errorOf = (bytes: Uint8Array) => flyteidl.core.ErrorDocument.decode(bytes).error as flyteidl.core.ContainerError;

describe("the entrypoint process always ends with exactly one result", () => {
  it("turns a rejection nobody handled into a USER error.pb", slow, async () => {
    const run = await execute("lostRejection");
    expect([run.code, run.file]).toEqual([0, "error.pb"]);
    const error = errorOf(run.bytes);
    expect([error.code, error.kind, error.origin]).toEqual(["USER:UnhandledRejection", Kind.NON_RECOVERABLE, ErrorKind.USER]);
    expect(error.message).toMatch(/nothing handled the rejection: Error: nobody awaited this/);
    // The cause's own stack comes first, as Python chains tracebacks (flytekit's message shape).
    expect(error.message).toMatch(/Error: nobody awaited this\n\s+at .*hazards\.ts/);
  });

  it("turns an exception thrown in a callback into a USER error.pb", slow, async () => {
    const run = await execute("throwsInTimer");
    expect([run.code, run.file]).toEqual([0, "error.pb"]);
    const error = errorOf(run.bytes);
    expect([error.code, error.origin]).toEqual(["USER:UncaughtException", ErrorKind.USER]);
    expect(error.message).toMatch(/thrown in a timer/);
  });

  it("detects a task promise that can never settle", slow, async () => {
    const run = await execute("neverSettles");
    expect([run.code, run.file]).toEqual([0, "error.pb"]);
    expect(errorOf(run.bytes).code).toBe("USER:NeverSettled");
    expect(errorOf(run.bytes).message).toMatch(/can never settle/);
  });

  it("exits once outputs.pb is written, even with a timer or a server left open", slow, async () => {
    for (const [name, value] of [["leavesTimer", 1], ["leavesServer", 2]] as const) {
      const run = await execute(name);
      expect([run.code, run.file]).toEqual([0, "outputs.pb"]);
      expect(Number(flyteidl.core.LiteralMap.decode(run.bytes).literals["o0"]?.scalar?.primitive?.integer)).toBe(value);
    }
  });

  it("enforces the task's timeout: a RECOVERABLE USER error.pb, then the process ends", slow, async () => {
    const run = await execute("hangsPastTimeout");
    expect([run.code, run.file]).toEqual([0, "error.pb"]);
    const error = errorOf(run.bytes);
    expect([error.code, error.kind, error.origin]).toEqual(["USER:TimeoutExpired", Kind.RECOVERABLE, ErrorKind.USER]);
    expect(error.message).toMatch(/hazards\.hangs_past_timeout ran longer than its timeout of 1000 ms/);
    // And with FLYTE_FAIL_ON_ERROR the process says so in its status.
    expect((await execute("hangsPastTimeout", undefined, { FLYTE_FAIL_ON_ERROR: "true" })).code).toBe(1);
  });

  it("says what to return when a task returns nothing but declares outputs", slow, async () => {
    const run = await execute("returnsNothing");
    const error = errorOf(run.bytes);
    // A returned value that cannot be converted is SYSTEM and non-recoverable, as flytekit reports it.
    expect([error.code, error.kind, error.origin]).toEqual(["SYSTEM", Kind.NON_RECOVERABLE, ErrorKind.SYSTEM]);
    expect(error.message).toMatch(/hazards\.returns_nothing returned a value that does not fit its declared outputs: it returned undefined; return an object with "o0", "o1"/);
  });
});

describe("flyte-ts run ends too", () => {
  const run = (name: string) => flyteTs(["run", "fixtures/hazards.ts", name]);

  it("after a task's timeout, failing the run", slow, async () => {
    const ended = await run("hangsPastTimeout");
    expect(ended.signal).toBeNull();
    expect(ended.code).toBe(1);
    expect(ended.stderr).toMatch(/ran longer than its timeout of 1000 ms/);
  });

  it("after a task that left a timer open, with its outputs", slow, async () => {
    const ended = await run("leavesTimer");
    expect([ended.signal, ended.code]).toEqual([null, 0]);
    expect(JSON.parse(ended.stdout)).toEqual({ o0: 1 });
  });

  it("when a task's promise can never settle", slow, async () => {
    const ended = await run("neverSettles");
    expect([ended.signal, ended.code]).toEqual([null, 1]);
    expect(ended.stderr).toMatch(/can never settle/);
  });
});
