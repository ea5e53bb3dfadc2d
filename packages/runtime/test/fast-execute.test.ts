import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { encodeRegistrationContext, mapTask, REGISTRATION_CONTEXT_ENV, serializationContext, task, taskTemplate } from "@flytekit-ts/compiler";
import { flyteidl } from "@flytekit-ts/idl";
import { t, toLiteralMap } from "@flytekit-ts/types";
import { execute, parseExecuteArgs } from "../src/index.js";
import { add } from "./fixtures/flows.js";

const sourceRoot = dirname(fileURLToPath(import.meta.url));
const DISTRO = "s3://bucket/flytesnacks/development/ABC/fast0123.tar.gz";
const PREFIX = ["flyte-ts", "fast-execute", "--additional-distribution", DISTRO, "--dest-dir", "/root", "--", "flyte-ts", "execute"];

// Heavy tests (modules imported and compiled, runs in process or in child processes) get a generous timeout: they must pass on a loaded 2-core machine.
describe("fast registration in the entrypoint", { timeout: 60_000 }, () => {
  it("reads the distribution flytekit's fast-execute passes to the inner command", () => {
    const args = parseExecuteArgs(["--inputs", "i", "--output-prefix", "o", "--dynamic-addl-distro", DISTRO, "--dynamic-dest-dir", "/root", "--", "module", "m.ts", "name", "x"]);
    expect(args).toMatchObject({ dynamicAddlDistro: DISTRO, dynamicDestDir: "/root", module: "m.ts", name: "x" });
    expect(parseExecuteArgs(["--inputs", "i", "--output-prefix", "o", "--", "module", "m.ts", "name", "x"]).dynamicAddlDistro).toBeUndefined();
  });

  it("gives the children a fast-registered dynamic creates the same fast-execute prefix", async () => {
    const dir = mkdtempSync(join(tmpdir(), "flyte-ts-fast-"));
    const inputs = await toLiteralMap({ n: t.int() }, { n: 2 });
    writeFileSync(join(dir, "inputs.pb"), flyteidl.core.LiteralMap.encode(inputs as flyteidl.core.LiteralMap).finish());
    const env = {
      [REGISTRATION_CONTEXT_ENV]: encodeRegistrationContext({
        project: "flytesnacks",
        domain: "development",
        version: "v1",
        image: "ghcr.io/acme/app:v1",
        locations: { "flows.add": { module: "fixtures/flows.ts", name: "add" }, "flows.sum": { module: "fixtures/flows.ts", name: "sum" } },
      }),
    };
    const outcome = await execute(
      parseExecuteArgs([
        "--inputs", join(dir, "inputs.pb"),
        "--output-prefix", join(dir, "out"),
        "--dynamic-addl-distro", DISTRO,
        "--dynamic-dest-dir", "/root",
        "--", "module", "fixtures/flows.ts", "name", "fan",
      ]),
      { sourceRoot, env },
    );
    expect(outcome.file).toBe("futures.pb");
    const spec = flyteidl.core.DynamicJobSpec.decode(readFileSync(outcome.uri));
    for (const task of spec.tasks) {
      expect(task.container?.args?.slice(0, 9)).toEqual(PREFIX);
      expect(task.container?.args?.slice(-4, -2)).toEqual(["module", "fixtures/flows.ts"]);
    }
  });

  it("gives pod primary containers and map tasks the prefix too, and leaves sidecars and others alone", () => {
    const fast = { distribution: DISTRO, destDir: "/root" };
    const ctx = serializationContext({ image: "i", fast, locate: (e) => ({ module: "fixtures/flows.ts", name: e.name }) });
    const plain = taskTemplate(add, ctx);
    expect(plain.container?.args?.slice(0, 9)).toEqual(PREFIX);
    expect(plain.container?.args?.slice(9, 11)).toEqual(["--inputs", "{{.input}}"]);
    const mapped = taskTemplate(mapTask(add), ctx);
    expect(mapped.container?.args?.slice(0, 9)).toEqual([...PREFIX.slice(0, -1), "execute-map"]);
    const withPod = task(
      { name: "flows.in_pod", inputs: {}, outputs: {}, podTemplate: { podSpec: { containers: [{ name: "primary" }, { name: "sidecar", args: ["envoy"] }] } } },
      () => ({}),
    );
    const containers = taskTemplate(withPod, ctx).k8sPod?.podSpec?.fields?.["containers"]?.listValue?.values ?? [];
    expect(containers[0]?.structValue?.fields?.["args"]?.listValue?.values?.slice(0, 9).map((v) => v.stringValue)).toEqual(PREFIX);
    expect(containers[1]?.structValue?.fields?.["args"]?.listValue?.values?.map((v) => v.stringValue)).toEqual(["envoy"]);
    // Without a distribution, the command is the plain entrypoint.
    const unfast = taskTemplate(add, serializationContext({ image: "i", locate: (e) => ({ module: "m", name: e.name }) }));
    expect(unfast.container?.args?.slice(0, 2)).toEqual(["flyte-ts", "execute"]);
  });
});
