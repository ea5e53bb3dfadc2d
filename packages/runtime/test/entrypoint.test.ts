import { copyFileSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { encodeRegistrationContext, REGISTRATION_CONTEXT_ENV } from "@flytekit-ts/compiler";
import { flyteidl, toProtoJson } from "@flytekit-ts/idl";
import { t, toLiteralMap } from "@flytekit-ts/types";
import { execute, parseExecuteArgs } from "../src/index.js";

const here = dirname(fileURLToPath(import.meta.url));
const sourceRoot = here;
const golden = resolve(here, "../../../../shared/golden/flytekit");
const { Kind } = flyteidl.core.ContainerError;
const { ErrorKind } = flyteidl.core.ExecutionError;

async function run(name: string, inputs: Uint8Array | undefined, env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), "flyte-ts-exec-"));
  const out = join(dir, "out");
  if (inputs) writeFileSync(join(dir, "inputs.pb"), inputs);
  const args = parseExecuteArgs([
    "--inputs", join(dir, "inputs.pb"),
    "--output-prefix", out,
    "--raw-output-data-prefix", join(dir, "raw"),
    "--checkpoint-path", "{{.checkpointOutputPrefix}}",
    "--prev-checkpoint", '""',
    "--", "module", "fixtures/flows.ts", "name", name,
  ]);
  const outcome = await execute(args, { sourceRoot, env });
  // Exactly one file, written whole.
  expect(readdirSync(out)).toEqual([outcome.file]);
  return { outcome, bytes: readFileSync(outcome.uri) };
}

const literals = async (types: Parameters<typeof toLiteralMap>[0], values: Record<string, unknown>) =>
  flyteidl.core.LiteralMap.encode((await toLiteralMap(types, values as never)) as flyteidl.core.LiteralMap).finish();

const errorOf = (bytes: Uint8Array) => flyteidl.core.ErrorDocument.decode(bytes).error as flyteidl.core.ContainerError;

// Heavy tests (modules imported and compiled, runs in process or in child processes) get a generous timeout: they must pass on a loaded 2-core machine.
describe("flyte-ts execute", { timeout: 60_000 }, () => {
  it("reads inputs.pb, runs the task and writes outputs.pb", async () => {
    const { outcome, bytes } = await run("add", await literals({ a: t.int(), b: t.int() }, { a: 2, b: 3 }));
    expect(outcome.file).toBe("outputs.pb");
    expect(toProtoJson(flyteidl.core.LiteralMap, flyteidl.core.LiteralMap.decode(bytes))).toEqual({ literals: { o0: { scalar: { primitive: { integer: "5" } } } } });
  });

  it("runs flytekit's typed_task port on Python-written inputs and writes what Python wrote", async () => {
    const { outcome, bytes } = await run("typedTask", readFileSync(join(golden, "types_example/exec/typed_task/inputs.pb")));
    expect(outcome.file).toBe("outputs.pb");
    const theirs = flyteidl.core.LiteralMap.decode(readFileSync(join(golden, "types_example/exec/typed_task/outputs.pb")));
    expect(toProtoJson(flyteidl.core.LiteralMap, flyteidl.core.LiteralMap.decode(bytes))).toEqual(toProtoJson(flyteidl.core.LiteralMap, theirs));
  });

  it("writes a USER, non-recoverable error.pb with the stack when the task throws", async () => {
    const { outcome, bytes } = await run("explode", await literals({ a: t.int() }, { a: 7 }));
    expect(outcome.file).toBe("error.pb");
    const error = errorOf(bytes);
    expect([error.code, error.kind, error.origin]).toEqual(["USER:RuntimeError", Kind.NON_RECOVERABLE, ErrorKind.USER]);
    expect(error.message).toMatch(/cannot handle 7/);
    expect(error.message).toMatch(/flows\.ts/);
    expect(error.timestamp).toBeTruthy();
  });

  it("marks RecoverableError as RECOVERABLE so Flyte retries it", async () => {
    const error = errorOf((await run("flaky", await literals({}, {}))).bytes);
    expect([error.code, error.kind, error.origin]).toEqual(["USER:Recoverable", Kind.RECOVERABLE, ErrorKind.USER]);
  });

  it("names the output when the task returns a value of the wrong type (SYSTEM, non-recoverable, as flytekit)", async () => {
    const error = errorOf((await run("liar", await literals({}, {}))).bytes);
    expect([error.code, error.kind, error.origin]).toEqual(["SYSTEM", Kind.NON_RECOVERABLE, ErrorKind.SYSTEM]);
    expect(error.message).toMatch(/flows\.liar returned a value that does not fit its declared outputs: output "o0" expected an integer.*got string "not a number"/);
  });

  it("fails retryably (SYSTEM) when inputs.pb is missing or corrupt, and for good when it is of the wrong type", async () => {
    const missing = errorOf((await run("add", undefined)).bytes);
    expect([missing.code, missing.kind, missing.origin]).toEqual(["SYSTEM", Kind.RECOVERABLE, ErrorKind.SYSTEM]);
    const corrupt = errorOf((await run("add", Uint8Array.from([0xff, 0xff, 0xff, 0x0f, 0x01]))).bytes);
    expect([corrupt.code, corrupt.kind, corrupt.origin]).toEqual(["SYSTEM", Kind.RECOVERABLE, ErrorKind.SYSTEM]);
    // The message names the file, not just what the decoder tripped on.
    expect(corrupt.message).toMatch(/\/inputs\.pb is not a LiteralMap \(corrupt or cut short\)/);
    const wrongType = errorOf((await run("add", await literals({ a: t.string(), b: t.int() }, { a: "x", b: 1 }))).bytes);
    expect([wrongType.kind, wrongType.origin]).toEqual([Kind.NON_RECOVERABLE, ErrorKind.SYSTEM]);
    expect(wrongType.message).toMatch(/"a": expected a int literal, got a stringValue primitive/);
    expect(wrongType.message).toMatch(/\/inputs\.pb does not hold flows\.add's inputs/);
  });

  it("reports an unknown export as a user error", async () => {
    const error = errorOf((await run("nope", await literals({}, {}))).bytes);
    expect(error.message).toMatch(/exports no task, workflow or dynamic workflow named "nope"/);
  });

  it("writes futures.pb for a dynamic that makes nodes, with children under the execution's project and version", async () => {
    const env = {
      [REGISTRATION_CONTEXT_ENV]: encodeRegistrationContext({
        project: "",
        domain: "",
        version: "",
        image: "ghcr.io/acme/app:v1",
        locations: { "flows.add": { module: "fixtures/flows.ts", name: "add" }, "flows.sum": { module: "fixtures/flows.ts", name: "sum" } },
      }),
      FLYTE_INTERNAL_EXECUTION_PROJECT: "flytesnacks",
      FLYTE_INTERNAL_EXECUTION_DOMAIN: "development",
      FLYTE_INTERNAL_TASK_VERSION: "v7",
    };
    const { outcome, bytes } = await run("fan", await literals({ n: t.int() }, { n: 2 }), env);
    expect(outcome.file).toBe("futures.pb");
    const spec = flyteidl.core.DynamicJobSpec.decode(bytes);
    expect(spec.nodes.map((n) => n.id)).toEqual(["dn0", "dn1", "dn2"]);
    expect(spec.tasks.map((x) => `${x.id?.project}/${x.id?.domain}/${x.id?.name}@${x.id?.version}`)).toEqual([
      "flytesnacks/development/flows.add@v7",
      "flytesnacks/development/flows.sum@v7",
    ]);
    expect(spec.tasks[0]?.container?.args?.slice(-4)).toEqual(["module", "fixtures/flows.ts", "name", "add"]);
    expect(spec.tasks[0]?.container?.image).toBe("ghcr.io/acme/app:v1");
  });

  it("writes a spec larger than one encoding chunk whole and in order", async () => {
    const locations = { "flows.add": { module: "fixtures/flows.ts", name: "add" }, "flows.sum": { module: "fixtures/flows.ts", name: "sum" } };
    const env = { [REGISTRATION_CONTEXT_ENV]: encodeRegistrationContext({ project: "p", domain: "d", version: "v", image: "i", locations }) };
    const { outcome, bytes } = await run("fan", await literals({ n: t.int() }, { n: 3000 }), env);
    expect(outcome.file).toBe("futures.pb");
    expect(bytes.length).toBeGreaterThan(3 * 64 * 1024); // several chunks
    const spec = flyteidl.core.DynamicJobSpec.decode(bytes);
    expect(spec.nodes.length).toBe(3001);
    expect(spec.nodes.map((n) => n.id)).toEqual(Array.from({ length: 3001 }, (_, i) => `dn${i}`));
    expect(Number(spec.minSuccesses)).toBe(3001);
    expect(spec.tasks.map((x) => x.id?.name)).toEqual(["flows.add", "flows.sum"]);
  });

  it("writes outputs.pb instead when the dynamic makes no node", async () => {
    const env = { [REGISTRATION_CONTEXT_ENV]: encodeRegistrationContext({ project: "p", domain: "d", version: "v", image: "i" }) };
    const { outcome } = await run("fan", await literals({ n: t.int() }, { n: 0 }), env);
    expect(outcome.file).toBe("outputs.pb");
  });

  it("rejects malformed arguments with a usage error", () => {
    expect(() => parseExecuteArgs(["--inputs", "x"])).toThrow(/missing --output-prefix/);
    expect(() => parseExecuteArgs(["--inputs", "x", "--output-prefix", "y", "--", "module", "m"])).toThrow(/missing loader argument "name"/);
    expect(() => parseExecuteArgs(["--bogus", "1"])).toThrow(/unexpected argument --bogus/);
  });
});

export { copyFileSync };
