import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { flyteidl } from "@flytekit-ts/idl";
import { fromLiteralMap, t, toLiteralMap } from "@flytekit-ts/types";
import { arrayIndex, executeMap } from "../src/index.js";

const sourceRoot = dirname(fileURLToPath(import.meta.url));

async function runIndex(index: string | undefined, extraEnv: Record<string, string> = {}, inputs?: Uint8Array) {
  const dir = mkdtempSync(join(tmpdir(), "flyte-ts-map-exec-"));
  const lists = await toLiteralMap({ a: t.list(t.int()), b: t.int() }, { a: [10, 20, 30], b: 5 });
  writeFileSync(join(dir, "inputs.pb"), inputs ?? flyteidl.core.LiteralMap.encode(lists as flyteidl.core.LiteralMap).finish());
  const env = { ...(index === undefined ? {} : { FLYTE_K8S_ARRAY_INDEX: index }), BATCH_JOB_ARRAY_INDEX_VAR_NAME: "FLYTE_K8S_ARRAY_INDEX", ...extraEnv };
  const outcome = await executeMap(
    ["--inputs", join(dir, "inputs.pb"), "--output-prefix", join(dir, "out"), "--raw-output-data-prefix", join(dir, "raw"), "--", "vars", "b", "module", "fixtures/flows.ts", "name", "add"],
    { env, sourceRoot },
  );
  expect(readdirSync(join(dir, "out"))).toEqual([outcome.file]);
  return { outcome, bytes: readFileSync(outcome.uri) };
}

// Heavy tests (modules imported and compiled, runs in process or in child processes) get a generous timeout: they must pass on a loaded 2-core machine.
describe("flyte-ts execute-map (one index of a map task)", { timeout: 60_000 }, () => {
  it("runs the mapped task on element i of each list input, bound inputs whole", async () => {
    const { outcome, bytes } = await runIndex("1");
    expect(outcome.file).toBe("outputs.pb");
    expect(await fromLiteralMap({ o0: t.int() }, flyteidl.core.LiteralMap.decode(bytes))).toEqual({ o0: 25 });
  });

  it("honours the index offset", async () => {
    const { bytes } = await runIndex("0", { BATCH_JOB_ARRAY_INDEX_OFFSET: "2" });
    expect(await fromLiteralMap({ o0: t.int() }, flyteidl.core.LiteralMap.decode(bytes))).toEqual({ o0: 35 });
  });

  it("writes error.pb when the index is missing or out of range", async () => {
    expect((await runIndex(undefined)).outcome.file).toBe("error.pb");
    const { bytes } = await runIndex("7");
    expect(flyteidl.core.ErrorDocument.decode(bytes).error?.message).toMatch(/has 3 elements; there is no index 7/);
  });

  it("fails as SYSTEM and RECOVERABLE, as execute (and flytekit) does, when inputs.pb is corrupt, and names it", async () => {
    const { outcome, bytes } = await runIndex("0", {}, Uint8Array.from([0xff, 0xff, 0xff, 0x0f, 0x01]));
    expect(outcome.file).toBe("error.pb");
    const error = flyteidl.core.ErrorDocument.decode(bytes).error;
    expect([error?.code, error?.kind, error?.origin]).toEqual(["SYSTEM", flyteidl.core.ContainerError.Kind.RECOVERABLE, flyteidl.core.ExecutionError.ErrorKind.SYSTEM]);
    expect(error?.message).toMatch(/\/inputs\.pb is not a LiteralMap \(corrupt or cut short\)/);
  });

  it("leaves no temporary files behind", async () => {
    const saved = process.env["TMPDIR"];
    const own = mkdtempSync(join(tmpdir(), "flyte-ts-map-tmp-"));
    process.env["TMPDIR"] = own;
    try {
      await runIndex("1");
      // Only the test's own directory (inputs and outputs) is left.
      expect(readdirSync(own).map((f) => f.replace(/-\w+$/, ""))).toEqual(["flyte-ts-map-exec"]);
    } finally {
      if (saved === undefined) delete process.env["TMPDIR"];
      else process.env["TMPDIR"] = saved;
    }
  });

  it("computes the index as flytekit does", () => {
    expect(arrayIndex({ BATCH_JOB_ARRAY_INDEX_VAR_NAME: "MY_INDEX", MY_INDEX: "3", BATCH_JOB_ARRAY_INDEX_OFFSET: "10" })).toBe(13);
    expect(() => arrayIndex({})).toThrow(/FLYTE_K8S_ARRAY_INDEX is not set/);
  });
});
