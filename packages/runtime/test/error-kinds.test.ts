import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { flyteidl } from "@flytekit-ts/idl";
import { t, toLiteralMap } from "@flytekit-ts/types";
import { errorDocument, execute, parseExecuteArgs } from "../src/index.js";

const here = dirname(fileURLToPath(import.meta.url));
const cases = join(here, "fixtures/flytekit/error_kinds/cases");
const { Kind } = flyteidl.core.ContainerError;
const { ErrorKind } = flyteidl.core.ExecutionError;

const literals = async (values: Record<string, unknown>, type = t.int()) =>
  flyteidl.core.LiteralMap.encode((await toLiteralMap({ a: type }, values as never)) as flyteidl.core.LiteralMap).finish();

async function tsError(name: string, inputs: Uint8Array): Promise<flyteidl.core.ContainerError> {
  const dir = mkdtempSync(join(tmpdir(), "flyte-ts-error-kinds-"));
  writeFileSync(join(dir, "inputs.pb"), inputs);
  const args = parseExecuteArgs(["--inputs", join(dir, "inputs.pb"), "--output-prefix", join(dir, "out"), "--raw-output-data-prefix", join(dir, "raw"), "--", "module", "fixtures/error-kinds.ts", "name", name]);
  const outcome = await execute(args, { sourceRoot: here, env: {} });
  expect(outcome.file).toBe("error.pb");
  return flyteidl.core.ErrorDocument.decode(readFileSync(outcome.uri)).error as flyteidl.core.ContainerError;
}

const flytekitError = (dir: string) => flyteidl.core.ErrorDocument.decode(readFileSync(join(cases, dir, "error.pb"))).error as flyteidl.core.ContainerError;
const classification = (e: flyteidl.core.ContainerError) => [e.code, Kind[e.kind], ErrorKind[e.origin]];

/** flytekit's get_traceback_str: "Trace:", the indented trace, "Message:", the indented "<Type>: <text>". */
const SHAPE = /^Trace:\n\n(?: {4}.*\n|\n)+\nMessage:\n\n {4}(\w+): [\s\S]+$/;

describe("error.pb as flytekit 1.16.24 writes it (fixtures/flytekit/error_kinds)", () => {
  it.each([
    ["a returned value that does not fit the outputs", "badOutput", "bad_output-int_input", () => literals({ a: 3 })],
    ["the task's code throws", "userError", "user_error-int_input", () => literals({ a: 3 })],
    ["the task throws RecoverableError", "recoverable", "recoverable-int_input", () => literals({ a: 3 })],
    ["an input literal of the wrong type", "takesInt", "takes_int-str_input", () => literals({ a: "three" }, t.string() as never)],
    ["an inputs.pb that is not a LiteralMap", "takesInt", "takes_int-corrupt_input", () => Promise.resolve(Uint8Array.of(0xff, 0xff, 0xff))],
  ])("%s: same code, kind and origin, same message shape", async (_, name, dir, inputs) => {
    const theirs = flytekitError(dir);
    const ours = await tsError(name, await inputs());
    expect(classification(ours)).toEqual(classification(theirs));
    expect(theirs.message).toMatch(SHAPE);
    expect(ours.message).toMatch(SHAPE);
  });

  it("names the output and what was wrong when a returned value does not fit", async () => {
    const ours = await tsError("badOutput", await literals({ a: 3 }));
    expect(ours.message).toMatch(/examples\.error_kinds\.bad_output returned a value that does not fit its declared outputs: output "o0" expected an integer.*got string "not a number"/);
  });

  it("puts the user's own error text in the message part, and a cause's stack before the error it caused", () => {
    const cause = new RangeError("inner problem");
    const doc = errorDocument({ kind: "user", error: new Error("outer problem", { cause }) });
    const message = doc.error?.message ?? "";
    expect(message).toMatch(/\nMessage:\n\n {4}Error: outer problem$/);
    expect(message.indexOf("RangeError: inner problem")).toBeLessThan(message.indexOf("The above exception was the direct cause"));
    expect(message.indexOf("The above exception was the direct cause")).toBeLessThan(message.indexOf("    Error: outer problem\n"));
    expect(errorDocument({ kind: "user", error: "a string" }).error?.message).toBe("Trace:\n\n    string thrown: a string\n\nMessage:\n\n    a string");
  });
});
