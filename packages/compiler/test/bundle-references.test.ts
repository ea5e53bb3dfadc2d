import { describe, expect, it } from "vitest";
import { t } from "@flytekit-ts/types";
import { checkBundle, compileRegistration, referenceLaunchPlan, referenceTask, registrationBundle, serializationContext, task, workflow } from "../src/index.js";
import { ctx } from "./fixtures.js";

// A workflow calling tasks registered by someone else (Python tasks registered by pyflyte, say): the
// bundle holds none of their templates, so the pre-registration check must type their nodes by the
// interfaces the references declare, as FlyteAdmin will by the registered ones.
const python = (name: string) => ({ project: "flytesnacks", domain: "development", name, version: "v1" });
const summarize = referenceTask(python("mixed.summarize"), { scores: t.list(t.float()) }, { o0: t.float() });
const report = referenceLaunchPlan(python("mixed.report"), { mean: t.float() }, { o0: t.string() });
const parse = task({ name: "refs.parse", inputs: { csv: t.string() }, outputs: { o0: t.list(t.float()) } }, ({ csv }) => ({
  o0: csv.split(",").map(Number),
}));
const wf = workflow({ name: "refs.wf", inputs: { csv: t.string() }, outputs: { o0: t.string() } }, ({ csv }) => {
  const mean = summarize({ scores: parse({ csv }).o0 }).o0;
  return { o0: report({ mean }).o0 };
});

describe("checkBundle with references the bundle calls", () => {
  it("accepts a workflow calling a reference task and a reference launch plan, and registers neither", async () => {
    const { entries, references } = await compileRegistration([wf], ctx);
    expect(references).toEqual([summarize, report]);
    expect(entries.map((e) => `${e.kind} ${e.name}`)).toEqual(["task refs.parse", "workflow refs.wf", "launchPlan refs.wf"]);
    expect(() => checkBundle(entries, references)).not.toThrow();
    expect(await registrationBundle([wf], ctx)).toEqual(entries);
  });

  it("without them, reports the referenced task as not found (what the check said before)", async () => {
    const { entries } = await compileRegistration([wf], ctx);
    expect(() => checkBundle(entries)).toThrow(/Referenced Task \[.*mixed\.summarize.*\] not found/);
  });

  it("looks references up by their own coordinates, not the bundle's", async () => {
    const elsewhere = serializationContext({ image: "img:1", project: "ours", domain: "staging", version: "v9" });
    const { entries, references } = await compileRegistration([wf], elsewhere);
    const called = (entries[1]?.spec as { template?: { nodes?: { taskNode?: { referenceId?: { project?: string; version?: string } } }[] } }).template?.nodes?.[1]?.taskNode;
    expect(called?.referenceId).toMatchObject({ project: "flytesnacks", version: "v1" });
    expect(() => checkBundle(entries, references)).not.toThrow();
  });
});
