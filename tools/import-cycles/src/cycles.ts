/**
 * Finds import cycles between the source files of a package with dependency-cruiser, reading
 * TypeScript before compilation (`tsPreCompilationDeps`), so `import type` and `export type … from`
 * count as much as runtime imports: a cycle of types is as hard to read as a cycle of values.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { cruise, type ICruiseResult, type IFlattenedRuleSet } from "dependency-cruiser";

/**
 * Folders (relative to the repository, `/`-separated) whose cycles are tolerated for now. Each entry
 * says why, and when it goes.
 */
export const CYCLE_EXCEPTIONS: readonly string[] = [
  // None. (The compiler's authoring core was one until issue 19 gave it one-way layers: its shared
  // types now live in packages/compiler/src/vocabulary.ts.)
];

/** One cycle: the files in import order, the first importing the second … and the last the first. */
export type ImportCycle = readonly string[];

export interface FindCyclesOptions {
  /** The folder paths are reported relative to (the repository root). */
  baseDir: string;
  /** Folders whose cycles are not reported (default: none). */
  exceptions?: readonly string[];
}

/**
 * The import cycles among the TypeScript and JavaScript files under `roots` (folders relative to
 * `baseDir`), each reported once. Only imports between files under the roots are followed: other
 * packages, node_modules, tests, build output and generated code are left out.
 */
export async function findImportCycles(roots: readonly string[], options: FindCyclesOptions): Promise<ImportCycle[]> {
  const exceptions = options.exceptions ?? [];
  const ruleSet: IFlattenedRuleSet = {
    forbidden: [
      {
        name: "no-circular",
        severity: "error",
        from: exceptions.length > 0 ? { pathNot: exceptions.map(pathPattern) } : {},
        to: { circular: true },
      },
    ],
  };
  const result = await cruise(
    [...roots],
    {
      baseDir: options.baseDir,
      validate: true,
      ruleSet,
      tsPreCompilationDeps: true,
      includeOnly: roots.map((root) => pathPattern(`${root.replace(/\/$/, "")}/`)),
      exclude: {
        path: [
          "(^|/)node_modules/",
          "(^|/)dist/",
          "(^|/)generated/",
          "(^|/)test/",
          "(^|/)fixtures/",
          "\\.test\\.ts$",
          "\\.test-d\\.ts$",
          "\\.e2e\\.ts$",
          "\\.d\\.ts$",
          // Tool configuration at a package's root (vitest.config.ts, tsup.config.ts), not its source.
          "(^|/)[^/]+\\.config\\.[cm]?[jt]s$",
        ],
      },
      doNotFollow: { path: ["node_modules"] },
      moduleSystems: ["es6", "cjs"],
    },
    // NodeNext sources import "./x.js" for "./x.ts".
    { extensions: [".ts", ".mts", ".js", ".mjs"], extensionAlias: { ".js": [".ts", ".js"], ".mjs": [".mts", ".mjs"] } },
  );
  const output = result.output as ICruiseResult;
  const seen = new Set<string>();
  const cycles: ImportCycle[] = [];
  for (const violation of output.summary.violations) {
    if (violation.rule.name !== "no-circular" || !violation.cycle) continue;
    const cycle = [violation.from, ...violation.cycle.map((step) => step.name)].slice(0, -1);
    // The same cycle is reported once from each of its files; keep one, starting at its smallest name.
    const start = cycle.indexOf([...cycle].sort()[0] as string);
    const canonical = [...cycle.slice(start), ...cycle.slice(0, start)];
    const key = canonical.join(" → ");
    if (seen.has(key)) continue;
    seen.add(key);
    cycles.push(canonical);
  }
  return cycles;
}

/**
 * The folder of every workspace package named by pnpm-workspace.yaml, relative to the root. A
 * package's source is whatever it holds outside its tests, build output and generated code (most
 * keep it in `src/`; some, such as integration/e2e, in folders of their own).
 */
export function workspacePackages(repoRoot: string): string[] {
  const workspace = readFileSync(join(repoRoot, "pnpm-workspace.yaml"), "utf8");
  const section = workspace.split(/^packages:\s*$/m)[1]?.split(/^\S/m)[0] ?? "";
  const globs = [...section.matchAll(/^\s+-\s+["']?([^"'\s#]+)["']?/gm)].map((m) => m[1] as string);
  if (globs.length === 0) throw new Error(`no package globs found in ${join(repoRoot, "pnpm-workspace.yaml")}`);
  const folders = globs.flatMap((glob) => {
    if (!glob.endsWith("/*")) return [glob];
    const parent = glob.slice(0, -2);
    const dir = join(repoRoot, parent);
    if (!existsSync(dir)) return [];
    return readdirSync(dir).map((name) => `${parent}/${name}`);
  });
  return folders.filter((dir) => existsSync(join(repoRoot, dir, "package.json")));
}

/** A cycle as a line a reader can follow. */
export function formatCycle(cycle: ImportCycle): string {
  return [...cycle, cycle[0]].join(" → ");
}

/** The repository root, from this file's place in it. */
export function repositoryRoot(): string {
  return resolve(import.meta.dirname, "../../..");
}

function pathPattern(folder: string): string {
  return `^${folder.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`;
}
