import { describe, expect, it } from "vitest";
import { InvalidSettingsError } from "@flytekit-ts/resources";
import { flyteidl, toProtoJson } from "@flytekit-ts/idl";
import { t } from "@flytekit-ts/types";
import { z } from "zod";
import {
  CompileError,
  WorkflowCompiler,
  WorkflowUsageError,
  approve,
  compileDynamic,
  conditional,
  dnsify,
  dynamic,
  eq,
  flyteError,
  gt,
  launchPlan,
  mapTask,
  mapTaskName,
  referenceTask,
  referenceWorkflow,
  registrationBundle,
  runsBefore,
  sleep,
  task,
  waitForInput,
  withOverrides,
  workflow,
  workflowSpec,
  type AnyEntity,
  type Ref,
} from "../src/index.js";
import { add, ctx, inner, show, stats } from "./fixtures.js";

const nodesOf = async (wf: AnyEntity) => {
  const template = (await new WorkflowCompiler(ctx).compile(wf as never)).template;
  return (toProtoJson(flyteidl.core.WorkflowTemplate, flyteidl.core.WorkflowTemplate.fromObject(template as never)) as { nodes: Record<string, unknown>[] }).nodes;
};

async function problems(wf: AnyEntity) {
  const error = await new WorkflowCompiler(ctx).compile(wf as never).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(CompileError);
  return (error as CompileError).problems;
}

const half = task({ name: "flows.half", inputs: { x: t.float() }, outputs: { o0: t.float() } }, ({ x }) => ({ o0: x / 2 }));
const flag = task({ name: "flows.flag", inputs: { x: t.int() }, outputs: { o0: t.boolean() } }, ({ x }) => ({ o0: x > 0 }));

describe("node ids follow flytekit's _dnsify", () => {
  it.each([
    ["Train_Big_Model", "train-big-model"],
    ["_private.node", "private-node"],
    ["my node!", "mynode"],
    ["HTTPServer", "h-t-t-p-server"],
    ["trailing_", "trailing"],
    ["a".repeat(70), `e93442db5d-${"a".repeat(52)}`],
  ])("%s → %s", (name, id) => expect(dnsify(name)).toBe(id));
});

describe("map tasks", () => {
  it("are named with flytekit's md5 of bound inputs, concurrency, min successes and ratio", () => {
    const name = "tests.flytekit.unit.core.test_array_node_map_task.many_inputs";
    const prefix = "tests.flytekit.unit.core.test_array_node_map_task.map_many_inputs_";
    // The names flytekit's own tests assert (test_inputs_outputs_length).
    expect(mapTaskName(name, [], undefined, undefined, 1)).toBe(`${prefix}6b3bd0353da5de6e84d7982921ead2b3-arraynode`);
    expect(mapTaskName(name, ["c"], undefined, undefined, 1)).toBe(`${prefix}7df6892fe8ce5343c76197a0b6127e80-arraynode`);
    expect(mapTaskName(name, ["c", "b"], undefined, undefined, 1)).toBe(`${prefix}80fd21f14571026755b99d6b1c045089-arraynode`);
    expect(mapTaskName(name, ["a", "c", "b"], undefined, undefined, 1)).toBe(`${prefix}5d2500dc176052a030efda3b8c283f96-arraynode`);
    expect(mapTaskName(name, [], 2, undefined, 1)).not.toBe(mapTaskName(name, [], undefined, undefined, 1));
  });

  it("refuse what flytekit refuses, at the declaration", () => {
    const two = task({ name: "flows.two", inputs: { a: t.int() }, outputs: { o0: t.int(), o1: t.int() } }, ({ a }) => ({ o0: a, o1: a }));
    const d = dynamic({ name: "flows.dyn", inputs: { a: t.int() } }, () => ({}));
    expect(() => mapTask(two)).toThrow(/at most one output/);
    expect(() => mapTask(d as never)).toThrow(/only plain tasks can be mapped.*dynamic workflow/);
    expect(() => mapTask(inner as never)).toThrow(/only plain tasks can be mapped.*workflow/);
    expect(() => mapTask(add, { boundInputs: ["c" as never] })).toThrow(/bound input "c" is not an input of flows.add/);
    expect(() => mapTask(add, { boundInputs: ["a", "b"] })).toThrow(/nothing to map over/);
    expect(() => mapTask(add, { minSuccessRatio: 1.5 })).toThrow(/minSuccessRatio must be a number from 0 to 1/);
    expect(() => mapTask(add, { concurrency: -1 })).toThrow(/concurrency must be a whole number/);
  });

  it("type-check the list inputs and report problems at the node", async () => {
    const wf = workflow({ name: "flows.map_bad", inputs: { xs: t.list(t.string()) }, outputs: {} }, ({ xs }) => {
      mapTask(add, { boundInputs: ["b"] })({ a: xs as never, b: 1 });
      return {};
    });
    expect((await problems(wf)).map((p) => [p.kind, p.nodeId, p.variable])).toEqual([["MismatchingTypes", "n0", "a"]]);
  });

  it("take node overrides: metadata on the array node, resources and image on the mapped task node", async () => {
    const wf = workflow({ name: "flows.map_overrides", inputs: { xs: t.list(t.int()) }, outputs: {} }, ({ xs }) => {
      withOverrides(mapTask(add, { boundInputs: ["b"] })({ a: xs, b: 1 }), { retries: 4, requests: { memory: "1Gi" }, containerImage: "img:2", nodeName: "fan" });
      return {};
    });
    const [node] = await nodesOf(wf);
    expect(node).toMatchObject({
      id: "fan",
      metadata: { retries: { retries: 4 } },
      arrayNode: { node: { metadata: { retries: {} }, taskNode: { overrides: { resources: { requests: [{ name: "MEMORY", value: "1Gi" }] }, containerImage: "img:2" } } }, boundInputs: ["b"] },
    });
  });

  it("with a ratio below 1 give optional outputs, which a task expecting plain values refuses", async () => {
    const wf = workflow({ name: "flows.map_optional", inputs: { xs: t.list(t.int()) }, outputs: {} }, ({ xs }) => {
      const mapped = mapTask(add, { boundInputs: ["b"], minSuccessRatio: 0.8 })({ a: xs, b: 1 }).o0;
      stats({ xs: mapped as never });
      return {};
    });
    const [problem] = await problems(wf);
    expect(problem).toMatchObject({ kind: "MismatchingTypes", nodeId: "n1", variable: "xs" });
    expect(problem?.message).toMatch(/expected list<integer>, got list<union<integer \| none>>/);
  });
});

describe("conditionals", () => {
  it("report unfinished conditionals, bad cases and mismatched branches", async () => {
    const unfinished = workflow({ name: "flows.unfinished", inputs: { a: t.int() }, outputs: {} }, ({ a }) => {
      conditional("dangling").if(a.gt(1)).then(() => show({ x: a }));
      show({ x: a });
      return {};
    });
    expect((await problems(unfinished)).map((p) => [p.kind, p.nodeId])).toEqual([["BranchNodeHasNoDefault", 'conditional "dangling"']]);

    const mismatched = workflow({ name: "flows.mismatched", inputs: { a: t.int() }, outputs: {} }, ({ a }) => {
      conditional("kinds").if(a.gt(1)).then(() => show({ x: a })).else().then(() => add({ a, b: 1 }));
      return {};
    });
    expect((await problems(mismatched))[0]).toMatchObject({ kind: "MismatchingInterfaces", nodeId: "n0", variable: "o0" });
  });

  it("throw at the line for misuse", () => {
    const run = (body: (a: Ref<number>) => void) =>
      new WorkflowCompiler(ctx).compile(
        workflow({ name: `flows.misuse_${Math.random().toString(36).slice(2)}`, inputs: { a: t.int() }, outputs: {} }, ({ a }) => {
          body(a);
          return {};
        }) as never,
      );
    return Promise.all([
      expect(run((a) => conditional("c").if(a.gt(1)).then(show({ x: a }) as never))).rejects.toThrow(/takes a function that makes the branch's call/),
      expect(run((a) => conditional("c").if(a.gt(1)).then(() => ({ o0: a }) as never))).rejects.toThrow(/made no call/),
      expect(
        run((a) =>
          conditional("c")
            .if(a.gt(1))
            .then(() => {
              show({ x: a });
              return show({ x: a });
            }),
        ),
      ).rejects.toThrow(/made 2 calls \(put several calls in a workflow/),
      expect(run(() => conditional("c").if(eq(1, 2)))).rejects.toThrow(/compares two plain values.*use a plain if/),
      expect(run((a) => conditional("c").if((a as unknown as number) > 3 as never))).rejects.toThrow(/used as a plain value/),
      expect(run(() => conditional("c").if(true as never))).rejects.toThrow(/takes conditions such as x.gt\(3\).*plain boolean true/),
    ]);
  });

  it("check what is compared, as FlytePropeller does, naming the branch node and operand", async () => {
    const wf = workflow({ name: "flows.compare", inputs: { a: t.int(), s: t.string(), xs: t.list(t.int()) }, outputs: {} }, ({ a, s, xs }) => {
      const out = conditional("compare")
        .if(a.gt("three" as never))
        .then(() => show({ x: a }))
        .elif(s.eq(a as never))
        .then(() => show({ x: a }))
        .elif(gt(xs as never, 1))
        .then(() => show({ x: a }))
        .else()
        .fail("no");
      void out;
      return {};
    });
    expect((await problems(wf)).map((p) => [p.kind, p.nodeId, p.variable])).toEqual([
      ["MismatchingTypes", "n0", ".a"],
      ["MismatchingTypes", "n0", ".s"],
      ["IllegalValue", "n0", ".xs"],
    ]);
  });

  it("keep a branch's inner nodes to itself", async () => {
    const wf = workflow({ name: "flows.leak", inputs: { a: t.int() }, outputs: { o0: t.string() } }, ({ a }) => {
      let leaked: Ref<string> | undefined;
      conditional("c")
        .if(a.gt(1))
        .then(() => {
          const out = show({ x: a });
          leaked = out.o0;
          return out;
        })
        .else()
        .fail("no");
      return { o0: leaked as Ref<string> };
    });
    const [problem] = await problems(wf);
    expect(problem).toMatchObject({ kind: "IllegalValue", nodeId: "end-node", variable: "o0" });
    expect(problem?.message).toMatch(/branch of a conditional \(use the conditional's outputs\)/);
  });

  it("compare attributes of structured outputs, with the path in the operand name", async () => {
    const wf = workflow({ name: "flows.attr_branch", inputs: { xs: t.list(t.int()) }, outputs: { o0: t.string() } }, ({ xs }) => {
      const s = stats({ xs }).o0;
      return { o0: conditional("big").if(s.count.gt(10)).then(() => show({ x: s.count })).else().then(() => show({ x: 0 })).o0 };
    });
    const [, branch] = await nodesOf(wf);
    expect(branch).toMatchObject({
      inputs: [{ var: "n0.o0.count", binding: { promise: { nodeId: "n0", var: "o0", attrPath: [{ stringValue: "count" }] } } }],
      branchNode: { ifElse: { case: { condition: { comparison: { operator: "GT", leftValue: { var: "n0.o0.count" }, rightValue: { primitive: { integer: "10" } } } } } } },
    });
  });
});

describe("launch plans", () => {
  const wf = workflow({ name: "flows.lp_wf", inputs: { a: t.int(), b: t.int(), when: t.datetime() }, outputs: { o0: t.int() }, defaults: { b: 2 } }, ({ a, b }) => ({
    o0: add({ a, b }).o0,
  }));

  it("refuse bad declarations where they are made", () => {
    expect(() => launchPlan(wf, { name: "lp1", defaultInputs: { c: 1 } as never })).toThrow(/default input "c" is not an input of workflow flows.lp_wf/);
    expect(() => launchPlan(wf, { name: "lp1", defaultInputs: { a: "x" as never } })).toThrow(/default input "a": .*integer/);
    expect(() => launchPlan(wf, { name: "lp1", defaultInputs: { a: 1 }, fixedInputs: { a: 2 } })).toThrow(/both a default and a fixed input/);
    expect(() => launchPlan(wf, { defaultInputs: { a: 1 } })).toThrow(/needs a name of its own/);
    expect(() => launchPlan(wf, { name: "lp1", schedule: { cron: "every day" } })).toThrow(/cron expression/);
    expect(() => launchPlan(wf, { name: "lp1", fixedInputs: { a: 1 }, schedule: { fixedRate: 90 } })).toThrow(/whole number of minutes/);
    expect(() => launchPlan(wf, { name: "lp1", fixedInputs: { a: 1 }, schedule: { cron: "@daily", kickoffTimeInput: "a" } })).toThrow(/must name a datetime input/);
    expect(() => launchPlan(wf, { name: "lp1", schedule: { cron: "@daily", kickoffTimeInput: "when" } })).toThrow(/input "a" has no default or fixed value/);
    expect(() => launchPlan(wf, { name: "lp1", notifications: [{ phases: ["DONE" as never], email: ["a@b"] }] })).toThrow(/phase "DONE"/);
  });

  it("refuse fixed inputs at the call and report missing ones", async () => {
    const lp = launchPlan(wf, { name: "flows.lp_fixed", fixedInputs: { a: 1 } });
    const caller = workflow({ name: "flows.lp_caller", outputs: {} }, () => {
      lp({ a: 5 } as never);
      return {};
    });
    expect((await problems(caller)).map((p) => [p.kind, p.nodeId, p.variable])).toEqual([
      ["IllegalValue", "n0", "a"],
      ["ParameterNotBound", "n0", "when"],
    ]);
  });

  it("register before the workflows that call them, once, with distinct names", async () => {
    const lp = launchPlan(wf, { name: "flows.lp_named", defaultInputs: { a: 1 } });
    const caller = workflow({ name: "flows.lp_caller2", inputs: { when: t.datetime() }, outputs: {} }, ({ when }) => {
      // b has the workflow's default (filled in at compile time; types do not track workflow defaults).
      lp({ when } as never);
      lp({ when, a: 3 } as never);
      return {};
    });
    const entries = await registrationBundle([caller, lp], ctx);
    expect(entries.map((e) => `${e.kind}:${e.name}`)).toEqual(["task:flows.add", "workflow:flows.lp_wf", "launchPlan:flows.lp_named", "workflow:flows.lp_caller2", "launchPlan:flows.lp_caller2"]);
    const clash = launchPlan(wf, { name: "flows.lp_caller2", defaultInputs: { a: 1 } });
    await expect(registrationBundle([caller, clash], ctx)).rejects.toThrow(/two different launch plans are declared with this name/);
  });
});

describe("references", () => {
  it("need all four parts of the id, and a template that matches the declared interface", () => {
    expect(() => referenceTask({ project: "p", domain: "d", name: "x", version: "" }, {}, {})).toThrow(/"version" must be a non-empty string/);
    expect(() =>
      referenceTask({ project: "p", domain: "d", name: "x", version: "1" }, { a: t.int() }, {}, { template: { interface: { inputs: { variables: { a: { type: { simple: 3 } } } } } } }),
    ).toThrow(/input "a" is declared integer but the template has string/);
  });

  it("call a workflow only with its template, as flytekit refuses reference sub-workflows", async () => {
    const ref = referenceWorkflow({ project: "p", domain: "d", name: "other.wf", version: "1" }, { a: t.int() }, { o0: t.int() });
    const wf = workflow({ name: "flows.ref_wf", outputs: { o0: t.int() } }, () => ({ o0: ref({ a: 1 }).o0 }));
    const [problem] = await problems(wf);
    expect(problem).toMatchObject({ kind: "WorkflowReferenceNotFound", nodeId: "n0" });
    expect(problem?.message).toMatch(/referenceLaunchPlan/);

    const template = (await new WorkflowCompiler(ctx).compile(inner)).template;
    const withTemplate = referenceWorkflow({ project: "p", domain: "d", name: "flows.inner", version: "1" }, { a: t.int() }, { o0: t.int() }, { template: { template } });
    const ok = workflow({ name: "flows.ref_wf_ok", outputs: { o0: t.int() } }, () => ({ o0: withTemplate({ a: 1 }).o0 }));
    const spec = workflowSpec(await new WorkflowCompiler(ctx).compile(ok));
    expect(spec.template?.nodes?.[0]?.workflowNode?.subWorkflowRef).toMatchObject({ project: "p", name: "flows.inner", version: "1" });
    expect(spec.subWorkflows?.map((s) => s.id?.name)).toEqual(["flows.inner"]);
  });
});

describe("overrides and ordering", () => {
  it("validate settings where they are given", () => {
    const run = (settings: object, target: "task" | "workflow" = "task") =>
      new WorkflowCompiler(ctx).compile(
        workflow({ name: `flows.ov_${Math.random().toString(36).slice(2)}`, inputs: { a: t.int() }, outputs: {} }, ({ a }) => {
          withOverrides(target === "task" ? add({ a, b: 1 }) : inner({ a }), settings as never);
          return {};
        }) as never,
      );
    return Promise.all([
      expect(run({ retries: -1 })).rejects.toThrow(InvalidSettingsError),
      expect(run({ requests: { cpu: "lots" } })).rejects.toThrow(/requests\.cpu/),
      expect(run({ nodeName: "!!" })).rejects.toThrow(/nodeName/),
      expect(run({ requests: { cpu: "1" } }, "workflow")).rejects.toThrow(/requests can only be overridden on a node that runs a task; this node runs workflow flows.inner/),
      expect(run({ retries: 2, timeout: 0 }, "workflow")).resolves.toBeDefined(),
    ]);
  });

  it("rename nodes (and the references to them), merge repeated overrides, and drop a zero timeout", async () => {
    const slow = task({ name: "flows.slow", inputs: { a: t.int() }, outputs: { o0: t.int() }, timeout: 60 }, ({ a }) => ({ o0: a }));
    const wf = workflow({ name: "flows.rename", inputs: { a: t.int() }, outputs: { o0: t.int() } }, ({ a }) => {
      const first = withOverrides(withOverrides(slow({ a }), { nodeName: "First.Step", retries: 1 }), { timeout: 0, interruptible: false });
      return { o0: add({ a: first.o0, b: 1 }).o0 };
    });
    const [first, second] = await nodesOf(wf);
    expect(first).toMatchObject({ id: "first-step", metadata: { name: "slow", retries: { retries: 1 }, interruptible: false } });
    expect(first?.["metadata"]).not.toHaveProperty("timeout");
    expect(second).toMatchObject({ upstreamNodeIds: ["first-step"], inputs: [{ binding: { promise: { nodeId: "first-step" } } }, {}] });
  });

  it("report duplicate ids and cycles, and refuse ordering across bodies", async () => {
    const dup = workflow({ name: "flows.dup", inputs: { a: t.int() }, outputs: {} }, ({ a }) => {
      withOverrides(add({ a, b: 1 }), { nodeName: "same" });
      withOverrides(add({ a, b: 2 }), { nodeName: "same" });
      return {};
    });
    expect((await problems(dup))[0]).toMatchObject({ kind: "DuplicateNodeID", nodeId: "same" });

    const cycle = workflow({ name: "flows.cycle", inputs: { a: t.int() }, outputs: {} }, ({ a }) => {
      const x = add({ a, b: 1 });
      const y = add({ a: x.o0, b: 1 });
      runsBefore(y, x);
      return {};
    });
    expect((await problems(cycle))[0]).toMatchObject({ kind: "CycleDetected", nodeId: "n0, n1" });

    const across = workflow({ name: "flows.across", inputs: { a: t.int() }, outputs: {} }, ({ a }) => {
      const x = add({ a, b: 1 });
      conditional("c")
        .if(a.gt(0))
        .then(() => {
          const y = add({ a, b: 2 });
          runsBefore(x, y);
          return y;
        })
        .else()
        .fail("no");
      return {};
    });
    await expect(new WorkflowCompiler(ctx).compile(across)).rejects.toThrow(/nodes n0 and n0 are in different bodies \(or branches\)/);
    const input = workflow({ name: "flows.input_order", inputs: { a: t.int() }, outputs: {} }, ({ a }) => {
      runsBefore(a, add({ a, b: 1 }));
      return {};
    });
    await expect(new WorkflowCompiler(ctx).compile(input)).rejects.toThrow(/runsBefore: workflow input "a" is not a node/);
  });
});

describe("gates", () => {
  it("refuse misuse at the line", () => {
    expect(() => sleep(10)).toThrow(/sleep\(…\) was used outside a workflow or dynamic body/);
    const run = (body: () => void) =>
      new WorkflowCompiler(ctx).compile(
        workflow({ name: `flows.gate_${Math.random().toString(36).slice(2)}`, outputs: {} }, () => {
          body();
          return {};
        }) as never,
      );
    return Promise.all([
      expect(run(() => approve(3 as never, "ok"))).rejects.toThrow(/approves a node output/),
      expect(run(() => approve(show({ x: 1 }).o0, ""))).rejects.toThrow(/needs a name/),
      expect(run(() => waitForInput("x", "string" as never))).rejects.toThrow(/needs the type of the value/),
      expect(run(() => sleep(0))).rejects.toThrow(/more than zero/),
      expect(run(() => sleep({ weeks: 1 } as never))).rejects.toThrow(/must be seconds or \{ days\?/),
    ]);
  });

  it("type-check what flows out of them", async () => {
    const wf = workflow({ name: "flows.gate_types", outputs: {} }, () => {
      const n = waitForInput("count", t.string());
      add({ a: n as never, b: 1 });
      return {};
    });
    expect((await problems(wf))[0]).toMatchObject({ kind: "MismatchingTypes", nodeId: "n1", variable: "a" });
  });
});

describe("failure nodes", () => {
  it("must take every workflow input; extra inputs must be optional", async () => {
    const handler = task({ name: "flows.handler", inputs: { a: t.string(), extra: t.int(), err: t.optional(flyteError()) } }, () => ({}));
    const wf = workflow({ name: "flows.fails", inputs: { a: t.int(), b: t.int() }, outputs: {}, onFailure: handler }, ({ a, b }) => {
      add({ a, b });
      return {};
    });
    expect((await problems(wf)).map((p) => [p.kind, p.nodeId, p.variable])).toEqual([
      ["MismatchingInterfaces", "fn0", "a"],
      ["MismatchingInterfaces", "fn0", "b"],
      ["MismatchingInterfaces", "fn0", "extra"],
    ]);
    expect(() => workflow({ name: "flows.bad_handler", onFailure: launchPlan(inner) as never }, () => ({}))).toThrow(/onFailure must be a task or a workflow, got a launchPlan/);
  });

  it("are not compiled in dynamics, which have none; a dynamic can still call a workflow that has one", async () => {
    const cleanup = task({ name: "flows.cleanup", inputs: { a: t.int(), err: t.optional(flyteError()) } }, () => ({}));
    const guarded = workflow({ name: "flows.guarded", inputs: { a: t.int() }, outputs: { o0: t.int() }, onFailure: cleanup }, ({ a }) => ({ o0: add({ a, b: 1 }).o0 }));
    const d = dynamic({ name: "flows.calls_guarded", inputs: { n: t.int() }, outputs: { o0: t.int() } }, ({ n }) => ({ o0: guarded({ a: n }).o0 }));
    const result = await compileDynamic(d, { n: 1 }, ctx);
    if (result.kind !== "futures") throw new Error("expected futures");
    expect(result.spec.subworkflows?.[0]?.failureNode?.id).toBe("dfn0");
    expect(result.spec.tasks?.map((x) => x.id?.name)).toEqual(["flows.add", "flows.cleanup"]);
  });
});

describe("optional inputs", () => {
  it("may be left out of a call and are bound to none, as current flytekit binds them", async () => {
    const greet = task({ name: "flows.greet", inputs: { name: t.string(), title: t.optional(t.string()) }, outputs: { o0: t.string() } }, ({ name, title }) => ({
      o0: `${title ?? ""} ${name}`,
    }));
    const wf = workflow({ name: "flows.greet_wf", outputs: { o0: t.string() } }, () => ({ o0: greet({ name: "x" }).o0 }));
    const [node] = await nodesOf(wf);
    expect(node?.["inputs"]).toEqual([
      { var: "name", binding: { scalar: { primitive: { stringValue: "x" } } } },
      { var: "title", binding: { scalar: { union: { value: { scalar: { noneType: {} } }, type: { simple: "NONE", structure: { tag: "none" } } } } } },
    ]);
  });
});

describe("structured conditions", () => {
  it("refuse comparing whole structs", async () => {
    const Point = z.object({ x: z.int() });
    const point = task({ name: "flows.point", outputs: { o0: t.struct(Point, { title: "Point" }) } }, () => ({ o0: { x: 1 } }));
    const wf = workflow({ name: "flows.struct_compare", outputs: {} }, () => {
      const p = point({}).o0;
      conditional("c")
        .if(eq(p as never, 1 as never))
        .then(() => show({ x: p.x }))
        .else()
        .fail("no");
      return {};
    });
    expect((await problems(wf))[0]).toMatchObject({ kind: "IllegalValue", nodeId: "n1", variable: "n0.o0" });
  });
});

describe("halving floats in a branch", () => {
  it("converts constants by the compared value's type (3 compared with a float is 3.0)", async () => {
    const wf = workflow({ name: "flows.float_branch", inputs: { x: t.float(), n: t.int() }, outputs: { o0: t.float() } }, ({ x, n }) => ({
      o0: conditional("c").if(x.gt(3).or(flag({ x: n }).o0.isFalse())).then(() => half({ x })).else().then(() => half({ x: 1 })).o0,
    }));
    const nodes = await nodesOf(wf);
    expect(nodes[1]).toMatchObject({
      branchNode: {
        ifElse: {
          case: {
            condition: {
              conjunction: {
                operator: "OR",
                leftExpression: { comparison: { operator: "GT", leftValue: { var: ".x" }, rightValue: { primitive: { floatValue: 3 } } } },
                rightExpression: { comparison: { leftValue: { var: "n0.o0" }, rightValue: { primitive: { boolean: false } } } },
              },
            },
          },
        },
      },
    });
  });
});
