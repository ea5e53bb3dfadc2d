/**
 * What the end-to-end tests share: the control plane `up.sh` started (its sandbox.json and e2e.json),
 * `flyte-ts` as a user types it, and typed outputs through @flytekit-ts/remote.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { userInfo } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { createAdminClient, FlyteRemote } from "@flytekit-ts/remote";

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, "../../..");
export const examplesDir = join(repoRoot, "examples/workflows");
/** This suite's own workflows (workflows/flows.ts). */
export const flowsDir = join(here, "../workflows");

export interface Sandbox {
  adminEndpoint: string;
  configFile: string;
  project: string;
  logs: string;
}
export interface E2e {
  kubeconfig: string;
  kubeServer: string;
  podLogs: string;
  venv: string;
}

export function stateDir(): string {
  return process.env.FLYTE_TS_SANDBOX_DIR ?? join(process.env.TMPDIR ?? "/tmp", `flytekit-ts-flyte-${userInfo().uid}`);
}

function readState<T>(file: string): T {
  const path = join(stateDir(), file);
  try {
    return JSON.parse(readFileSync(path, "utf8")) as T;
  } catch (cause) {
    throw new Error(`no end-to-end control plane (${path} is missing): run \`pnpm flyte:up:e2e\` first, or \`pnpm test:e2e\``, { cause });
  }
}
export const sandbox = (): Sandbox => readState<Sandbox>("sandbox.json");
export const e2e = (): E2e => readState<E2e>("e2e.json");

const run = promisify(execFile);
const tsx = join(here, "../node_modules/.bin/tsx");
const bin = join(repoRoot, "packages/cli/src/bin.ts");

/** `flyte-ts …` in `cwd`, as a user types it; never throws on a non-zero exit. */
export async function flyteTs(cwd: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(tsx, ["--conditions=@flytekit-ts/source", bin, ...args], { cwd, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : -1, stdout: e.stdout ?? "", stderr: e.stderr ?? String(error) };
  }
}

/**
 * `flyte-ts run --remote --no-wait <module> <export> <inputs…>` in `cwd` (the source root), with the
 * config file up.sh wrote: fast-registers the module and launches the export; returns the execution's
 * name. One launch at a time: each compiles into the source root's flyte-ts-build/, which two
 * concurrent runs in one folder would both rewrite (the executions themselves run concurrently).
 */
export function launch(cwd: string, module: string, entity: string, ...inputs: string[]): Promise<string> {
  const launched = launching.then(() => launchNow(cwd, module, entity, inputs));
  launching = launched.catch(() => undefined);
  return launched;
}
let launching: Promise<unknown> = Promise.resolve();

async function launchNow(cwd: string, module: string, entity: string, inputs: string[]): Promise<string> {
  const launched = await flyteTs(cwd, "run", "--remote", "--no-wait", "--config", sandbox().configFile, "--source-root", ".", module, entity, ...inputs);
  if (launched.code !== 0) throw new Error(`flyte-ts run --remote ${module} ${entity} exited with ${launched.code}:\n${launched.stderr}`);
  const name = launched.stdout.trim().split("\n").pop() ?? "";
  if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new Error(`flyte-ts run --remote --no-wait printed no execution name:\n${launched.stdout}\n${launched.stderr}`);
  return name;
}

let shared: FlyteRemote | undefined;
/** A FlyteRemote on the local FlyteAdmin, through the config file up.sh wrote, as a user's would be. */
export function remote(): FlyteRemote {
  shared ??= new FlyteRemote({
    adminClient: createAdminClient({ configFile: sandbox().configFile, env: {}, tokenCachePath: false }),
    project: sandbox().project,
    domain: "development",
  });
  return shared;
}

/** Waits (generously: the machine is shared) until the execution ends; its final state. */
export function finished(name: string) {
  return remote().wait(name, { timeoutMs: 15 * 60_000, pollIntervalMs: 1000, maxPollIntervalMs: 3000 });
}
