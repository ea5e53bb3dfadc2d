import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { flyteidl } from "@flytekit-ts/idl";
import { executeTemplate, npm, packPackages, repoRoot as repo, run, walk } from "../../../test-support/packed-packages.js";

/**
 * The deploy path as a user meets it, outside this repository: a project in a temporary directory
 * installs the packed packages (`pnpm pack` tarballs, as published), writes TypeScript, and runs
 * `flyte-ts package` without --image. The bundle is extracted into a "pod" that has only the
 * runtime packages, installed without optional dependencies (no esbuild, tsx or TypeScript), and
 * its tasks run there through `flyte-ts execute`. Slow (a build, a pack and two npm installs).
 */
const PACKAGES = ["idl", "types", "resources", "compiler", "runtime", "remote", "cli", "flytekit-ts"];
const work = mkdtempSync(join(tmpdir(), "flyte-ts-deployed-"));
// Two projects' node_modules: removing them takes a while on a loaded machine.
afterAll(() => rm(work, { recursive: true, force: true }), 5 * 60_000);

const USER_FLOWS = `import { dynamic, t, task, workflow } from "flytekit-ts";

/** No names: they default to <module path>.<export>. */
export const double = task({ inputs: { a: t.int() }, outputs: { o0: t.int() } }, ({ a }) => ({ o0: a * 2 }));
export const fail = task({ inputs: { a: t.int() }, outputs: { o0: t.int() } }, ({ a }) => {
  throw new Error(\`bad input \${a}\`);
});
export const fan = dynamic({ inputs: { n: t.int() }, outputs: { o0: t.list(t.int()) } }, ({ n }) => ({
  o0: Array.from({ length: n }, (_, i) => double({ a: i }).o0),
}));
export const wf = workflow({ inputs: { a: t.int() }, outputs: { o0: t.int() } }, ({ a }) => ({ o0: double({ a }).o0 }));
`;

describe("a user project outside the repository", () => {
  it(
    "packages without --image, ships no TypeScript, and its tasks run in a pod without TypeScript tooling",
    async () => {
      // 1. The packages as published: built, then packed (workspace ranges become versions).
      const tarballs = Object.fromEntries(Object.entries(await packPackages(join(work, "packs"), PACKAGES)).map(([name, path]) => [name, `file:${path}`]));
      const manifest = (deps: string[]) =>
        JSON.stringify({ name: "user-project", private: true, type: "module", dependencies: Object.fromEntries(deps.map((d) => [d, tarballs[d]])), overrides: tarballs }, null, 2);

      // 2. The user's project: the CLI (which builds) and the SDK, TypeScript sources.
      const project = join(work, "project");
      mkdirSync(join(project, "src"), { recursive: true });
      writeFileSync(join(project, "package.json"), manifest(["@flytekit-ts/cli", "flytekit-ts"]));
      writeFileSync(join(project, "src", "flows.ts"), USER_FLOWS);
      await npm(["install"], project);
      const packaged = await run(join(project, "node_modules", ".bin", "flyte-ts"), ["package", "src/flows.ts", "-o", "bundle.tgz"], { cwd: project });
      expect(packaged.stdout).toMatch(/wrote 5 entities to bundle\.tgz/);

      // 3. The pod: the bundle extracted beside the runtime packages, installed without optional dependencies.
      const pod = join(work, "pod");
      mkdirSync(pod);
      writeFileSync(join(pod, "package.json"), manifest(["@flytekit-ts/cli", "flytekit-ts"]));
      await npm(["install", "--omit=optional"], pod);
      await run("tar", ["-xzf", join(project, "bundle.tgz"), "-C", pod]);
      for (const tool of ["tsx", "esbuild", "typescript"]) expect(existsSync(join(pod, "node_modules", tool)), `${tool} in the pod`).toBe(false);
      const shipped = walk(pod).filter((f) => f !== "package.json" && f !== "package-lock.json");
      expect(shipped.filter((f) => /\.[cm]?tsx?$/.test(f))).toEqual([]);
      expect(shipped).toContain("flyte-ts-build/src/flows.mjs");

      // The templates: the default runtime image, default names, the built module.
      const pbs = shipped.filter((f) => f.endsWith(".pb"));
      const taskSpecs = pbs.filter((f) => f.endsWith("_1.pb")).map((f) => flyteidl.admin.TaskSpec.decode(readFileSync(join(pod, f))));
      const byName = new Map(taskSpecs.map((s) => [s.template?.id?.name, s.template]));
      expect([...byName.keys()].sort()).toEqual(["src.flows.double", "src.flows.fail", "src.flows.fan"]);
      const cliVersion = JSON.parse(readFileSync(join(repo, "packages/cli/package.json"), "utf8")).version as string;
      const double = byName.get("src.flows.double");
      expect(double?.container?.image).toBe(`ghcr.io/flytekit-ts/runtime:${cliVersion}`);
      expect(double?.container?.args?.slice(-4)).toEqual(["module", "flyte-ts-build/src/flows.mjs", "name", "double"]);

      // 4. The tasks run from the extracted bundle through the pod's flyte-ts execute, with the templates' args.
      const execute = (template: flyteidl.core.ITaskTemplate | null | undefined, a: number) =>
        executeTemplate(pod, template, flyteidl.core.LiteralMap.encode({ literals: { [template?.id?.name === "src.flows.fan" ? "n" : "a"]: { scalar: { primitive: { integer: a } } } } }).finish(), work);
      const ok = await execute(double, 21);
      expect(ok.files).toEqual(["outputs.pb"]);
      expect(flyteidl.core.LiteralMap.decode(readFileSync(join(ok.dir, "out", "outputs.pb"))).literals["o0"]?.scalar?.primitive?.integer?.toString()).toBe("42");

      const fan = await execute(byName.get("src.flows.fan"), 3);
      expect(fan.files).toEqual(["futures.pb"]);
      const futures = flyteidl.core.DynamicJobSpec.decode(readFileSync(join(fan.dir, "out", "futures.pb")));
      expect(futures.nodes).toHaveLength(3);
      const child = futures.tasks[0];
      expect(child?.id?.name).toBe("src.flows.double");
      expect(child?.container?.args?.slice(-4)).toEqual(["module", "flyte-ts-build/src/flows.mjs", "name", "double"]);

      // A failing task's error points at the TypeScript line (source maps enabled by the entrypoint).
      const failed = await execute(byName.get("src.flows.fail"), 7);
      expect(failed.files).toEqual(["error.pb"]);
      const error = flyteidl.core.ErrorDocument.decode(readFileSync(join(failed.dir, "out", "error.pb")));
      expect(error.error?.message).toMatch(/bad input 7/);
      expect(error.error?.message).toMatch(/src\/flows\.ts:6:\d+/);
    },
    20 * 60_000,
  );
});
