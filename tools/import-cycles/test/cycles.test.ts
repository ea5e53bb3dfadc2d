import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CYCLE_EXCEPTIONS, findImportCycles, formatCycle, repositoryRoot, workspacePackages } from "../src/cycles.js";

const root = repositoryRoot();
const fixtures = join(import.meta.dirname, "fixtures");
const inFixture = (name: string) => findImportCycles([`${name}/src`], { baseDir: fixtures });

// dependency-cruiser parses every file with TypeScript; on a loaded machine that takes seconds.
const SLOW = 120_000;

describe("the workspace", () => {
  it(
    "has no import cycle between the source files of any package, type-only imports included",
    async () => {
      const cycles = await findImportCycles(workspacePackages(root), { baseDir: root, exceptions: CYCLE_EXCEPTIONS });
      expect(cycles.map(formatCycle), "import cycles (break each by moving what both sides need into a module of its own)").toEqual([]);
    },
    SLOW,
  );

  it("checks every package's sources", () => {
    const packages = workspacePackages(root);
    for (const name of ["idl", "types", "resources", "compiler", "runtime", "remote", "cli", "flytekit-ts"]) {
      expect(packages).toContain(`packages/${name}`);
    }
    for (const other of ["examples/workflows", "bench", "conformance/python", "integration", "integration/e2e", "tools/import-cycles"]) {
      expect(packages).toContain(other);
    }
  });

  it(
    "reads source outside src/ too, but not tests or tool configuration",
    async () => {
      const cycles = await findImportCycles(["outside-src"], { baseDir: fixtures });
      expect(cycles).toEqual([["outside-src/runner/a.ts", "outside-src/runner/b.ts"]]);
    },
    SLOW,
  );

  it("excepts only folders that exist, each of them a package's", () => {
    const packages = workspacePackages(root);
    for (const exception of CYCLE_EXCEPTIONS) expect(packages.some((p) => exception.startsWith(`${p}/`))).toBe(true);
  });
});

describe("findImportCycles", () => {
  it(
    "finds a cycle of runtime imports",
    async () => {
      expect(await inFixture("runtime")).toEqual([["runtime/src/a.ts", "runtime/src/b.ts"]]);
    },
    SLOW,
  );

  it(
    "finds a cycle made only of `import type`",
    async () => {
      expect(await inFixture("import-type")).toEqual([["import-type/src/a.ts", "import-type/src/b.ts"]]);
    },
    SLOW,
  );

  it(
    "finds a cycle made only of `export type … from`",
    async () => {
      expect(await inFixture("export-type")).toEqual([["export-type/src/a.ts", "export-type/src/b.ts"]]);
    },
    SLOW,
  );

  it(
    "finds a cycle made only of inline `import(…)` types",
    async () => {
      expect(await inFixture("inline-type")).toEqual([["inline-type/src/a.ts", "inline-type/src/b.ts"]]);
    },
    SLOW,
  );

  it(
    "finds a longer cycle mixing runtime and type imports, once, in import order",
    async () => {
      expect(await inFixture("mixed")).toEqual([["mixed/src/a.ts", "mixed/src/c.ts", "mixed/src/b.ts"]]);
    },
    SLOW,
  );

  it(
    "finds nothing when imports run one way",
    async () => {
      expect(await inFixture("acyclic")).toEqual([]);
    },
    SLOW,
  );

  it(
    "leaves out the cycles of an excepted folder, and only those",
    async () => {
      const cycles = await findImportCycles(["runtime/src", "import-type/src"], { baseDir: fixtures, exceptions: ["runtime/src/"] });
      expect(cycles).toEqual([["import-type/src/a.ts", "import-type/src/b.ts"]]);
    },
    SLOW,
  );

  it("formats a cycle back to where it started", () => {
    expect(formatCycle(["a.ts", "b.ts"])).toBe("a.ts → b.ts → a.ts");
  });
});
