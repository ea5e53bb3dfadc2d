import { join } from "node:path";
import { flyteidl } from "@flytekit-ts/idl";
import { describe, expect, it } from "vitest";
import { compileDynamicJobSpec } from "../../src/closure/index.js";
import { issuesOf, summary } from "./fixtures.js";
import { compilerTestdata, conformance, decodeFile, parseJsonFile } from "./shared.js";

/**
 * Dynamic job specs (what a dynamic task writes as futures.pb), compiled as propeller does: the
 * parent's outputs are the workflow's interface, tasks must be embedded.
 *
 * Parent interfaces, decided from what the specs bind:
 * - dynamic/success_1.json (a recursive merge sort) binds one output `o0` to the merge task's
 *   `o0: list<int>`; propeller's own TestDynamic compiles it with exactly `{o0: list<int>}`.
 * - futures_workflow_nodes.pb (flytekit 0.15, 14 sub-workflow calls) binds no outputs, so its parent
 *   returned nothing: `{}`.
 */
const { DynamicJobSpec, TypedInterface } = flyteidl.core;

const mergeSortParent = TypedInterface.fromObject({ outputs: { variables: { o0: { type: { collectionType: { simple: "INTEGER" } } } } } });
const mergeSort = () => parseJsonFile(DynamicJobSpec, join(compilerTestdata, "dynamic/success_1.json"));
const futures = () => decodeFile(DynamicJobSpec, join(conformance, "flytepropeller/pkg/controller/nodes/dynamic/testdata/futures_workflow_nodes.pb"));

describe("dynamic/success_1.json", () => {
  it("compiles with the parent's outputs as the whole interface", () => {
    const closure = compileDynamicJobSpec(mergeSort(), mergeSortParent);
    const primary = closure.primary!;
    expect(Object.keys(primary.template!.interface!.inputs!.variables!)).toEqual([]);
    expect(Object.keys(primary.template!.interface!.outputs!.variables!)).toEqual(["o0"]);
    expect(primary.template!.nodes!.map((n) => n.id)).toEqual([
      "start-node",
      "end-node",
      "dynamic-merge-sort-remotely-n0",
      "dynamic-merge-sort-remotely-n1",
      "dynamic-merge-sort-remotely-n2",
      "dynamic-merge-sort-remotely-n3",
    ]);
    expect(primary.connections!.upstream!["dynamic-merge-sort-remotely-n3"]!.ids).toEqual(["dynamic-merge-sort-remotely-n1", "dynamic-merge-sort-remotely-n2"]);
    expect(primary.connections!.upstream!["end-node"]!.ids).toEqual(["dynamic-merge-sort-remotely-n3"]);
    expect(closure.tasks).toHaveLength(4);
    // The sub-workflow (a branch between sorting locally and recursing) is compiled too.
    const sub = closure.subWorkflows[0]!;
    expect(sub.template!.nodes!.map((n) => n.id)).toEqual(["start-node", "end-node", "node-0"]);
    expect(Object.keys(sub.connections!.upstream!).sort()).toEqual(["end-node", "node-0", "node-0-branchn0", "node-0-branchn1"]);
  });

  it("a task that is not embedded → TaskReferenceNotFound (tasks are never looked up elsewhere)", () => {
    const spec = mergeSort();
    spec.tasks = spec.tasks!.filter((t) => !t.id!.name!.endsWith(".merge")) as typeof spec.tasks;
    expect(summary(issuesOf(() => compileDynamicJobSpec(spec, mergeSortParent)))).toEqual(["TaskReferenceNotFound@dynamic-merge-sort-remotely-n3"]);
  });

  it("children cannot read workflow inputs: a dynamic workflow has none", () => {
    const spec = mergeSort();
    const input = spec.nodes![0]!.inputs![0]!;
    input.binding = flyteidl.core.BindingData.fromObject({ promise: { nodeId: "", var: "numbers" } }) as NonNullable<typeof input.binding>;
    const issues = issuesOf(() => compileDynamicJobSpec(spec, mergeSortParent));
    expect(summary(issues)).toContain("VariableNameNotFound@start-node:numbers");
  });

  it("outputs must match the parent's outputs", () => {
    const wrong = TypedInterface.fromObject({ outputs: { variables: { o0: { type: { simple: "INTEGER" } }, extra: { type: { simple: "STRING" } } } } });
    expect(summary(issuesOf(() => compileDynamicJobSpec(mergeSort(), wrong)))).toEqual(["MismatchingTypes@end-node:o0", "ParameterNotBound@end-node:extra"]);
  });

  it("appends the parent's container config to child tasks with a container", () => {
    const parentTask = flyteidl.core.TaskTemplate.fromObject({ container: { image: "x", config: [{ key: "k", value: "v" }] } });
    const closure = compileDynamicJobSpec(mergeSort(), mergeSortParent, [], { parentTask });
    for (const t of closure.tasks) expect(t.template!.container!.config!.at(-1)).toMatchObject({ key: "k", value: "v" });
  });

  it("an invalid embedded task fails the whole spec, as malformed", () => {
    const spec = mergeSort();
    spec.tasks![0]!.container!.image = "";
    const issues = issuesOf(() => compileDynamicJobSpec(spec, mergeSortParent));
    expect(summary(issues)).toEqual(["ValueRequired@container"]);
  });
});

describe("futures_workflow_nodes.pb", () => {
  it("compiles: 14 sub-workflow calls, all between start and end", () => {
    const closure = compileDynamicJobSpec(futures(), TypedInterface.create());
    const primary = closure.primary!;
    const calls = primary.template!.nodes!.slice(2).map((n) => n.id!);
    expect(calls).toHaveLength(14);
    expect(primary.connections!.downstream!["start-node"]!.ids).toEqual([...calls].sort());
    expect(primary.connections!.upstream!["end-node"]!.ids).toEqual([...calls].sort());
    const sub = closure.subWorkflows[0]!;
    expect(sub.template!.nodes!).toHaveLength(2 + 4);
    expect(sub.connections).toBeTruthy();
  });

  it("a parent output the spec does not bind → ParameterNotBound on end-node", () => {
    const parent = TypedInterface.fromObject({ outputs: { variables: { o0: { type: { simple: "STRING" } } } } });
    expect(summary(issuesOf(() => compileDynamicJobSpec(futures(), parent)))).toEqual(["ParameterNotBound@end-node:o0"]);
  });
});
