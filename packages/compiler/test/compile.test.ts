import { describe, expect, it } from "vitest";
import { flyteidl, toProtoJson } from "@flytekit-ts/idl";
import { t } from "@flytekit-ts/types";
import {
  CompileError,
  WorkflowCompiler,
  WorkflowUsageError,
  compileDynamic,
  contentVersion,
  encodeEntry,
  registrationBundle,
  workflow,
  workflowSpec,
} from "../src/index.js";
import { add, ctx, fan, inner, outer, show, stats, total } from "./fixtures.js";

const json = (template: unknown) =>
  toProtoJson(flyteidl.core.WorkflowTemplate, flyteidl.core.WorkflowTemplate.fromObject(template as { [k: string]: unknown })) as Record<string, unknown>;

async function compileProblems(wf: Parameters<WorkflowCompiler["compile"]>[0]) {
  const error = await new WorkflowCompiler(ctx).compile(wf).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(CompileError);
  return (error as CompileError).problems;
}

describe("workflow compilation", () => {
  it("binds workflow inputs as promises on node '' and sibling outputs as promises with upstream ids", async () => {
    const compiled = await new WorkflowCompiler(ctx).compile(outer);
    const template = json(compiled.template) as { nodes: Record<string, unknown>[]; outputs: unknown[] };
    expect(template.nodes[0]).toMatchObject({
      id: "n0",
      inputs: [{ var: "a", binding: { promise: { var: "a" } } }],
      workflowNode: { subWorkflowRef: { resourceType: "WORKFLOW", project: "p", domain: "development", name: "flows.inner", version: "v1" } },
    });
    expect(template.nodes[1]).toMatchObject({ id: "n1", upstreamNodeIds: ["n0"], inputs: [{ var: "x", binding: { promise: { nodeId: "n0", var: "o0" } } }] });
    expect(template.outputs).toEqual([{ var: "o0", binding: { promise: { nodeId: "n1", var: "o0" } } }]);
    expect(compiled.subWorkflows.map((s) => s.workflow.name)).toEqual(["flows.inner"]);
    expect(compiled.tasks.map((x) => x.name)).toEqual(["flows.add", "flows.show"]);
    expect(workflowSpec(compiled).subWorkflows?.map((s) => s.id?.name)).toEqual(["flows.inner"]);
  });

  it("binds lists mixing constants and node outputs as collections, constants as scalars", async () => {
    const wf = workflow({ name: "flows.mixed", inputs: { a: t.int() }, outputs: { o0: t.int() } }, ({ a }) => ({ o0: total({ xs: [1, a, add({ a, b: 2 }).o0] }).o0 }));
    const template = json((await new WorkflowCompiler(ctx).compile(wf)).template) as { nodes: { inputs: unknown[] }[] };
    expect(template.nodes[1]?.inputs).toEqual([
      {
        var: "xs",
        binding: { collection: { bindings: [{ scalar: { primitive: { integer: "1" } } }, { promise: { var: "a" } }, { promise: { nodeId: "n0", var: "o0" } }] } },
      },
    ]);
  });

  it("follows attribute access into structured outputs with typed attribute paths", async () => {
    const wf = workflow({ name: "flows.attr", inputs: { xs: t.list(t.int()) }, outputs: { o0: t.string() } }, ({ xs }) => {
      const s = stats({ xs }).o0;
      return { o0: show({ x: s.count }).o0 };
    });
    const template = json((await new WorkflowCompiler(ctx).compile(wf)).template) as { nodes: { inputs: unknown[] }[] };
    expect(template.nodes[1]?.inputs).toEqual([{ var: "x", binding: { promise: { nodeId: "n0", var: "o0", attrPath: [{ stringValue: "count" }] } } }]);
  });

  it("reports every problem at once, each naming node, variable and what is wrong", async () => {
    const wf = workflow({ name: "flows.broken", inputs: { a: t.int(), s: t.string() }, outputs: { o0: t.int() } }, ({ a, s }) => {
      const x = add({ a, b: s as never }).o0; // a string into an int
      show({} as never); // x missing
      add({ a, b: 1, c: 3 } as never); // no such input
      return { o0: x, extra: a } as never;
    });
    const problems = await compileProblems(wf);
    expect(problems.map((p) => [p.kind, p.nodeId, p.variable])).toEqual([
      ["MismatchingTypes", "n0", "b"],
      ["ParameterNotBound", "n1", "x"],
      ["VariableNameNotFound", "n2", "c"],
      ["VariableNameNotFound", "end-node", "extra"],
    ]);
    expect(problems[0]?.message).toBe('expected integer, got string from workflow input "s"');
  });

  it("checks constants against the input type", async () => {
    const wf = workflow({ name: "flows.const", outputs: { o0: t.int() } }, () => ({ o0: add({ a: 1.5, b: 2 }).o0 }));
    const [problem] = await compileProblems(wf);
    expect(problem).toMatchObject({ kind: "MismatchingTypes", nodeId: "n0", variable: "a" });
    expect(problem?.message).toMatch(/expected an integer/);
  });

  it("rejects an empty workflow and an async body", async () => {
    expect((await compileProblems(workflow({ name: "flows.empty" }, () => ({}))))[0]?.kind).toBe("NoNodesFound");
    const asyncWf = workflow({ name: "flows.async", outputs: {} }, (async () => ({})) as never);
    await expect(new WorkflowCompiler(ctx).compile(asyncWf)).rejects.toThrow(/must be synchronous/);
  });

  it("is deterministic: same source, same bytes, same content version", async () => {
    const a = await registrationBundle([outer], ctx);
    const b = await registrationBundle([outer], ctx);
    expect(a.map((e) => Buffer.from(encodeEntry(e)).toString("hex"))).toEqual(b.map((e) => Buffer.from(encodeEntry(e)).toString("hex")));
    expect(contentVersion(a)).toBe(contentVersion(b));
    const changed = workflow({ name: "flows.outer", inputs: { a: t.int() }, outputs: { o0: t.string() } }, ({ a }) => ({ o0: show({ x: a }).o0 }));
    expect(contentVersion(await registrationBundle([changed], ctx))).not.toBe(contentVersion(a));
  });

  it("refuses two different entities under one registered name", async () => {
    const twin = workflow({ name: "flows.inner", inputs: { a: t.int() }, outputs: { o0: t.int() } }, ({ a }) => ({ o0: add({ a, b: 2 }).o0 }));
    await expect(registrationBundle([outer, twin], ctx)).rejects.toThrow(/flows\.inner: two different entities are declared with this name/);
  });

  it("orders a bundle so that everything comes after what it calls", async () => {
    const entries = await registrationBundle([outer, inner], ctx);
    expect(entries.map((e) => `${e.kind}:${e.name}`)).toEqual([
      "task:flows.add",
      "task:flows.show",
      "workflow:flows.inner",
      "workflow:flows.outer",
      "launchPlan:flows.outer",
      "launchPlan:flows.inner",
    ]);
  });
});

describe("misuse inside a body is a located error", () => {
  const misuse = (body: (out: { o0: unknown }) => unknown) =>
    new WorkflowCompiler(ctx).compile(
      workflow({ name: "flows.misuse", inputs: { a: t.int() }, outputs: { o0: t.int() } }, ({ a }) => {
        const out = add({ a, b: 1 });
        body(out);
        return { o0: out.o0 };
      }),
    );

  it("in arithmetic, comparisons and template strings", async () => {
    await expect(misuse((out) => (out.o0 as number) + 1)).rejects.toThrow(/output "o0" of node n0 was used as a plain value/);
    await expect(misuse((out) => (out.o0 as number) > 3)).rejects.toThrow(WorkflowUsageError);
    await expect(misuse((out) => `${String(out.o0)}`)).rejects.toThrow(/has no value yet/);
    await expect(misuse((out) => JSON.stringify(out))).rejects.toThrow(/used as a plain value/);
  });

  it("when awaited", async () => {
    const wf = workflow({ name: "flows.awaited", inputs: { a: t.int() }, outputs: { o0: t.int() } }, ({ a }) => {
      const out = add({ a, b: 1 }).o0;
      void (out as unknown as { then: unknown }).then;
      return { o0: out };
    });
    await expect(new WorkflowCompiler(ctx).compile(wf)).rejects.toThrow(/was awaited/);
  });

  it("when indexing something that has no such attribute", async () => {
    await expect(misuse((out) => (out.o0 as Record<string, unknown>)["nope"])).rejects.toThrow(/output "o0" of node n0 \(integer\) has no attribute "nope"/);
  });

  it("when a task is called outside a body", () => {
    expect(() => add({ a: 1, b: 2 })).toThrow(/flows\.add was called outside a workflow or dynamic body/);
  });
});

// Includes compiling a dynamic near the futures.pb size limit: a generous timeout for a loaded machine.
describe("dynamic compilation at run time", { timeout: 60_000 }, () => {
  it("makes dn nodes with literal bindings, promises between siblings, and embeds each task once", async () => {
    const result = await compileDynamic(fan, { n: 3 }, ctx);
    if (result.kind !== "futures") throw new Error("expected futures");
    const spec = toProtoJson(flyteidl.core.DynamicJobSpec, flyteidl.core.DynamicJobSpec.decode(result.bytes)) as {
      nodes: { id: string; upstreamNodeIds?: string[]; inputs: unknown[] }[];
      tasks: { id: { name: string } }[];
      minSuccesses: string;
    };
    expect(spec.nodes.map((n) => n.id)).toEqual(["dn0", "dn1", "dn2", "dn3"]);
    expect(spec.nodes[1]?.inputs).toEqual([
      { var: "a", binding: { scalar: { primitive: { integer: "1" } } } },
      { var: "b", binding: { scalar: { primitive: { integer: "1" } } } },
    ]);
    expect(spec.nodes[3]?.upstreamNodeIds).toEqual(["dn0", "dn1", "dn2"]);
    expect(spec.tasks.map((x) => x.id.name)).toEqual(["flows.add", "flows.total"]);
    expect(spec.minSuccesses).toBe("4");
  });

  it("writes nodes in order when a constant converts asynchronously and a later node is ready first", async () => {
    const { dynamic, task } = await import("../src/index.js");
    const { z } = await import("zod");
    // An asynchronous refinement makes the struct's conversion a promise: dn0 is final only after dn1.
    const Checked = z.object({ n: z.int() }).refine(async (v) => v.n >= 0);
    const check = task({ name: "flows.check", inputs: { c: t.struct(Checked, { title: "Checked" }) }, outputs: { o0: t.int() } }, ({ c }) => ({ o0: c.n }));
    const mixed = dynamic({ name: "flows.mixed", inputs: { n: t.int() }, outputs: { o0: t.int(), o1: t.int() } }, ({ n }) => ({
      o0: check({ c: { n } }).o0,
      o1: add({ a: n, b: 1 }).o0,
    }));
    const result = await compileDynamic(mixed, { n: 2 }, ctx);
    if (result.kind !== "futures") throw new Error("expected futures");
    const nodes = result.spec.nodes ?? [];
    expect(nodes.map((n) => n.id)).toEqual(["dn0", "dn1"]);
    expect(nodes[0]?.inputs?.[0]?.binding?.scalar?.binary?.tag).toBe("msgpack");
    expect(nodes[1]?.inputs?.map((i) => i.var)).toEqual(["a", "b"]);
    expect(result.spec.minSuccesses?.toString()).toBe("2");
    expect(result.spec.outputs?.map((o) => o.binding?.promise?.nodeId)).toEqual(["dn0", "dn1"]);
    // Field order is protoc's: every node (field 1) before min_successes (2), outputs (3), tasks (4).
    const reencoded = flyteidl.core.DynamicJobSpec.encode(result.spec as flyteidl.core.DynamicJobSpec).finish();
    expect(Buffer.from(result.bytes).equals(Buffer.from(reencoded))).toBe(true);
  });

  it("writes a large fan-out's spec as encoding the whole spec at once would, byte for byte", async () => {
    const { dynamic } = await import("../src/index.js");
    // 3,000 nodes: far more bytes than the writer starts with (it grows many times), every node over 127 bytes.
    const fan = dynamic({ name: "flows.fan", inputs: { n: t.int() }, outputs: { o0: t.list(t.int()) } }, ({ n }) => ({
      o0: Array.from({ length: n }, (_, i) => add({ a: i, b: n }).o0),
    }));
    const result = await compileDynamic(fan, { n: 3000 }, ctx);
    if (result.kind !== "futures") throw new Error("expected futures");
    expect(result.bytes.length).toBeGreaterThan(300_000);
    expect(result.spec.nodes).toHaveLength(3000);
    expect(result.spec.nodes?.[2999]?.inputs?.[0]?.binding?.scalar?.primitive?.integer?.toString()).toBe("2999");
    const reencoded = flyteidl.core.DynamicJobSpec.encode(result.spec as flyteidl.core.DynamicJobSpec).finish();
    expect(Buffer.from(result.bytes).equals(Buffer.from(reencoded))).toBe(true);
    expect(Buffer.concat(result.chunks).equals(Buffer.from(result.bytes))).toBe(true);
  });

  it("embeds called workflows as sub-workflows together with their tasks", async () => {
    const { dynamic } = await import("../src/index.js");
    const viaWorkflow = dynamic({ name: "flows.via_wf", inputs: { a: t.int() }, outputs: { o0: t.string() } }, ({ a }) => ({ o0: outer({ a }).o0 }));
    const result = await compileDynamic(viaWorkflow, { a: 1 }, ctx);
    if (result.kind !== "futures") throw new Error("expected futures");
    expect(result.spec.subworkflows?.map((s) => s.id?.name)).toEqual(["flows.inner", "flows.outer"]);
    expect(result.spec.tasks?.map((x) => x.id?.name)).toEqual(["flows.add", "flows.show"]);
  });

  it("calls nested dynamics as plain task nodes", async () => {
    const { dynamic } = await import("../src/index.js");
    const nest = dynamic({ name: "flows.nest", inputs: { n: t.int() }, outputs: { o0: t.int() } }, ({ n }) => ({ o0: fan({ n: n * 2 }).o0 }));
    const result = await compileDynamic(nest, { n: 1 }, ctx);
    if (result.kind !== "futures") throw new Error("expected futures");
    expect(result.spec.nodes?.[0]?.taskNode?.referenceId?.name).toBe("flows.fan");
    expect(result.spec.tasks?.[0]?.container?.env?.map((e) => e.key)).toEqual(["_FTS_SS_C"]);
  });

  it("reports outputs bound to the wrong type, naming the output and the node", async () => {
    const { dynamic } = await import("../src/index.js");
    const bad = dynamic({ name: "flows.bad", inputs: { n: t.int() }, outputs: { o0: t.int() } }, () => ({ o0: show({ x: 1 }).o0 as never }));
    await expect(compileDynamic(bad, { n: 1 }, ctx)).rejects.toThrow(/\[MismatchingTypes\] node end-node, variable "o0": expected integer, got string from output "o0" of node dn0/);
  });

  it("warns, with node count and bytes, when the spec nears the futures.pb limit", async () => {
    const warnings: string[] = [];
    const big = (await import("../src/index.js")).dynamic(
      { name: "flows.big", inputs: { n: t.int() }, outputs: {} },
      ({ n }) => {
        for (let i = 0; i < n; i++) show({ x: i });
        return {};
      },
    );
    await compileDynamic(big, { n: 30_000 }, ctx, { warn: (m) => warnings.push(m) });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/built 30000 nodes whose spec is \d+ bytes, (over|close to) the 2097152-byte limit.*map task/);
  });
});

describe("rendering a compiled graph", () => {
  it("draws Mermaid and DOT with every data edge, start and end", async () => {
    const { renderGraph } = await import("../src/index.js");
    const compiled = await new WorkflowCompiler(ctx).compile(outer);
    expect(renderGraph(compiled.template)).toBe(
      ["flowchart LR", "  start((start))", "  end_((end))", '  n0["n0: flows.inner"]', '  n1["n1: flows.show"]', "  start --> n0", "  n0 --> n1", "  n1 --> end_"].join("\n"),
    );
    const dot = renderGraph(compiled.template, "dot");
    expect(dot).toContain('n1 [shape=box, label="n1: flows.show"];');
    expect(dot).toContain("n0 -> n1;");
    const dynamicSpec = await compileDynamic(fan, { n: 2 }, ctx);
    if (dynamicSpec.kind !== "futures") throw new Error("expected futures");
    expect(renderGraph(dynamicSpec.spec)).toContain("dn0 --> dn2");
  });
});
