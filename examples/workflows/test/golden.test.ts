import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { compileDynamic, encodeEntry, entryFileName, registrationBundle, serializationContext, type AnyEntity } from "@flytekit-ts/compiler";
import { flyteidl, messageClass, messageTypeForFile, toProtoJson } from "@flytekit-ts/idl";
import { fanoutWf, myDynamicSubwf, t1 as fanoutT1 } from "../src/dynamic-fanout.js";
import { staticWf, t1, t2, t3 } from "../src/static-wf.js";

const golden = resolve(dirname(fileURLToPath(import.meta.url)), "../../../../shared/golden/flytekit");
const FLYTEKIT_IMAGE = "ghcr.io/flyteorg/flytekit:py3.11-1.16.24";

/** As `pyflyte package` serializes: empty project/domain/version, the image given on the command line. */
const packageContext = (module: string) =>
  serializationContext({ image: FLYTEKIT_IMAGE, locate: (e: AnyEntity) => ({ module, name: e.name.slice(e.name.lastIndexOf(".") + 1) }) });

type Json = { [key: string]: unknown };
const asJson = (type: string, bytes: Uint8Array): Json => {
  const cls = messageClass(type);
  return toProtoJson(cls, cls.decode(bytes)) as Json;
};

/**
 * The differences that are ours by design, removed from both sides after asserting ours:
 * - the container args run `flyte-ts execute` instead of `pyflyte-execute`, with this SDK's loader arguments;
 * - the runtime metadata names this SDK (FLYTE_SDK, "typescript", a version that passes propeller's semver gate).
 * - a dynamic task's registration-context variable is `_FTS_SS_C` (our JSON) where flytekit writes `_F_SS_C` (its settings).
 */
function withoutSdkSpecifics(template: Json): Json {
  const copy = structuredClone(template) as { container?: Json & { args?: string[]; env?: { key: string }[] }; metadata?: Json };
  if (copy.container) {
    delete copy.container.args;
    if (copy.container.env) copy.container.env = copy.container.env.filter((e) => e.key !== "_F_SS_C" && e.key !== "_FTS_SS_C");
    if (copy.container.env?.length === 0) delete copy.container.env;
  }
  if (copy.metadata) delete copy.metadata.runtime;
  return copy as Json;
}

function ourTemplateChecks(template: Json, module: string, name: string) {
  const container = template["container"] as { args: string[] };
  expect(container.args.slice(0, 2)).toEqual(["flyte-ts", "execute"]);
  expect(container.args.slice(-4)).toEqual(["module", module, "name", name]);
  expect((template["metadata"] as { runtime: Json }).runtime).toEqual({ type: "FLYTE_SDK", version: expect.stringMatching(/^1\.16\.5\+flytekit-ts\./), flavor: "typescript" });
}

describe("static_wf, compiled like pyflyte package", () => {
  it("produces the same five entities in the same order", async () => {
    const entries = await registrationBundle([t1, t2, t3, staticWf], packageContext("examples.static_wf"));
    expect(entries.map(entryFileName)).toEqual([
      "0_examples.static_wf.t1_1.pb",
      "1_examples.static_wf.t2_1.pb",
      "2_examples.static_wf.t3_1.pb",
      "3_examples.static_wf.static_wf_2.pb",
      "4_examples.static_wf.static_wf_3.pb",
    ]);
  });

  it("equals flytekit's TaskSpecs, WorkflowSpec and LaunchPlan after parsing", async () => {
    const entries = await registrationBundle([t1, t2, t3, staticWf], packageContext("examples.static_wf"));
    for (const [i, entry] of entries.entries()) {
      const file = entryFileName(entry, i);
      const type = messageTypeForFile(file) as string;
      const ours = asJson(type, encodeEntry(entry));
      const theirs = asJson(type, readFileSync(join(golden, "static_wf/package", file)));
      if (entry.kind === "task") {
        ourTemplateChecks(ours["template"] as Json, "examples.static_wf", entry.name.split(".").pop() as string);
        ours["template"] = withoutSdkSpecifics(ours["template"] as Json);
        theirs["template"] = withoutSdkSpecifics(theirs["template"] as Json);
      }
      expect(ours, file).toEqual(theirs);
    }
  });
});

describe("dynamic_fanout", () => {
  const registered = serializationContext({
    project: "flytesnacks",
    domain: "development",
    version: "v1",
    image: FLYTEKIT_IMAGE,
    locate: (e: AnyEntity) => ({ module: "examples.dynamic_fanout", name: e.name.slice(e.name.lastIndexOf(".") + 1) }),
  });

  it("registers like flytekit: the dynamic is a plain task carrying the registration context", async () => {
    const entries = await registrationBundle([fanoutT1, myDynamicSubwf, fanoutWf], packageContext("examples.dynamic_fanout"));
    expect(entries.map(entryFileName)).toEqual([
      "0_examples.dynamic_fanout.t1_1.pb",
      "1_examples.dynamic_fanout.my_dynamic_subwf_1.pb",
      "2_examples.dynamic_fanout.fanout_wf_2.pb",
      "3_examples.dynamic_fanout.fanout_wf_3.pb",
    ]);
    for (const [i, entry] of entries.entries()) {
      const file = entryFileName(entry, i);
      const type = messageTypeForFile(file) as string;
      const ours = asJson(type, encodeEntry(entry));
      const theirs = asJson(type, readFileSync(join(golden, "dynamic_fanout/package", file)));
      if (entry.kind === "task") {
        const env = ((ours["template"] as Json)["container"] as { env?: { key: string }[] }).env ?? [];
        expect(env.map((e) => e.key)).toEqual(entry.name.endsWith("my_dynamic_subwf") ? ["_FTS_SS_C"] : []);
        ours["template"] = withoutSdkSpecifics(ours["template"] as Json);
        theirs["template"] = withoutSdkSpecifics(theirs["template"] as Json);
      }
      expect(ours, file).toEqual(theirs);
    }
  });

  it("builds flytekit's futures.pb for a = 3: nodes dn0..dn2, literal bindings, t1 embedded once", async () => {
    const result = await compileDynamic(myDynamicSubwf, { a: 3 }, registered);
    if (result.kind !== "futures") throw new Error("expected a DynamicJobSpec");
    const ours = asJson("flyteidl.core.DynamicJobSpec", result.bytes) as { tasks: Json[] };
    const theirs = asJson("flyteidl.core.DynamicJobSpec", readFileSync(join(golden, "dynamic_fanout/exec/my_dynamic_subwf_a3/futures.pb"))) as { tasks: Json[] };
    expect(ours.tasks).toHaveLength(1);
    ourTemplateChecks(ours.tasks[0] as Json, "examples.dynamic_fanout", "t1");
    ours.tasks = ours.tasks.map(withoutSdkSpecifics);
    theirs.tasks = theirs.tasks.map(withoutSdkSpecifics);
    expect(ours).toEqual(theirs);
  });

  it("writes the outputs instead, like flytekit, when a = 0 makes no node", async () => {
    const result = await compileDynamic(myDynamicSubwf, { a: 0 }, registered);
    if (result.kind !== "outputs") throw new Error("expected outputs");
    const ours = toProtoJson(flyteidl.core.LiteralMap, flyteidl.core.LiteralMap.fromObject(result.outputs as { [k: string]: unknown }));
    const theirs = asJson("flyteidl.core.LiteralMap", readFileSync(join(golden, "dynamic_fanout/exec/my_dynamic_subwf_a0/outputs.pb")));
    expect(ours).toEqual(theirs);
  });
});
