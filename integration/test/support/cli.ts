import { execFile, spawn } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { examplesDir, repoRoot } from "./remote.js";

const run = promisify(execFile);
const tsx = join(repoRoot, "integration/node_modules/.bin/tsx");
const bin = join(repoRoot, "packages/cli/src/bin.ts");
const command = (args: string[]) => [tsx, ["--conditions=@flytekit-ts/source", bin, ...args]] as const;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The environment `flyte-ts` runs in: the caller's, without a flytectl config from the environment,
 * plus `env` (e.g. a HOME of its own, so its token cache is the test's).
 */
const environment = (env: Record<string, string>) => ({ ...process.env, FLYTECTL_CONFIG: "", ...env });

/** `flyte-ts …` as a user types it, in examples/workflows. */
export async function flyteTs(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const [file, argv] = command(args);
  try {
    const { stdout, stderr } = await run(file, argv, { cwd: examplesDir, env: environment(env), maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof e.code !== "number") throw error;
    return { code: e.code, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

/**
 * `flyte-ts …` started in the background: `stderrLine` resolves with the first line of its stderr
 * that matches (a prompt the user must act on), `done` with its outcome.
 */
export function startFlyteTs(args: string[], env: Record<string, string> = {}): { stderrLine: (pattern: RegExp) => Promise<RegExpExecArray>; done: Promise<CliResult> } {
  const [file, argv] = command(args);
  const child = spawn(file, argv, { cwd: examplesDir, env: environment(env), stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  const waiters: { pattern: RegExp; resolve: (m: RegExpExecArray) => void }[] = [];
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
    for (const waiter of [...waiters]) {
      const match = waiter.pattern.exec(stderr);
      if (match) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(match);
      }
    }
  });
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
  return {
    done,
    stderrLine: (pattern) =>
      new Promise<RegExpExecArray>((resolve, reject) => {
        const match = pattern.exec(stderr);
        if (match) return resolve(match);
        waiters.push({ pattern, resolve });
        void done.then((result) => reject(new Error(`flyte-ts exited (${result.code}) without printing ${pattern}:\n${result.stderr}`)));
      }),
  };
}
