import { existsSync } from "node:fs";
import { join } from "node:path";
import { flyteidl } from "@flytekit-ts/idl";
import { describe, expect, it } from "vitest";
import { compileTask, compileWorkflowClosure, formatIdentifierText, getRequirements, launchPlanInterface } from "../../src/closure/index.js";
import { compilerTestdata, conformance, decodeFile, json, listDir, parseJsonFile, withTestConfig } from "./shared.js";

/**
 * propeller's own compiler test data (flyte v1.16.5, flytepropeller/pkg/compiler/test/testdata):
 * the inputs and the CompiledTask / CompiledWorkflowClosure the Go compiler produced for them. Each
 * golden is compared after parsing, as proto3 JSON (map order ignored, list order kept).
 */
const { CompiledTask, CompiledWorkflowClosure, WorkflowClosure } = flyteidl.core;

const snacks = join(compilerTestdata, "snacks-core");
const branch = join(compilerTestdata, "branch");

/** Every snacks-core task, as the Go harness compiles it (with its three test config entries). */
const snackTasks = listDir(snacks)
  .filter((f) => f.endsWith("_1.pb"))
  .map((file) => ({ file, template: withTestConfig(decodeFile(flyteidl.admin.TaskSpec, join(snacks, file)).template!) }));
const taskById = new Map(snackTasks.map(({ template }) => [formatIdentifierText(template.id), template]));

const taskGoldens = snackTasks.map(({ file, template }) => ({ file, template, golden: join(snacks, "compiled", file.replace(/\.pb$/, "_task.json")) }));
const workflowGoldens = listDir(snacks)
  .filter((f) => f.endsWith("_2.pb"))
  .map((file) => ({ file, golden: join(snacks, "compiled", file.replace(/\.pb$/, "_wf.json")) }))
  .filter(({ golden }) => existsSync(golden));
const branchGoldens = listDir(branch)
  .filter((f) => f.endsWith(".json"))
  .map((file) => ({ file, golden: join(branch, "compiled", file) }));

describe("snacks-core compiled tasks", () => {
  it.each(taskGoldens)("$file", ({ template, golden }) => {
    expect(json(CompiledTask, compileTask(template))).toEqual(json(CompiledTask, parseJsonFile(CompiledTask, golden)));
  });
});

describe("snacks-core compiled workflows", () => {
  it.each(workflowGoldens)("$file", ({ file, golden }) => {
    // Like the Go test: the tasks the workflow requires, in requirement order, and no sub-workflows.
    const spec = decodeFile(flyteidl.admin.WorkflowSpec, join(snacks, file));
    const tasks = getRequirements(spec.template!).taskIds.map((id) => taskById.get(formatIdentifierText(id))!);
    const compiled = compileWorkflowClosure({ primary: spec.template!, tasks });
    expect(json(CompiledWorkflowClosure, compiled)).toEqual(json(CompiledWorkflowClosure, parseJsonFile(CompiledWorkflowClosure, golden)));
  });
});

describe("branch compiled workflows", () => {
  it.each(branchGoldens)("$file", ({ file, golden }) => {
    // Like the Go test: every task of the closure, in closure order.
    const closure = parseJsonFile(WorkflowClosure, join(branch, file));
    const compiled = compileWorkflowClosure({ primary: closure.workflow!, tasks: (closure.tasks ?? []).map(withTestConfig) });
    expect(json(CompiledWorkflowClosure, compiled)).toEqual(json(CompiledWorkflowClosure, parseJsonFile(CompiledWorkflowClosure, golden)));
  });
});

it("reproduces every compiled golden of propeller's compiler test data (87 tasks + 43 workflows + 12 branch = 142)", () => {
  expect([taskGoldens.length, workflowGoldens.length, branchGoldens.length]).toEqual([87, 43, 12]);
  // The goldens list only the compiled/ files that have inputs here; nothing is left out.
  const compiledFiles = listDir(join(snacks, "compiled")).length + listDir(join(branch, "compiled")).length;
  expect(compiledFiles).toBe(142);
});

describe("inputs without goldens compile", () => {
  it("parent_wf and nested_parent_wf, with their sub-workflows (the Go test passes none, so has no golden)", () => {
    for (const file of ["064_core.control_flow.subworkflows.parent_wf_2.pb", "066_core.control_flow.subworkflows.nested_parent_wf_2.pb"]) {
      const spec = decodeFile(flyteidl.admin.WorkflowSpec, join(snacks, file));
      const tasks = getRequirements(spec.template!, spec.subWorkflows).taskIds.map((id) => taskById.get(formatIdentifierText(id))!);
      const compiled = compileWorkflowClosure(spec, { tasks });
      expect(compiled.subWorkflows).toHaveLength(spec.subWorkflows.length);
      for (const sub of compiled.subWorkflows) {
        // Every sub-workflow is called, so every one is compiled: synthetic nodes and connections.
        expect(sub.template?.nodes?.slice(0, 2).map((n) => n.id)).toEqual(["start-node", "end-node"]);
        expect(Object.keys(sub.connections?.upstream ?? {})).toContain("end-node");
      }
    }
  });

  it("the parent_wf sub-workflow compiles to what it compiles to alone", () => {
    const parent = decodeFile(flyteidl.admin.WorkflowSpec, join(snacks, "064_core.control_flow.subworkflows.parent_wf_2.pb"));
    const tasks = getRequirements(parent.template!, parent.subWorkflows).taskIds.map((id) => taskById.get(formatIdentifierText(id))!);
    const alone = compileWorkflowClosure({ primary: parent.subWorkflows[0]!, tasks });
    const within = compileWorkflowClosure(parent, { tasks });
    expect(json(flyteidl.core.CompiledWorkflow, within.subWorkflows[0]!)).toEqual(json(flyteidl.core.CompiledWorkflow, alone.primary!));
  });

  it("structured_dataset (flytepropeller compiler-structured-dataset branch): closure and pyflyte archive", () => {
    const dir = join(conformance, "flytepropeller/pkg/compiler/test/testdata/structured_dataset");
    const closure = parseJsonFile(WorkflowClosure, join(dir, "closure/core.type_system.structured_dataset.wf.json"));
    const fromClosure = compileWorkflowClosure(closure);
    expect(fromClosure.primary?.template?.nodes?.map((n) => n.id)).toEqual(["start-node", "end-node", "n0", "n1", "n2"]);

    const archive = join(dir, "archive");
    const tasks = listDir(archive)
      .filter((f) => f.endsWith("_1.pb"))
      .map((f) => decodeFile(flyteidl.admin.TaskSpec, join(archive, f)).template!);
    const spec = decodeFile(flyteidl.admin.WorkflowSpec, join(archive, "157_core.type_system.structured_dataset.wf_2.pb"));
    const fromArchive = compileWorkflowClosure(spec, { tasks });
    expect(json(flyteidl.core.CompiledWorkflow, fromArchive.primary!)).toEqual(json(flyteidl.core.CompiledWorkflow, fromClosure.primary!));
  });

  it("the kubectl-flyte one-task workflow closure (.pb)", () => {
    const closure = decodeFile(WorkflowClosure, join(compilerTestdata, "app-workflows-work-one-python-task-w-f.pb"));
    const compiled = compileWorkflowClosure(closure);
    expect(compiled.primary?.connections?.downstream?.["start-node"]?.ids).toHaveLength(1);
  });
});

describe("closures compiled by a real flyteadmin recompile to themselves", () => {
  // Compiling is idempotent for workflows without branch nodes (propeller renames branch cases
  // again on a second pass), so these closures, returned by flyteadmin, are goldens too. The
  // old flyteadmin/.../testdata/workflow.json predates sorted, de-duplicated connections and is left out.
  const C = CompiledWorkflowClosure;
  const responses = join(conformance, "flytekit/tests/flytekit/unit/remote/responses");
  const cases: [string, () => flyteidl.core.CompiledWorkflowClosure][] = [
    ["flytekit merge_sort_cwc.pb", () => decodeFile(C, join(conformance, "flytekit/tests/flytekit/unit/common_tests/resources/protos/merge_sort_cwc.pb"))],
    ["flytekit CompiledWorkflowClosure.pb (a sub-workflow)", () => decodeFile(C, join(responses, "CompiledWorkflowClosure.pb"))],
    [
      "flytekit admin.Workflow root_level_wf (sub-workflows and a launch plan)",
      () => decodeFile(flyteidl.admin.Workflow, join(responses, "admin.workflow_pb2.Workflow_core.control_flow.subworkflows.root_level_wf.pb")).closure!.compiledWorkflow as flyteidl.core.CompiledWorkflowClosure,
    ],
  ];
  it.each(cases)("%s", (_, load) => {
    const closure = load();
    const lp = launchPlanInterface(decodeFile(flyteidl.admin.LaunchPlan, join(responses, "admin.launch_plan_pb2.LaunchPlan_core.control_flow.subworkflows.leaf_subwf.pb")));
    const again = compileWorkflowClosure({
      primary: closure.primary!.template!,
      subWorkflows: closure.subWorkflows.map((s: flyteidl.core.CompiledWorkflow.$Properties) => s.template!),
      tasks: closure.tasks,
      launchPlans: [lp],
    });
    expect(json(C, again)).toEqual(json(C, closure));
  });
});
