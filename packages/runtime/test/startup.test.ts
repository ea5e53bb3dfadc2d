import { describe, expect, it } from "vitest";
import { root } from "@flytekit-ts/idl";
import "@flytekit-ts/types";
import "@flytekit-ts/compiler";
import "../src/index.js";

// vitest gives every test file its own module graph: this is what a task process has after its imports.
describe("a task process's start-up", () => {
  it("builds no protobuf type that only some tasks use, and no admin package", () => {
    const heavy = [
      "flyteidl.core.ComparisonExpression",
      "flyteidl.core.ConjunctionExpression",
      "flyteidl.core.ContainerError",
      "flyteidl.core.ErrorDocument",
      "flyteidl.core.Resources",
      "flyteidl.core.WorkflowExecution",
      "flyteidl.core.BlobType",
      "flyteidl.core.TaskTemplate",
      "flyteidl.core.DynamicJobSpec",
      "google.protobuf.Struct",
      "flyteidl.admin",
    ];
    expect(heavy.filter((name) => root.lookup(name) !== null)).toEqual([]);
  });
});
