import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { flyteidl, toProtoJson } from "@flytekit-ts/idl";
import { t } from "@flytekit-ts/types";
import { WorkflowCompiler, checkBundle, compileWorkflowClosure, conditional, registrationBundle, task, workflow } from "../src/index.js";
import { ctx } from "./fixtures.js";

/** flytekit 1.16.24's bundle for the Python twin (see the fixture's README for how it was made). */
const fixture = resolve(dirname(fileURLToPath(import.meta.url)), "fixtures/flytekit-struct-condition");
const fixtureFile = (suffix: string) => join(fixture, readdirSync(fixture).find((f) => f.endsWith(suffix)) as string);

const Stats = z.object({ total: z.int(), label: z.string() });
const fanOut = task({ name: "cond_struct.fan_out", inputs: { n: t.int() }, outputs: { o0: t.struct(Stats, { title: "Stats" }) } }, ({ n }) => ({
  o0: { total: n, label: "x" },
}));
const big = task({ name: "cond_struct.big", inputs: { n: t.int() }, outputs: { o0: t.int() } }, ({ n }) => ({ o0: n * 2 }));
const small = task({ name: "cond_struct.small", inputs: { n: t.int() }, outputs: { o0: t.int() } }, ({ n }) => ({ o0: n }));
const wf = workflow({ name: "cond_struct.wf", inputs: { n: t.int() }, outputs: { o0: t.int() } }, ({ n }) => {
  const s = fanOut({ n }).o0;
  return { o0: conditional("size").if(s.total.gt(10)).then(() => big({ n })).else().then(() => small({ n })).o0 };
});

const branchOf = (template: flyteidl.core.WorkflowTemplate.$Properties) => {
  const json = toProtoJson(flyteidl.core.WorkflowTemplate, flyteidl.core.WorkflowTemplate.fromObject(template as never)) as { nodes: { branchNode?: unknown }[] };
  return json.nodes.find((n) => n.branchNode) as Record<string, unknown>;
};

describe("a condition on a struct output's field", () => {
  it("compiles to flytekit's branch node: the input bound to the promise with its attribute path, compared by name", async () => {
    const ours = branchOf((await new WorkflowCompiler(ctx).compile(wf)).template);
    const theirs = branchOf(flyteidl.admin.WorkflowSpec.decode(readFileSync(fixtureFile(".wf_2.pb"))).template as flyteidl.core.WorkflowTemplate);
    // flytekit names the input after the output alone (`n0.o0`), so two fields of one output would
    // share a name; ours keeps the path in it. Everything else is the same message.
    expect(ours.inputs).toEqual([{ var: "n0.o0.total", binding: { promise: { nodeId: "n0", var: "o0", attrPath: [{ stringValue: "total" }] } } }]);
    const renamed = JSON.parse(JSON.stringify(ours).replaceAll('"n0.o0.total"', '"n0.o0"')) as Record<string, unknown>;
    const withoutTaskIds = (node: Record<string, unknown>) => JSON.parse(JSON.stringify(node).replace(/"referenceId":\{[^}]*\}/g, '"referenceId":{}')) as unknown;
    expect(withoutTaskIds(renamed)).toEqual(withoutTaskIds(theirs));
  });

  it("passes the FlytePropeller checks `flyte-ts package` runs", async () => {
    const entries = await registrationBundle([wf], ctx);
    expect(() => checkBundle(entries)).not.toThrow();
  });

  it("compiles flytekit's own bundle for the same workflow with the local FlytePropeller compiler", () => {
    const tasks = [".fan_out_1.pb", ".big_1.pb", ".small_1.pb"].map((s) => flyteidl.admin.TaskSpec.decode(readFileSync(fixtureFile(s))).template as flyteidl.core.TaskTemplate);
    const spec = flyteidl.admin.WorkflowSpec.decode(readFileSync(fixtureFile(".wf_2.pb")));
    const compiled = compileWorkflowClosure(spec, { tasks, launchPlans: [] });
    const branch = compiled.primary?.template?.nodes?.find((n) => n.branchNode);
    expect(branch?.inputs?.map((b) => b.var)).toEqual(["n0.o0"]);
  });

  it("still refuses a field compared with a constant of another type", async () => {
    const bad = workflow({ name: "cond_struct.bad", inputs: { n: t.int() }, outputs: { o0: t.int() } }, ({ n }) => {
      const s = fanOut({ n }).o0;
      return { o0: conditional("size").if(s.label.eq("x")).then(() => big({ n })).else().then(() => small({ n })).o0 };
    });
    const entries = await registrationBundle([bad], ctx);
    // Mistype the compared field in the bundle as a cluster would see a stale task: total (int) vs "x".
    const spec = entries.find((e) => e.kind === "workflow")?.spec as flyteidl.admin.WorkflowSpec.$Properties;
    const node = spec.template?.nodes?.find((n) => n.branchNode);
    const promise = node?.inputs?.[0]?.binding?.promise;
    if (promise) promise.attrPath = [{ stringValue: "total" }];
    expect(() => checkBundle(entries)).toThrow(/Variable \[RightValue\] \(type \[string\]\) doesn't match expected type \[integer\]/);
  });
});
