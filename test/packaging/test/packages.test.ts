import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, posix, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { checkPackage, createPackageFromTarballData, type Problem } from "@arethetypeswrong/core";
import { publint } from "publint";
import { formatMessage } from "publint/utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * Every published package as a user gets it: built, packed by pnpm (as `changeset publish` does, so
 * `workspace:` ranges and publishConfig are applied), linted by publint and attw, and installed alone —
 * the tarball and those of its @flytekit-ts dependencies, everything else from the registry — by npm into
 * an empty project, where it is imported with `import` and `require`. Slow: a build, eight packs and
 * eight npm installs (side by side).
 */
const run = promisify(execFile);
const repo = resolve(fileURLToPath(import.meta.url), "../../../..");
const work = mkdtempSync(join(tmpdir(), "flytekit-ts-packaging-"));
// Eight installed projects: removing them takes a while on a loaded machine.
afterAll(() => rmSync(work, { recursive: true, force: true }), 5 * 60_000);

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  license?: string;
  homepage?: string;
  bugs?: string;
  repository?: { type: string; url: string; directory: string };
  engines?: { node?: string };
  exports?: unknown;
  bin?: Record<string, string>;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, "utf8")) as T;
const PUBLISHED = readdirSync(join(repo, "packages"))
  .map((dir) => ({ dir, manifest: readJson<Manifest>(join(repo, "packages", dir, "package.json")) }))
  .filter(({ manifest }) => !manifest.private);
const NAMES = new Set(PUBLISHED.map((p) => p.manifest.name));

/** pnpm as this test was started by it (CI runs it through npx, so it may not be on PATH), else from PATH. */
const npmExecPath = process.env["npm_execpath"];
const pnpm = (args: string[], cwd: string) =>
  npmExecPath && /pnpm/.test(npmExecPath) ? run(process.execPath, [npmExecPath, ...args], { cwd }) : run("pnpm", args, { cwd });
const npm = (args: string[], cwd: string) => run("npm", [...args, "--no-audit", "--no-fund", "--loglevel=error"], { cwd, maxBuffer: 64 << 20 });
const node = async (args: string[], cwd: string) => (await run(process.execPath, args, { cwd })).stdout;

/** Every file under a directory, as paths relative to it. */
function walk(dir: string, prefix = ""): string[] {
  return readdirSync(dir).flatMap((name) =>
    statSync(join(dir, name)).isDirectory() ? walk(join(dir, name), `${prefix}${name}/`) : [`${prefix}${name}`],
  );
}

interface Packed {
  dir: string;
  name: string;
  tarball: string;
  /** The tarball's contents, extracted (its `package/` directory). */
  unpacked: string;
  manifest: Manifest;
}
const packed = new Map<string, Packed>();

beforeAll(async () => {
  await run(join(repo, "node_modules", ".bin", "turbo"), ["run", "build", "--filter=./packages/*", "--output-logs=errors-only"], {
    cwd: repo,
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1" },
  });
  const packs = join(work, "packs");
  mkdirSync(packs);
  for (const { dir, manifest } of PUBLISHED) {
    const { stdout } = await pnpm(["pack", "--pack-destination", packs], join(repo, "packages", dir));
    const tarball = resolve(packs, stdout.trim().split("\n").at(-1) as string);
    const unpacked = join(work, "unpacked", dir);
    mkdirSync(unpacked, { recursive: true });
    await run("tar", ["-xzf", tarball, "-C", unpacked, "--strip-components=1"]);
    packed.set(manifest.name, { dir, name: manifest.name, tarball, unpacked, manifest: readJson<Manifest>(join(unpacked, "package.json")) });
  }
  // Each package alone in an empty project: its tarball, and those of its @flytekit-ts dependencies (not on
  // the registry yet) through overrides; everything else from the registry. The installs run side by side.
  const internal = Object.fromEntries([...packed.values()].map((p) => [p.name, `file:${p.tarball}`]));
  await Promise.all(
    [...packed.values()].map(async ({ dir, name, tarball }) => {
      const project = join(work, "alone", dir);
      mkdirSync(project, { recursive: true });
      const manifest = { name: "empty-project", private: true, dependencies: { [name]: `file:${tarball}` }, overrides: internal };
      writeFileSync(join(project, "package.json"), JSON.stringify(manifest, null, 2));
      await npm(["install"], project);
    }),
  );
}, 20 * 60_000);

describe.each(PUBLISHED.map((p) => p.manifest.name))("the packed %s", { timeout: 10 * 60_000 }, (name) => {
  const get = (): Packed => {
    const p = packed.get(name);
    if (!p) throw new Error(`${name} was not packed`);
    return p;
  };

  it("ships only its build, its commands' launchers, README, LICENSE and package.json (and create-flytekit-ts its template)", () => {
    const { unpacked, manifest } = get();
    const files = walk(unpacked);
    const launchers = Object.values(manifest.bin ?? {}).map((f) => posix.normalize(f));
    // create-flytekit-ts also ships the files it writes into a new project.
    const shipped = (f: string) => f.startsWith("dist/") || (name === "create-flytekit-ts" && f.startsWith("template/"));
    expect(files.filter((f) => !shipped(f)).sort()).toEqual(["LICENSE", "README.md", ...launchers, "package.json"].sort());
    expect(files.some((f) => f.startsWith("dist/"))).toBe(true);
  });

  it("has a publishable manifest: metadata, real version ranges, only shipped export conditions", () => {
    const { manifest, dir } = get();
    expect(manifest.license).toBe("Apache-2.0");
    expect(manifest.repository).toEqual({ type: "git", url: "git+https://github.com/flytekit-ts/flytekit-ts.git", directory: `packages/${dir}` });
    expect(manifest.homepage).toMatch(/^https:\/\/github\.com\/flytekit-ts\/flytekit-ts\/tree\/main\/packages\//);
    expect(manifest.bugs).toBe("https://github.com/flytekit-ts/flytekit-ts/issues");
    expect(manifest.engines?.node).toBe(">=20.19");
    // The workspace resolves to src/ through this condition; src/ is not shipped.
    expect(JSON.stringify(manifest.exports)).not.toContain("@flytekit-ts/source");
    for (const deps of [manifest.dependencies, manifest.optionalDependencies, manifest.peerDependencies]) {
      for (const [dep, range] of Object.entries(deps ?? {})) {
        const version = packed.get(dep)?.manifest.version;
        // Internal dependencies at this release's versions; third-party ones as caret ranges users can dedupe.
        expect(range, dep).toBe(NAMES.has(dep) ? `^${version}` : range.replace(/^(?!\^)/, "^"));
      }
    }
  });

  it("has source maps whose sources are relative to the package, with their content", () => {
    const { unpacked } = get();
    const maps = walk(unpacked).filter((f) => f.endsWith(".map"));
    expect(maps.length).toBeGreaterThan(0);
    for (const map of maps) {
      const { sources, sourcesContent } = readJson<{ sources: string[]; sourcesContent?: (string | null)[] }>(join(unpacked, map));
      // Inside the package: its src/ (the content is in the map), files it ships (package.json, read for
      // the version), bundled dependencies as node_modules/<name>/… — never pnpm's store or the repository.
      const outside = sources.filter((s) => {
        const at = posix.normalize(posix.join(posix.dirname(map), s));
        return at.startsWith("../") || posix.isAbsolute(at) || at.includes("node_modules/.pnpm/");
      });
      expect(outside, map).toEqual([]);
      expect(sourcesContent?.length, map).toBe(sources.length);
    }
  });

  it("passes publint", async () => {
    const { tarball, manifest } = get();
    const data = readFileSync(tarball);
    const { messages } = await publint({ pack: { tarball: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) }, strict: true });
    expect(messages.map((m) => `${m.type}: ${formatMessage(m, manifest) ?? m.code}`)).toEqual([]);
  });

  it("passes Are the Types Wrong (types for import and require, in every module resolution)", async () => {
    const result = await checkPackage(createPackageFromTarballData(new Uint8Array(readFileSync(get().tarball))));
    if (result.types === false) throw new Error(`${name} has no types`);
    expect(result.problems.map(describeProblem)).toEqual([]);
  });

  it("installs alone into an empty project and loads with import and require", async () => {
    const { manifest, dir } = get();
    const project = join(work, "alone", dir);
    const sourceExports = Object.keys((await import(join(repo, "packages", dir, "src", "index.ts"))) as Record<string, unknown>).sort();
    writeFileSync(join(project, "probe.mjs"), `console.log(JSON.stringify(Object.keys(await import(${JSON.stringify(name)})).sort()));\n`);
    writeFileSync(join(project, "probe.cjs"), `console.log(JSON.stringify(Object.keys(require(${JSON.stringify(name)})).sort()));\n`);
    expect(JSON.parse(await node(["probe.mjs"], project))).toEqual(sourceExports);
    expect(JSON.parse(await node(["probe.cjs"], project))).toEqual(sourceExports);

    for (const command of Object.keys(manifest.bin ?? {})) {
      const { stdout } = await run(join(project, "node_modules", ".bin", command), ["--help"], { cwd: project });
      expect(stdout).toMatch(new RegExp(`Usage: ${command}`));
    }
  });
});

function describeProblem(problem: Problem): string {
  const where = "entrypoint" in problem ? ` at ${problem.entrypoint}` : "";
  const how = "resolutionKind" in problem ? ` (${problem.resolutionKind})` : "";
  return `${problem.kind}${where}${how}`;
}
