import { join } from "node:path";
import { flyteidl, fromProtoJson, google } from "@flytekit-ts/idl";
import { describe, expect, it } from "vitest";
import { CompileErrorCode, compileTask, compileWorkflowClosure, formatCompileIssue, launchPlanInterface } from "../../src/closure/index.js";
import { BOOL, FLOAT, INT, STR, basicWorkflow, binding, issuesOf, node, promise, snackTask, snackWorkflow, summary, task, taskRef, vars, workflow } from "./fixtures.js";
import { compilerTestdata, conformance, decodeFile, parseJsonFile } from "./shared.js";

/**
 * Broken variants of propeller's own inputs (flytesnacks basic_workflow.my_wf, the branch closures)
 * and small hand-built workflows, checked for the error kinds FlytePropeller's compiler reports,
 * with the node and variable they name.
 */

const compileBasic = (wf: ReturnType<typeof basicWorkflow>) => () => compileWorkflowClosure({ primary: wf.template, tasks: wf.tasks });

describe("broken variants of basic_workflow.my_wf", () => {
  it("compiles unbroken", () => {
    const wf = basicWorkflow();
    expect(compileWorkflowClosure({ primary: wf.template, tasks: wf.tasks }).primary?.template?.nodes?.map((n) => n.id)).toEqual(["start-node", "end-node", "n0", "n1"]);
  });

  it("a type mismatch: an int output bound to a str input → MismatchingTypes on the node and input", () => {
    const wf = basicWorkflow();
    wf.n1.inputs![0] = promise("a", "n0", "t1_int_output");
    const issues = issuesOf(compileBasic(wf));
    expect(summary(issues)).toEqual(["MismatchingTypes@n1:a"]);
    expect(issues[0]!.message).toBe("The output variable 't1.t1_int_output' has type [integer], but it's assigned to the input variable 't2.a' which has type [string].");
  });

  it("a constant of the wrong type → MismatchingTypes", () => {
    const wf = basicWorkflow();
    wf.n0.inputs![0] = binding({ var: "a", binding: { scalar: { primitive: { stringValue: "x" } } } });
    expect(summary(issuesOf(compileBasic(wf)))).toEqual(["MismatchingTypes@n0:a"]);
  });

  it("an unbound input → ParameterNotBound", () => {
    const wf = basicWorkflow();
    wf.n1.inputs = wf.n1.inputs!.filter((b) => b.var !== "b");
    expect(summary(issuesOf(compileBasic(wf)))).toEqual(["ParameterNotBound@n1:b"]);
  });

  it("an unknown input variable → VariableNameNotFound", () => {
    const wf = basicWorkflow();
    wf.n1.inputs!.push(binding({ var: "bogus", binding: { scalar: { primitive: { integer: 1 } } } }));
    const issues = issuesOf(compileBasic(wf));
    expect(summary(issues)).toEqual(["VariableNameNotFound@n1:bogus"]);
    expect(issues[0]!.message).toBe("Variable [bogus] not found on node [n1].");
  });

  it("an unknown output of the upstream node → VariableNameNotFound on that node, and the input is unbound", () => {
    const wf = basicWorkflow();
    wf.n1.inputs![0] = promise("a", "n0", "nope");
    expect(summary(issuesOf(compileBasic(wf)))).toEqual(["ParameterNotBound@n1:a", "VariableNameNotFound@n0:nope"]);
  });

  it("a promise on a node that does not exist → NodeReferenceNotFound", () => {
    const wf = basicWorkflow();
    wf.n1.inputs![0] = promise("a", "ghost", "c");
    expect(summary(issuesOf(compileBasic(wf)))).toEqual(["NodeReferenceNotFound@ghost", "ParameterNotBound@n1:a"]);
  });

  it("an input bound twice → ParameterBoundMoreThanOnce", () => {
    const wf = basicWorkflow();
    wf.n1.inputs!.push(promise("b", "", "b"));
    expect(summary(issuesOf(compileBasic(wf)))).toEqual(["ParameterBoundMoreThanOnce@n1:b"]);
  });

  it("an unparseable promise variable → SyntaxError", () => {
    const wf = basicWorkflow();
    wf.n1.inputs![0] = promise("a", "n0", "c-d");
    expect(summary(issuesOf(compileBasic(wf)))).toEqual(["SyntaxError@n1:a"]);
  });

  it("a cycle through upstream ids → CycleDetected, with the path", () => {
    const wf = basicWorkflow();
    wf.n0.upstreamNodeIds = ["n1"];
    const issues = issuesOf(compileBasic(wf));
    expect(summary(issues)).toEqual(["CycleDetected@start-node"]);
    expect(issues[0]!.message).toBe("A cycle has been detected while traversing the Workflow [start-node>n0>n1>n0].");
  });

  it("a duplicate node id → DuplicateNodeID (code DuplicateId)", () => {
    const wf = basicWorkflow();
    wf.n1.id = "n0";
    const issues = issuesOf(compileBasic(wf));
    expect(summary(issues)).toContain("DuplicateNodeID@n0");
    expect(issues.find((i) => i.kind === "DuplicateNodeID")!.code).toBe("DuplicateId");
    // The second n0 is not part of the graph, so the output that read n1 now reads nothing.
    expect(summary(issues)).toContain("NodeReferenceNotFound@n1");
  });

  it("a node that nothing leads to → UnreachableNodes", () => {
    const wf = basicWorkflow();
    wf.template.nodes!.push(node({ id: "n2", inputs: [{ var: "a", binding: { scalar: { primitive: { integer: 3 } } } }], upstreamNodeIds: ["ghost"], taskNode: wf.n0.taskNode }));
    const issues = issuesOf(compileBasic(wf));
    expect(summary(issues)).toEqual(["UnreachableNodes@start-node"]);
    expect(issues[0]!.message).toBe("The Workflow contain unreachable nodes [n2].");
  });

  it("a cycle nothing leads into is reported as unreachable nodes, as propeller does", () => {
    const wf = basicWorkflow();
    const constant = [{ var: "a", binding: { scalar: { primitive: { integer: 3 } } } }];
    wf.template.nodes!.push(node({ id: "n2", inputs: constant, upstreamNodeIds: ["n3"], taskNode: wf.n0.taskNode }));
    wf.template.nodes!.push(node({ id: "n3", inputs: constant, upstreamNodeIds: ["n2"], taskNode: wf.n0.taskNode }));
    const issues = issuesOf(compileBasic(wf));
    expect(summary(issues)).toEqual(["UnreachableNodes@start-node"]);
    expect(issues[0]!.message).toContain("[n2,n3]");
  });

  it("a missing task → TaskReferenceNotFound, naming the node that runs it", () => {
    const wf = basicWorkflow();
    const issues = issuesOf(() => compileWorkflowClosure({ primary: wf.template, tasks: [wf.tasks[0]!] }));
    expect(summary(issues)).toEqual(["TaskReferenceNotFound@n1"]);
    expect(issues[0]!.message).toBe('Referenced Task [resource_type:TASK name:"core.flyte_basics.basic_workflow.t2"] not found.');
  });

  it("a workflow output of the wrong type → MismatchingTypes on end-node", () => {
    const wf = basicWorkflow();
    wf.template.outputs![0] = promise("o0", "n0", "c");
    expect(summary(issuesOf(compileBasic(wf)))).toEqual(["MismatchingTypes@end-node:o0"]);
  });

  it("an unbound workflow output → ParameterNotBound on end-node", () => {
    const wf = basicWorkflow();
    wf.template.outputs = wf.template.outputs!.filter((b) => b.var !== "o1");
    expect(summary(issuesOf(compileBasic(wf)))).toEqual(["ParameterNotBound@end-node:o1"]);
  });

  it("two aliases for one output → DuplicateAlias", () => {
    const wf = basicWorkflow();
    wf.n0.outputAliases = [flyteidl.core.Alias.create({ var: "c", alias: "x" }), flyteidl.core.Alias.create({ var: "c", alias: "y" })];
    expect(summary(issuesOf(compileBasic(wf)))).toContain("DuplicateAlias@n0:y");
  });

  it("an output alias renames the output for downstream nodes", () => {
    const wf = basicWorkflow();
    wf.n0.outputAliases = [flyteidl.core.Alias.create({ var: "c", alias: "renamed" })];
    expect(summary(issuesOf(compileBasic(wf)))).toEqual(["ParameterNotBound@n1:a", "VariableNameNotFound@n0:c"]);
    wf.n1.inputs![0] = promise("a", "n0", "renamed");
    expect(() => compileBasic(wf)()).not.toThrow();
  });

  it("reports every problem at once, sorted like propeller (by code, then text)", () => {
    const wf = basicWorkflow();
    wf.n0.inputs![0] = binding({ var: "a", binding: { scalar: { primitive: { stringValue: "x" } } } });
    wf.n1.inputs = [promise("a", "n0", "c"), binding({ var: "zzz", binding: { scalar: { primitive: { integer: 1 } } } })];
    wf.template.outputs = wf.template.outputs!.filter((b) => b.var !== "o1");
    const issues = issuesOf(compileBasic(wf));
    expect(summary(issues)).toEqual(["MismatchingTypes@n0:a", "ParameterNotBound@end-node:o1", "ParameterNotBound@n1:b", "VariableNameNotFound@n1:zzz"]);
    expect(formatCompileIssue(issues[0]!)).toBe("Code: MismatchingTypes, Node Id: n0, Description: Variable [a] (type [string]) doesn't match expected type [integer].");
  });

  it("does not modify its inputs", () => {
    const wf = basicWorkflow();
    const before = flyteidl.core.WorkflowTemplate.toObject(wf.template);
    compileBasic(wf)();
    expect(flyteidl.core.WorkflowTemplate.toObject(wf.template)).toEqual(before);
  });
});

describe("workflow-level checks", () => {
  it("a workflow without nodes → NoNodesFound", () => {
    expect(summary(issuesOf(() => compileWorkflowClosure({ primary: workflow("empty", { interface: {} }), tasks: [] })))).toEqual([
      'NoNodesFound@resource_type:WORKFLOW project:"p" domain:"d" name:"empty" version:"v"',
    ]);
  });

  it("a variable without a type → ValueRequired on start-node", () => {
    const wf = workflow("untyped", { interface: { inputs: { variables: { a: {} } } }, nodes: [{ id: "n0", taskNode: taskRef("t") }] });
    expect(summary(issuesOf(() => compileWorkflowClosure({ primary: wf, tasks: [task("t", {})] })))).toEqual(["ValueRequired@start-node:a"]);
  });

  it("a missing sub-workflow → WorkflowReferenceNotFound on the calling node", () => {
    const spec = snackWorkflow("064_core.control_flow.subworkflows.parent_wf_2.pb");
    const tasks = [snackTask("061_core.control_flow.subworkflows.t1_1.pb")];
    expect(summary(issuesOf(() => compileWorkflowClosure({ primary: spec.template!, tasks })))).toEqual(["WorkflowReferenceNotFound@n1"]);
    expect(() => compileWorkflowClosure(spec, { tasks })).not.toThrow();
  });

  it("two sub-workflows with one id → DuplicateNodeID", () => {
    const spec = snackWorkflow("064_core.control_flow.subworkflows.parent_wf_2.pb");
    const tasks = [snackTask("061_core.control_flow.subworkflows.t1_1.pb")];
    const issues = issuesOf(() => compileWorkflowClosure(spec, { tasks, subWorkflows: spec.subWorkflows }));
    expect(issues.map((i) => i.code)).toEqual(["DuplicateId"]);
  });

  it("a workflow that calls itself as a sub-workflow is reported as a cycle (propeller never returns)", () => {
    const self = workflow("self", {
      interface: { inputs: vars({ a: INT }) },
      nodes: [{ id: "n0", inputs: [promise("a", "", "a")], workflowNode: { subWorkflowRef: { resourceType: "WORKFLOW", project: "p", domain: "d", name: "self", version: "v" } } }],
    });
    expect(summary(issuesOf(() => compileWorkflowClosure({ primary: self, subWorkflows: [self], tasks: [] })))).toEqual(["CycleDetected@n0"]);
    const caller = workflow("caller", { interface: { inputs: vars({ a: INT }) }, nodes: [{ ...flyteidl.core.Node.toObject(self.nodes![0] as flyteidl.core.Node), id: "c0" }] });
    expect(summary(issuesOf(() => compileWorkflowClosure({ primary: caller, subWorkflows: [self], tasks: [] })))).toEqual(["CycleDetected@n0"]);
  });
});

describe("branch nodes", () => {
  const isTrue = (name: string) => ({ comparison: { operator: "EQ", leftValue: { var: name }, rightValue: { primitive: { boolean: true } } } });
  const branchWorkflow = (ifElse: { [k: string]: unknown }, caseOutput: unknown = INT, elseOutput: unknown = INT) => ({
    primary: workflow("branchy", {
      interface: { inputs: vars({ flag: BOOL }), outputs: vars({ o: INT }) },
      nodes: [{ id: "n0", inputs: [promise("flag", "", "flag")], branchNode: { ifElse } }],
      outputs: [promise("o", "n0", "o")],
    }),
    tasks: [task("yes", { outputs: vars({ o: caseOutput }) }), task("no", { outputs: vars({ o: elseOutput }) })],
  });
  const cases = { case: { condition: isTrue("flag"), thenNode: { id: "a", taskNode: taskRef("yes") } }, elseNode: { id: "b", taskNode: taskRef("no") } };

  it("compiles, renaming case nodes <branch>-<case>", () => {
    const closure = compileWorkflowClosure(branchWorkflow(cases));
    const ifElse = closure.primary!.template!.nodes![2]!.branchNode!.ifElse!;
    expect([ifElse.case!.thenNode!.id, ifElse.elseNode!.id]).toEqual(["n0-a", "n0-b"]);
  });

  it("no else and no error → BranchNodeHasNoDefault", () => {
    expect(summary(issuesOf(() => compileWorkflowClosure(branchWorkflow({ case: cases.case }))))).toEqual(["BranchNodeHasNoDefault@n0"]);
  });

  it("a case without a condition → BranchNodeHasNoCondition", () => {
    const ifElse = { ...cases, case: { thenNode: cases.case.thenNode } };
    expect(summary(issuesOf(() => compileWorkflowClosure(branchWorkflow(ifElse))))).toEqual(["BranchNodeHasNoCondition@n0"]);
  });

  it("a condition on a variable the branch does not bind → VariableNameNotFound", () => {
    const ifElse = { ...cases, case: { ...cases.case, condition: isTrue("nope") } };
    expect(summary(issuesOf(() => compileWorkflowClosure(branchWorkflow(ifElse))))).toEqual(["VariableNameNotFound@n0:nope"]);
  });

  it("a condition comparing a bool input with an int constant → MismatchingTypes", () => {
    const ifElse = { ...cases, case: { ...cases.case, condition: { comparison: { operator: "EQ", leftValue: { var: "flag" }, rightValue: { primitive: { integer: 1 } } } } } };
    expect(summary(issuesOf(() => compileWorkflowClosure(branchWorkflow(ifElse))))).toEqual(["MismatchingTypes@n0"]);
  });

  it("cases whose shared outputs differ in type → MismatchingTypes on the case node", () => {
    // As on a cluster, the branch then has no interface, and what depends on it fails too.
    const issues = summary(issuesOf(() => compileWorkflowClosure(branchWorkflow(cases, INT, STR))));
    expect(issues).toContain("MismatchingTypes@n0-b:o");
    expect(issues).toContain("VariableNameNotFound@n0:o");
  });

  it("only outputs every case has are outputs of the branch", () => {
    const wf = branchWorkflow(cases, INT, INT);
    wf.tasks[1] = task("no", { outputs: vars({ other: INT }) });
    expect(summary(issuesOf(() => compileWorkflowClosure(wf)))).toEqual(["ParameterNotBound@end-node:o", "VariableNameNotFound@n0:o"]);
  });

  it("broken variants of branch/success_1.json", () => {
    const load = () => parseJsonFile(flyteidl.core.WorkflowClosure, join(compilerTestdata, "branch/success_1.json"));
    const branchOf = (closure: flyteidl.core.WorkflowClosure) => closure.workflow!.nodes![1]!.branchNode!.ifElse!;

    const noDefault = load();
    branchOf(noDefault).error = null;
    expect(summary(issuesOf(() => compileWorkflowClosure(noDefault)))).toEqual(["BranchNodeHasNoDefault@node-1"]);

    const wrongConstant = load();
    branchOf(wrongConstant).case!.condition!.comparison!.rightValue = flyteidl.core.Operand.fromObject({ primitive: { stringValue: "1" } });
    expect(summary(issuesOf(() => compileWorkflowClosure(wrongConstant)))).toEqual(["MismatchingTypes@node-1"]);
  });
});

describe("other node kinds", () => {
  it("launch plans: compiled with their interface, missing ones → WorkflowReferenceNotFound, required inputs must be bound", () => {
    const dir = join(conformance, "flyte/flytectl/cmd/compile/testdata/launchplan-in-wf.tgz.extracted");
    const outer = decodeFile(flyteidl.admin.WorkflowSpec, join(dir, "4_workflows.wf.outer_workflow_2.pb"));
    const inner = decodeFile(flyteidl.admin.WorkflowSpec, join(dir, "1_workflows.wf.inner_workflow_2.pb"));
    const lp = decodeFile(flyteidl.admin.LaunchPlan, join(dir, "3_name_override_3.pb"));

    expect(summary(issuesOf(() => compileWorkflowClosure(outer, { tasks: [] })))).toEqual(["WorkflowReferenceNotFound@n0"]);
    const closure = compileWorkflowClosure(outer, { tasks: [], launchPlans: [launchPlanInterface(lp, inner.template!.interface)] });
    expect(closure.launchPlans).toEqual([]);
    expect(closure.primary!.connections!.upstream!["end-node"]!.ids).toEqual(["n0"]);

    // The same call against a launch plan whose `num` is required, and with the node not binding it.
    const required = launchPlanInterface(decodeFile(flyteidl.admin.LaunchPlan, join(dir, "2_workflows.wf.inner_workflow_3.pb")), inner.template!.interface);
    const unbound = flyteidl.admin.WorkflowSpec.decode(flyteidl.admin.WorkflowSpec.encode(outer).finish());
    unbound.template!.nodes![0]!.inputs = [];
    unbound.template!.nodes![0]!.workflowNode!.launchplanRef = required.id;
    expect(summary(issuesOf(() => compileWorkflowClosure(unbound, { tasks: [], launchPlans: [required] })))).toEqual(["ParameterNotBound@n0:num"]);
  });

  it("failure nodes: validated, connected upstream only", () => {
    const dir = join(conformance, "flyte/flytectl/cmd/register/testdata/failure-node.tgz.extracted");
    const tasks = ["00_flyte-example.failure_node.create_cluster_1.pb", "01_flyte-example.failure_node.t1_1.pb", "04_flyte-example.failure_node.delete_cluster_1.pb", "05_flyte-example.failure_node.clean_up_1.pb"].map(
      (f) => decodeFile(flyteidl.admin.TaskSpec, join(dir, f)).template!,
    );
    const wf2 = decodeFile(flyteidl.admin.WorkflowSpec, join(dir, "10_flyte-example.failure_node.wf2_2.pb"));
    const closure = compileWorkflowClosure(wf2, { tasks });
    const connections = closure.primary!.connections!;
    expect(connections.upstream!["fn0"]!.ids).toEqual(["start-node"]);
    expect(connections.downstream!["start-node"]!.ids).not.toContain("fn0");
    expect(closure.primary!.template!.failureNode!.inputs![0]!.binding!.promise!.nodeId).toBe("start-node");

    wf2.template!.failureNode!.inputs = [];
    expect(summary(issuesOf(() => compileWorkflowClosure(wf2, { tasks })))).toEqual(["ParameterNotBound@fn0:name"]);

    // A failure node that is a sub-workflow.
    const wf3 = decodeFile(flyteidl.admin.WorkflowSpec, join(dir, "14_flyte-example.failure_node.wf3_2.pb"));
    expect(compileWorkflowClosure(wf3, { tasks }).subWorkflows[0]!.connections).toBeTruthy();
  });

  it("gate nodes: signals provide their output, approvals pass their inputs through, and a gate needs a condition", () => {
    const wf = (gate: { [k: string]: unknown }, inputs: unknown[] = [], read = "approved") =>
      workflow("gated", {
        interface: { inputs: vars({ x: BOOL }), outputs: vars({ o: BOOL }) },
        nodes: [{ id: "g", inputs, gateNode: gate }],
        outputs: [promise("o", "g", read)],
      });
    const signal = { signal: { signalId: "ok", type: BOOL, outputVariableName: "approved" } };
    expect(() => compileWorkflowClosure({ primary: wf(signal), tasks: [] })).not.toThrow();
    expect(() => compileWorkflowClosure({ primary: wf({ approve: { signalId: "ok" } }, [promise("x", "", "x")], "x"), tasks: [] })).not.toThrow();
    expect(summary(issuesOf(() => compileWorkflowClosure({ primary: wf({ signal: { signalId: "ok", type: BOOL } }), tasks: [] })))).toEqual([
      "ParameterNotBound@end-node:o",
      "ValueRequired@g",
      "VariableNameNotFound@g:approved",
    ]);
    expect(summary(issuesOf(() => compileWorkflowClosure({ primary: wf({}), tasks: [] })))).toContain("NoConditionFound@g");
  });

  it("array nodes: the sub-node's interface, per item when the sub-node keeps its original interface", () => {
    const listOf = (type: unknown) => ({ collectionType: type });
    const mapped = task("mapped", { inputs: vars({ a: listOf(INT), k: listOf(STR) }), outputs: vars({ x: listOf(STR) }) }, { taskTypeVersion: 1 });
    const perItem = task("per_item", { inputs: vars({ a: INT, k: STR }), outputs: vars({ x: STR }) });
    const wf = (name: string, extra: { [k: string]: unknown }) =>
      workflow("arrays", {
        interface: { inputs: vars({ xs: listOf(INT), key: STR }), outputs: vars({ o: listOf(STR) }) },
        nodes: [
          {
            id: "n0",
            inputs: [promise("a", "", "xs"), promise("k", "", "key")],
            arrayNode: { node: { id: "n0-sub", taskNode: taskRef(name) }, parallelism: 2, ...extra },
          },
        ],
        outputs: [promise("o", "n0", "x")],
      });
    // A map task declares list types itself; `key` is a str, not a list.
    expect(summary(issuesOf(() => compileWorkflowClosure({ primary: wf("mapped", {}), tasks: [mapped] })))).toEqual(["MismatchingTypes@n0:k"]);
    // With the original interface, every input but the bound ones is mapped over and outputs are lists.
    expect(() =>
      compileWorkflowClosure({ primary: wf("per_item", { isOriginalSubNodeInterface: { value: true }, boundInputs: ["k"] }), tasks: [perItem] }),
    ).not.toThrow();
    expect(summary(issuesOf(() => compileWorkflowClosure({ primary: wf("per_item", { isOriginalSubNodeInterface: { value: true } }), tasks: [perItem] })))).toEqual([
      "MismatchingTypes@n0:k",
    ]);
    expect(summary(issuesOf(() => compileWorkflowClosure({ primary: wf("per_item", {}), tasks: [perItem] })))).toEqual([
      "MismatchingTypes@end-node:o",
      "MismatchingTypes@n0:a",
    ]);
  });
});

describe("binding types", () => {
  const single = (inputType: unknown, bindingData: { [k: string]: unknown }) => ({
    primary: workflow("one", { interface: {}, nodes: [{ id: "n0", inputs: [{ var: "v", binding: bindingData }], taskNode: taskRef("t") }] }),
    tasks: [task("t", { inputs: vars({ v: inputType }) })],
  });
  const ints = { collection: { bindings: [{ scalar: { primitive: { integer: 1 } } }] } };

  it("enum inputs accept only their values → IllegalEnumValue", () => {
    const color = { enumType: { values: ["red", "green"] } };
    expect(() => compileWorkflowClosure(single(color, { scalar: { primitive: { stringValue: "red" } } }))).not.toThrow();
    expect(summary(issuesOf(() => compileWorkflowClosure(single(color, { scalar: { primitive: { stringValue: "blue" } } }))))).toEqual(["IllegalEnumValue@n0:v"]);
  });

  it("lists and maps: element types, and list syntax for a non-list input → MismatchingBindings", () => {
    expect(() => compileWorkflowClosure(single({ collectionType: INT }, ints))).not.toThrow();
    expect(summary(issuesOf(() => compileWorkflowClosure(single({ collectionType: STR }, ints))))).toEqual(["MismatchingTypes@n0:v"]);
    expect(summary(issuesOf(() => compileWorkflowClosure(single(INT, ints))))).toEqual(["MismatchingBindings@n0:v"]);
    expect(() => compileWorkflowClosure(single({ mapValueType: FLOAT }, { map: { bindings: { a: { scalar: { primitive: { floatValue: 1.5 } } } } } }))).not.toThrow();
  });

  it("lists against unions: exactly one variant must accept them", () => {
    const union = (...variants: unknown[]) => ({ unionType: { variants } });
    expect(() => compileWorkflowClosure(single(union({ collectionType: INT }, { collectionType: STR }), ints))).not.toThrow();
    const empty = { collection: { bindings: [] } };
    expect(summary(issuesOf(() => compileWorkflowClosure(single(union({ collectionType: INT }, { collectionType: STR }), empty))))).toEqual([
      "AmbiguousBindingUnionValue@n0:v",
    ]);
    expect(summary(issuesOf(() => compileWorkflowClosure(single(union(INT, STR), ints))))).toEqual(["IncompatibleBindingUnionValue@n0:v"]);
  });

  it("optional inputs (unions with none) may be left unbound", () => {
    const wf = {
      primary: workflow("opt", { interface: {}, nodes: [{ id: "n0", taskNode: taskRef("t") }] }),
      tasks: [task("t", { inputs: vars({ v: { unionType: { variants: [INT, { simple: "NONE" }] } } }) })],
    };
    expect(() => compileWorkflowClosure(wf)).not.toThrow();
  });

  it("a blob constant without metadata → UnrecognizedValue", () => {
    expect(summary(issuesOf(() => compileWorkflowClosure(single({ blob: {} }, { scalar: { blob: { uri: "s3://x" } } }))))).toEqual(["UnrecognizedValue@n0:v"]);
  });
});

describe("tasks", () => {
  const base = () => task("t", { inputs: vars({ a: INT }) });

  it("compileTask keeps the template and wraps it", () => {
    expect(flyteidl.core.TaskTemplate.toObject(compileTask(base()).template as flyteidl.core.TaskTemplate)).toEqual(flyteidl.core.TaskTemplate.toObject(base()));
  });

  it("rejects what propeller rejects: no image, no command for a task with inputs, bad quantities, bad container names", () => {
    const t = base();
    t.container!.image = "";
    t.container!.args = [];
    t.container!.resources = flyteidl.core.Resources.fromObject({ requests: [{ name: "CPU", value: "lots" }], limits: [{ name: "MEMORY", value: "1Gi" }] });
    expect(summary(issuesOf(() => compileTask(t)))).toEqual(["UnrecognizedValue@resources.CPU", "ValueRequired@container", "ValueRequired@container"]);

    const pod = (spec: unknown) => {
      const t = task("p", {}, { container: null, k8sPod: {} });
      t.k8sPod!.podSpec = fromProtoJson(google.protobuf.Struct, spec);
      return t;
    };
    expect(() => compileTask(pod({ containers: [{ name: "primary" }] }))).not.toThrow();
    expect(summary(issuesOf(() => compileTask(pod({ containers: [{ name: "Not_A_Label" }] }))))).toEqual(["InvalidValue@root"]);
    expect(issuesOf(() => compileTask(pod({ containers: "nope" })))[0]!.message).toBe("Invalid value [k8s pod spec].");
  });

  it("compileWorkflowClosure checks the tasks it is given, and takes the first of each id", () => {
    const wf = basicWorkflow();
    const broken = flyteidl.core.TaskTemplate.decode(flyteidl.core.TaskTemplate.encode(wf.tasks[0]!).finish());
    broken.container!.image = "";
    expect(summary(issuesOf(() => compileWorkflowClosure({ primary: wf.template, tasks: [broken, ...wf.tasks] })))).toEqual(["ValueRequired@container"]);
    const closure = compileWorkflowClosure({ primary: wf.template, tasks: [...wf.tasks, broken] });
    expect(closure.tasks).toHaveLength(2);
  });
});

it("exports propeller's code strings by Go constant name", () => {
  expect(CompileErrorCode.DuplicateNodeID).toBe("DuplicateId");
  expect(CompileErrorCode.BranchNodeIDNotFound).toBe("BranchNodeIdNotFound");
  expect(CompileErrorCode.FieldNotFoundError).toBe("FieldNotFound");
});
