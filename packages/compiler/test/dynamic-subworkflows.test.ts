import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { flyteidl, toProtoJson } from "@flytekit-ts/idl";
import { t } from "@flytekit-ts/types";
import { WorkflowCompiler, compileDynamic, conditional, dynamic, flyteError, serializationContext, task, workflow, type AnyEntity, type Ref } from "../src/index.js";

// The twin of fixtures/flytekit/dynamic_subwf/dynamic_subwf.py, whose futures.pb the real flytekit wrote (see its README).
const M = "examples.dynamic_subwf";
const inc = task({ name: `${M}.inc`, inputs: { x: t.int() }, outputs: { o0: t.int() } }, ({ x }) => ({ o0: x + 1 }));
const double = task({ name: `${M}.double`, inputs: { x: t.int() }, outputs: { o0: t.int() } }, ({ x }) => ({ o0: x * 2 }));
const cleanup = task({ name: `${M}.cleanup`, inputs: { x: t.int(), err: t.optional(flyteError()) } }, () => ({}));
const innerWf = workflow({ name: `${M}.inner_wf`, inputs: { x: t.int() }, outputs: { o0: t.int() } }, ({ x }) => ({ o0: inc({ x }).o0 }));
const pairWf = workflow({ name: `${M}.pair_wf`, inputs: { x: t.int() }, outputs: { o0: t.int() } }, ({ x }) => ({
  o0: double({ x: innerWf({ x: inc({ x }).o0 }).o0 }).o0,
}));
const guardedWf = workflow({ name: `${M}.guarded_wf`, inputs: { x: t.int() }, outputs: { o0: t.int() }, onFailure: cleanup }, ({ x }) => ({ o0: double({ x }).o0 }));
const branchWf = workflow({ name: `${M}.branch_wf`, inputs: { x: t.int() }, outputs: { o0: t.int() } }, ({ x }) => ({
  o0: conditional("big")
    .if(x.gt(1))
    .then(() => double({ x }))
    .else()
    .then(() => inc({ x })).o0,
}));
const dynCallsWf = dynamic(
  { name: `${M}.dyn_calls_wf`, inputs: { n: t.int() }, outputs: { o0: t.list(t.int()), o1: t.int(), o2: t.int() } },
  ({ n }) => {
    const out: Ref<number>[] = [];
    for (let i = 0; i < n; i++) out.push(pairWf({ x: i }).o0);
    const g = guardedWf({ x: n }).o0;
    const b = branchWf({ x: inc({ x: n }).o0 }).o0;
    return { o0: out, o1: g, o2: b };
  },
);

const fixture = join(fileURLToPath(new URL(".", import.meta.url)), "fixtures/flytekit/dynamic_subwf");
const ctx = serializationContext({
  project: "flytesnacks",
  domain: "development",
  version: "v1",
  image: "ghcr.io/flyteorg/flytekit:py3.11-1.16.24",
  locate: (e: AnyEntity) => ({ module: M, name: e.name.slice(M.length + 1) }),
});

type Json = Record<string, unknown>;
const specJson = (bytes: Uint8Array) => toProtoJson(flyteidl.core.DynamicJobSpec, flyteidl.core.DynamicJobSpec.decode(bytes)) as Json;

/** Task templates differ by design (the container runs flyte-ts, the runtime metadata names this SDK): compared by id only. */
function withTaskIdsOnly(spec: Json): Json {
  const tasks = (spec["tasks"] as { id: unknown }[]).map((task) => task.id);
  return { ...spec, tasks };
}

describe("a dynamic calling workflows, against flytekit 1.16.24's futures.pb", () => {
  it("embeds each sub-workflow with the dynamic's node prefix: dn ids, bindings, upstream ids, branch nodes, dfn0", async () => {
    const result = await compileDynamic(dynCallsWf, { n: 2 }, ctx);
    if (result.kind !== "futures") throw new Error("expected a DynamicJobSpec");
    const ours = withTaskIdsOnly(specJson(result.bytes));
    const theirs = withTaskIdsOnly(specJson(readFileSync(join(fixture, "futures.pb"))));
    expect(ours).toEqual(theirs);
  });

  it("keeps n ids when the same workflows are compiled for registration", async () => {
    const compiled = await new WorkflowCompiler(ctx).compile(guardedWf);
    expect(compiled.template.nodes?.map((n) => n.id)).toEqual(["n0"]);
    expect(compiled.template.failureNode?.id).toBe("fn0");
  });
});
