import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { flyteidl, fromProtoJson } from "@flytekit-ts/idl";
import { fromLiteralMap, guessType, toLiteralMap, type TypeDescriptor } from "@flytekit-ts/types";
import { LocalExecutor, mock, type Mock } from "../src/index.js";

const testdata = resolve(dirname(fileURLToPath(import.meta.url)), "../../../../shared/conformance/flyte/flytepropeller/pkg/compiler/test/testdata/branch");

function load(name: string) {
  return fromProtoJson(flyteidl.core.WorkflowClosure, JSON.parse(readFileSync(join(testdata, name), "utf8")));
}

/** Descriptors for a Python task's interface, so that it can be mocked by name. */
function mockTask(closure: flyteidl.core.WorkflowClosure, name: string, run: (inputs: Record<string, unknown>) => Record<string, unknown>): Mock {
  const template = closure.tasks.find((t) => t.id?.name === name);
  const vars = (m: flyteidl.core.IVariableMap | null | undefined) =>
    Object.fromEntries(Object.entries(m?.variables ?? {}).map(([k, v]) => [k, guessType(v.type ?? {})])) as Record<string, TypeDescriptor<unknown>>;
  return mock({ name, inputs: vars(template?.interface?.inputs), outputs: vars(template?.interface?.outputs) }, run as never);
}

describe("branch nodes, run locally on FlytePropeller's own branch fixture", () => {
  const closure = load("success_1.json");
  const wf = closure.workflow as flyteidl.core.WorkflowTemplate;
  const mocks = [mockTask(closure, "test_serialization.t3", ({ a }) => ({ out_0: a })), mockTask(closure, "test_serialization.t2", () => ({ out_0: "took the branch" }))];
  const run = async (a: number) => {
    const executor = new LocalExecutor({ workDir: mkdtempSync(join(tmpdir(), "flyte-ts-branch-")), mocks });
    const inputs = await toLiteralMap({ a: guessType({ simple: flyteidl.core.SimpleType.INTEGER }) }, { a });
    const outputs = await executor.runGraph(wf.nodes, wf.outputs, inputs, "");
    return fromLiteralMap({ out_0: guessType({ simple: flyteidl.core.SimpleType.STRING }) }, outputs);
  };

  it("runs the then-node when the condition holds", async () => {
    expect(await run(1)).toEqual({ out_0: "took the branch" });
  });

  it("fails with the branch's error message when nothing matches", async () => {
    await expect(run(2)).rejects.toThrow(/Unable to choose branch/);
  });
});

describe("conditions", () => {
  it("compare ints, floats, strings and booleans, and combine with and/or", async () => {
    const { evaluate } = await import("../src/local/conditions.js");
    const { Operator } = flyteidl.core.ComparisonExpression;
    const { LogicalOperator } = flyteidl.core.ConjunctionExpression;
    const inputs = await toLiteralMap(
      { x: guessType({ simple: flyteidl.core.SimpleType.INTEGER }), s: guessType({ simple: flyteidl.core.SimpleType.STRING }) },
      { x: 3, s: "a" },
    );
    const cmp = (operator: number, right: flyteidl.core.IPrimitive, left = "x") => ({ comparison: { operator, leftValue: { var: left }, rightValue: { primitive: right } } });
    expect(evaluate(cmp(Operator.GT, { floatValue: 2.5 }), inputs)).toBe(true);
    expect(evaluate(cmp(Operator.LTE, { integer: 2 }), inputs)).toBe(false);
    expect(evaluate(cmp(Operator.EQ, { stringValue: "a" }, "s"), inputs)).toBe(true);
    expect(evaluate(cmp(Operator.NEQ, { integer: 3 }), inputs)).toBe(false);
    const and = { conjunction: { operator: LogicalOperator.AND, leftExpression: cmp(Operator.GT, { integer: 1 }), rightExpression: cmp(Operator.LT, { integer: 3 }) } };
    const or = { conjunction: { operator: LogicalOperator.OR, leftExpression: cmp(Operator.GT, { integer: 9 }), rightExpression: cmp(Operator.GTE, { integer: 3 }) } };
    expect(evaluate(and, inputs)).toBe(false);
    expect(evaluate(or, inputs)).toBe(true);
    expect(() => evaluate(cmp(Operator.EQ, { integer: 1 }, "missing"), inputs)).toThrow(/reads "missing", which the branch node does not bind/);
  });
});

describe("gate nodes", () => {
  const executor = (signals: Record<string, unknown>) => new LocalExecutor({ workDir: mkdtempSync(join(tmpdir(), "flyte-ts-gate-")), signals });
  it("sleep, take approvals and signal values from the run, and fail without them", async () => {
    const sleep = { id: "n0", gateNode: { sleep: { duration: { seconds: 0, nanos: 20_000_000 } } } };
    expect(await executor({}).runGraph([sleep], [], { literals: {} }, "")).toEqual({ literals: {} });
    const signal = { id: "n1", gateNode: { signal: { signalId: "answer", type: { simple: flyteidl.core.SimpleType.INTEGER }, outputVariableName: "o0" } } };
    const outputs = [{ var: "o0", binding: { promise: { nodeId: "n1", var: "o0" } } }];
    const result = await executor({ answer: 42 }).runGraph([signal], outputs, { literals: {} }, "");
    expect(await fromLiteralMap({ o0: guessType({ simple: flyteidl.core.SimpleType.INTEGER }) }, result)).toEqual({ o0: 42 });
    await expect(executor({}).runGraph([signal], outputs, { literals: {} }, "")).rejects.toThrow(/waits for signal "answer"; give its value in the run's signals/);
    const approve = { id: "n2", gateNode: { approve: { signalId: "ok" } } };
    await expect(executor({ ok: false }).runGraph([approve], [], { literals: {} }, "")).rejects.toThrow(/was not approved/);
  });
});
