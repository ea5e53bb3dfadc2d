import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
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

describe("what a task process's imports load of Node", () => {
  // Node's built-in modules are shared by every test file, so this reads the sources: a static import of
  // node:child_process anywhere in the runtime would load net, dgram and their bindings into every task
  // process at start-up, while only local runs of Python and container tasks start processes.
  it("imports node:child_process only through the lazy nodeChildProcess()", () => {
    const src = fileURLToPath(new URL("../src", import.meta.url));
    const sources = (readdirSync(src, { recursive: true }) as string[]).filter((file) => file.endsWith(".ts"));
    expect(sources.length).toBeGreaterThan(10);
    const importing = sources.filter((file) => /^import\s[^;]*from\s+"node:child_process"/m.test(readFileSync(join(src, file), "utf8")));
    expect(importing).toEqual([]);
    expect(readFileSync(join(src, "child-process.ts"), "utf8")).toMatch(/createRequire\(import\.meta\.url\)\("node:child_process"\)/);
  });
});
