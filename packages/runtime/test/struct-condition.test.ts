import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { conditional, dynamic, task, workflow } from "@flytekit-ts/compiler";
import { flyteidl } from "@flytekit-ts/idl";
import { fromLiteralMap, guessType, t, toLiteralMap, type TypeDescriptor } from "@flytekit-ts/types";
import { LocalExecutor, mock, runLocally } from "../src/index.js";

const scratch = () => ({ workDir: mkdtempSync(join(tmpdir(), "flyte-ts-struct-cond-")) });

const Stats = z.object({ total: z.int(), label: z.string() });
const fanOut = task({ name: "cond_struct.fan_out", inputs: { n: t.int() }, outputs: { o0: t.struct(Stats, { title: "Stats" }) } }, ({ n }) => ({
  o0: { total: n, label: "x" },
}));
const big = task({ name: "cond_struct.big", inputs: { n: t.int() }, outputs: { o0: t.int() } }, ({ n }) => ({ o0: n * 2 }));
const small = task({ name: "cond_struct.small", inputs: { n: t.int() }, outputs: { o0: t.int() } }, ({ n }) => ({ o0: n }));

const inWorkflow = workflow({ name: "cond_struct.wf", inputs: { n: t.int() }, outputs: { o0: t.int() } }, ({ n }) => {
  const s = fanOut({ n }).o0;
  return { o0: conditional("size").if(s.total.gt(10)).then(() => big({ n })).else().then(() => small({ n })).o0 };
});
const inDynamic = dynamic({ name: "cond_struct.dyn", inputs: { n: t.int() }, outputs: { o0: t.int() } }, ({ n }) => {
  const s = fanOut({ n }).o0;
  return { o0: conditional("size").if(s.total.gt(10).and(s.label.eq("x"))).then(() => big({ n })).else().then(() => small({ n })).o0 };
});

describe("a condition on a struct output's field, run locally", () => {
  it("takes the branch the field's value selects, in a workflow and in a dynamic", async () => {
    expect(await runLocally(inWorkflow, { n: 20 }, scratch())).toEqual({ o0: 40 });
    expect(await runLocally(inWorkflow, { n: 3 }, scratch())).toEqual({ o0: 3 });
    expect(await runLocally(inDynamic, { n: 20 }, scratch())).toEqual({ o0: 40 });
    expect(await runLocally(inDynamic, { n: 3 }, scratch())).toEqual({ o0: 3 });
  });

  it("evaluates flytekit's own branch node for `s.total > 10` (its input named after the whole output)", async () => {
    const dir = resolve(dirname(fileURLToPath(import.meta.url)), "../../compiler/test/fixtures/flytekit-struct-condition");
    const file = (suffix: string) => readFileSync(join(dir, readdirSync(dir).find((f) => f.endsWith(suffix)) as string));
    const template = flyteidl.admin.WorkflowSpec.decode(file(".wf_2.pb")).template as flyteidl.core.WorkflowTemplate;
    const tasks = [".fan_out_1.pb", ".big_1.pb", ".small_1.pb"].map((s) => flyteidl.admin.TaskSpec.decode(file(s)).template as flyteidl.core.TaskTemplate);
    const vars = (m: flyteidl.core.IVariableMap | null | undefined) =>
      Object.fromEntries(Object.entries(m?.variables ?? {}).map(([k, v]) => [k, guessType(v.type ?? {})])) as Record<string, TypeDescriptor<unknown>>;
    const mockOf = (name: string, run: (inputs: Record<string, unknown>) => Record<string, unknown>) => {
      const iface = tasks.find((x) => x.id?.name === name)?.interface;
      return mock({ name, inputs: vars(iface?.inputs), outputs: vars(iface?.outputs) }, run as never);
    };
    const mocks = [
      mockOf("cond_struct.fan_out", ({ n }) => ({ o0: { total: n, label: "x" } })),
      mockOf("cond_struct.big", ({ n }) => ({ o0: Number(n) * 2 })),
      mockOf("cond_struct.small", ({ n }) => ({ o0: n })),
    ];
    const run = async (n: number) => {
      const executor = new LocalExecutor({ ...scratch(), mocks });
      const inputs = await toLiteralMap({ n: guessType({ simple: flyteidl.core.SimpleType.INTEGER }) }, { n });
      const outputs = await executor.runGraph(template.nodes, template.outputs, inputs, "");
      return fromLiteralMap({ o0: guessType({ simple: flyteidl.core.SimpleType.INTEGER }) }, outputs);
    };
    expect(await run(20)).toEqual({ o0: 40 });
    expect(await run(3)).toEqual({ o0: 3 });
  });
});

describe("a condition that reads a whole struct", () => {
  it("fails naming what it reads, instead of silently being false", async () => {
    const { evaluate } = await import("../src/local/conditions.js");
    const inputs = await toLiteralMap({ s: t.struct(Stats, { title: "Stats" }) }, { s: { total: 3, label: "x" } });
    const condition = { comparison: { operator: flyteidl.core.ComparisonExpression.Operator.GT, leftValue: { var: "s" }, rightValue: { primitive: { integer: 1 } } } };
    expect(() => evaluate(condition, inputs)).toThrow(/the condition reads "s", which holds a struct: conditions compare primitive values/);
  });

  it("still compares None with None and an optional value that is set", async () => {
    const { evaluate } = await import("../src/local/conditions.js");
    const inputs = await toLiteralMap({ a: t.optional(t.int()), b: t.optional(t.int()) }, { a: null, b: 4 });
    const eqNone = (name: string) => ({ comparison: { operator: flyteidl.core.ComparisonExpression.Operator.EQ, leftValue: { var: name }, rightValue: { scalar: { noneType: {} } } } });
    expect(evaluate(eqNone("a"), inputs)).toBe(true);
    expect(evaluate(eqNone("b"), inputs)).toBe(false);
  });
});
