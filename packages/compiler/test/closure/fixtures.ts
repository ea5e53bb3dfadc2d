import { join } from "node:path";
import { flyteidl, isFlytekitError } from "@flytekit-ts/idl";
import { expect } from "vitest";
import { ClosureCompileError, type CompileIssue } from "../../src/closure/index.js";
import { compilerTestdata, decodeFile } from "./shared.js";

type Node = flyteidl.core.Node;

const snacks = join(compilerTestdata, "snacks-core");

export const snackTask = (file: string): flyteidl.core.TaskTemplate => decodeFile(flyteidl.admin.TaskSpec, join(snacks, file)).template as flyteidl.core.TaskTemplate;
export const snackWorkflow = (file: string): flyteidl.admin.WorkflowSpec => decodeFile(flyteidl.admin.WorkflowSpec, join(snacks, file));

/**
 * flytesnacks' basic_workflow.my_wf, fresh for every call:
 * n0 = t1(a ← input a: int) → c: str, t1_int_output: int; n1 = t2(a ← n0.c: str, b ← input b: str) → o0: str;
 * outputs o0 ← n0.t1_int_output, o1 ← n1.o0.
 */
export function basicWorkflow() {
  const spec = snackWorkflow("085_core.flyte_basics.basic_workflow.my_wf_2.pb");
  const template = spec.template as flyteidl.core.WorkflowTemplate;
  const nodes = template.nodes as Node[];
  return {
    template,
    n0: nodes[0]!,
    n1: nodes[1]!,
    tasks: [snackTask("083_core.flyte_basics.basic_workflow.t1_1.pb"), snackTask("084_core.flyte_basics.basic_workflow.t2_1.pb")],
  };
}

export const node = (object: { [k: string]: unknown }): Node => flyteidl.core.Node.fromObject(object);
export const binding = (object: { [k: string]: unknown }) => flyteidl.core.Binding.fromObject(object);
export const promise = (variable: string, nodeId: string, from: string) => binding({ var: variable, binding: { promise: { nodeId, var: from } } });

/** Runs a compile that must fail and returns its issues. */
export function issuesOf(compile: () => unknown): CompileIssue[] {
  try {
    compile();
  } catch (error) {
    expect(error).toBeInstanceOf(ClosureCompileError);
    expect(isFlytekitError(error)).toBe(true);
    return [...(error as ClosureCompileError).issues];
  }
  throw new Error("expected the compile to fail");
}

/** The issues as `kind@node[:variable]` strings, for compact assertions. */
export const summary = (issues: readonly CompileIssue[]): string[] =>
  issues.map((i) => `${i.kind}@${i.nodeId}${i.variable === undefined ? "" : `:${i.variable}`}`);

/** A minimal container task with the given interface. */
export function task(name: string, iface: { [k: string]: unknown }, extra: { [k: string]: unknown } = {}): flyteidl.core.TaskTemplate {
  return flyteidl.core.TaskTemplate.fromObject({
    id: { resourceType: "TASK", project: "p", domain: "d", name, version: "v" },
    type: "python-task",
    interface: iface,
    container: { image: "img:1", args: ["run", name] },
    ...extra,
  });
}

export const taskRef = (name: string) => ({ referenceId: { resourceType: "TASK", project: "p", domain: "d", name, version: "v" } });

export function workflow(name: string, object: { [k: string]: unknown }): flyteidl.core.WorkflowTemplate {
  return flyteidl.core.WorkflowTemplate.fromObject({ id: { resourceType: "WORKFLOW", project: "p", domain: "d", name, version: "v" }, ...object });
}

export const INT = { simple: "INTEGER" };
export const STR = { simple: "STRING" };
export const FLOAT = { simple: "FLOAT" };
export const BOOL = { simple: "BOOLEAN" };
export const vars = (types: Record<string, unknown>) => ({ variables: Object.fromEntries(Object.entries(types).map(([k, type]) => [k, { type }])) });
