import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { encodeRegistrationContext, REGISTRATION_CONTEXT_ENV } from "@flytekit-ts/compiler";
import { flyteidl, google } from "@flytekit-ts/idl";
import { t, toLiteralMap } from "@flytekit-ts/types";
import { execute, parseExecuteArgs } from "../src/index.js";
import { withFastExecute } from "../src/entrypoint.js";

const sourceRoot = dirname(fileURLToPath(import.meta.url));
const DISTRO = "s3://bucket/flytesnacks/development/ABC/fast0123.tar.gz";
const PREFIX = ["flyte-ts", "fast-execute", "--additional-distribution", DISTRO, "--dest-dir", "/root", "--", "flyte-ts", "execute"];

describe("fast registration in the entrypoint", () => {
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

  it("rewrites pod containers too, and leaves other commands alone", () => {
    const podSpec = google.protobuf.Struct.create({
      fields: {
        containers: {
          listValue: {
            values: [
              { structValue: { fields: { name: { stringValue: "primary" }, args: { listValue: { values: ["flyte-ts", "execute", "--inputs", "x"].map((stringValue) => ({ stringValue })) } } } } },
              { structValue: { fields: { name: { stringValue: "sidecar" }, args: { listValue: { values: [{ stringValue: "envoy" }] } } } } },
            ],
          },
        },
      },
    });
    const spec = flyteidl.core.DynamicJobSpec.create({
      tasks: [
        { id: { name: "a" }, container: { image: "i", args: ["flyte-ts", "execute", "--inputs", "x"] } },
        { id: { name: "b" }, container: { image: "i", args: ["python", "main.py"] } },
        { id: { name: "c" }, k8sPod: { podSpec } },
        { id: { name: "d" }, container: { image: "i", args: ["flyte-ts", "execute-map", "--inputs", "x"] } },
      ],
    });
    const out = flyteidl.core.DynamicJobSpec.decode(withFastExecute(flyteidl.core.DynamicJobSpec.encode(spec).finish(), DISTRO, "/root"));
    expect(out.tasks[0]?.container?.args).toEqual([...PREFIX, "--inputs", "x"]);
    expect(out.tasks[1]?.container?.args).toEqual(["python", "main.py"]);
    expect(out.tasks[3]?.container?.args).toEqual([...PREFIX.slice(0, -1), "execute-map", "--inputs", "x"]);
    const containers = out.tasks[2]?.k8sPod?.podSpec?.fields?.["containers"]?.listValue?.values ?? [];
    expect(containers[0]?.structValue?.fields?.["args"]?.listValue?.values?.map((v) => v.stringValue)).toEqual([...PREFIX, "--inputs", "x"]);
    expect(containers[1]?.structValue?.fields?.["args"]?.listValue?.values?.map((v) => v.stringValue)).toEqual(["envoy"]);
  });
});
