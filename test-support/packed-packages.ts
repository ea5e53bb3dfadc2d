/**
 * Helpers for the tests that use the packages as a user gets them — built, `pnpm pack`ed, installed
 * with npm outside the workspace — and run task templates the way a pod does
 * (packages/cli/test/deployed-project.test.ts, packages/create-flytekit-ts/test/from-tarballs.test.ts).
 * No workspace imports here: both packages import this file by relative path.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

export const run = promisify(execFile);
export const repoRoot = resolve(fileURLToPath(import.meta.url), "../..");
const maxBuffer = 64 << 20;

/** pnpm as the tests were started by it (CI runs it through npx, so it may not be on PATH), else from PATH. */
export function pnpm(args: string[], cwd: string) {
  const npmExecPath = process.env["npm_execpath"];
  return npmExecPath && /pnpm/.test(npmExecPath) ? run(process.execPath, [npmExecPath, ...args], { cwd, maxBuffer }) : run("pnpm", args, { cwd, maxBuffer });
}

/**
 * The environment a user's shell would give npm: without what pnpm (which runs the tests) exports to
 * its children (`npm_config_*`, `npm_package_*`, `npm_lifecycle_*`, the user agent), which npm would
 * otherwise read as its own configuration, nor what vitest sets in its workers (`VITEST*`, `TEST`,
 * `NODE_ENV=test`), which a project's own vitest would take as being nested in this one.
 */
export function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(npm_|pnpm_|vitest)/i.test(key) && key !== "TEST" && key !== "NODE_ENV"));
  return { ...env, ...extra };
}

export function npm(args: string[], cwd: string) {
  return run("npm", [...args, "--no-audit", "--no-fund", "--loglevel=error"], { cwd, maxBuffer, env: userEnv() });
}

/** The directories (under packages/) and names of the packages that are published: not private. */
export function publishedPackages(): { dir: string; name: string; version: string }[] {
  return readdirSync(join(repoRoot, "packages"))
    .filter((dir) => statSync(join(repoRoot, "packages", dir, "package.json"), { throwIfNoEntry: false })?.isFile())
    .map((dir) => ({ dir, ...(JSON.parse(readFileSync(join(repoRoot, "packages", dir, "package.json"), "utf8")) as { name: string; version: string; private?: boolean }) }))
    .filter((pkg) => pkg.private !== true)
    .map(({ dir, name, version }) => ({ dir, name, version }));
}

/**
 * Runs `fn` while holding a lock shared by every process of this checkout: two test files building
 * the packages at once would have tsup (which cleans dist/) and turbo's cache restores write the same
 * dist/ while the other packs it. A lock whose holder died (or that never got a pid) is taken over.
 */
async function withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const dir = join(tmpdir(), `flytekit-ts-${name}-${createHash("sha256").update(repoRoot).digest("hex").slice(0, 12)}.lock`);
  for (;;) {
    try {
      mkdirSync(dir);
      writeFileSync(join(dir, "pid"), String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      if (lockIsStale(dir)) rmSync(dir, { recursive: true, force: true });
      else await sleep(1000);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function lockIsStale(dir: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(join(dir, "pid"), "utf8"));
  } catch {
    // Between mkdir and writing the pid, or a holder that died there: stale only after a while.
    const made = statSync(dir, { throwIfNoEntry: false });
    return made !== undefined && Date.now() - made.mtimeMs > 60_000;
  }
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/**
 * The published packages as npm would get them: built (turbo, so unchanged packages come from its
 * cache), then `pnpm pack`ed into `dest` (workspace ranges become versions). Returns each package
 * name's tarball path.
 */
export async function packPackages(dest: string, dirs = publishedPackages().map((p) => p.dir)): Promise<Record<string, string>> {
  mkdirSync(dest, { recursive: true });
  return withLock("pack", async () => {
    await pnpm(["turbo", "run", "build", ...dirs.map((dir) => `--filter=./packages/${dir}`), "--output-logs=errors-only"], repoRoot);
    const tarballs: Record<string, string> = {};
    for (const dir of dirs) {
      const { stdout } = await pnpm(["pack", "--pack-destination", dest], join(repoRoot, "packages", dir));
      const file = stdout.trim().split("\n").at(-1) as string;
      const name = JSON.parse(readFileSync(join(repoRoot, "packages", dir, "package.json"), "utf8")).name as string;
      tarballs[name] = resolve(dest, file);
    }
    return tarballs;
  });
}

/** Every file under a directory (relative paths), skipping node_modules. */
export function walk(dir: string, prefix = ""): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name === "node_modules") return [];
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path, `${prefix}${name}/`) : [`${prefix}${name}`];
  });
}

/** What a task template's container runs (the fields of flyteidl's TaskTemplate that matter here). */
export interface TemplateLike {
  readonly container?: { readonly args?: readonly string[] | null; readonly env?: readonly { readonly key?: string | null; readonly value?: string | null }[] | null } | null;
}

/**
 * Runs a task template as a pod would: its container args with Flyte's placeholders filled in, its
 * env, from `pod` (the working directory holding the built code and node_modules), through the
 * pod's own `flyte-ts`. `inputs` is the encoded LiteralMap. Returns the run's directory and the files
 * the task wrote to its output prefix.
 */
export async function executeTemplate(
  pod: string,
  template: TemplateLike | null | undefined,
  inputs: Uint8Array,
  work: string,
  options: { node?: string; env?: Record<string, string> } = {},
): Promise<{ dir: string; files: string[]; stderr: string }> {
  const dir = mkdtempSync(join(work, "run-"));
  writeFileSync(join(dir, "inputs.pb"), inputs);
  const vars: Record<string, string> = { input: join(dir, "inputs.pb"), outputPrefix: join(dir, "out"), rawOutputDataPrefix: join(dir, "raw"), checkpointOutputPrefix: "", prevCheckpointPrefix: "" };
  const args = (template?.container?.args ?? []).map((arg) => arg.replace(/^\{\{\.(\w+)\}\}$/, (_, k: string) => vars[k] ?? ""));
  if (args[0] !== "flyte-ts" || args[1] !== "execute") throw new Error(`the template does not run flyte-ts execute: ${args.join(" ")}`);
  const env = Object.fromEntries((template?.container?.env ?? []).map((e) => [e.key as string, e.value as string]));
  const { HOME } = process.env;
  // `flyte-ts` starts with `#!/usr/bin/env node`: the first node on PATH is the pod's Node.js.
  const PATH = options.node ? `${dirname(options.node)}${delimiter}${process.env.PATH}` : process.env.PATH;
  const { stderr } = await run(join(pod, "node_modules", ".bin", "flyte-ts"), args.slice(1), { cwd: pod, env: { PATH, HOME, ...env, ...options.env }, maxBuffer });
  return { dir, files: readdirSync(join(dir, "out")), stderr };
}
