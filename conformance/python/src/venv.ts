import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** This package's folder (where install.sh, driver.py and requirements.txt live). */
export const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..");
/** The hash-locked requirements of the flytekit environment. */
export const lockFile = join(packageDir, "requirements.txt");
/** The driver the TypeScript client starts. */
export const driverScript = join(packageDir, "driver.py");

const MARKER = ".flytekit-ts-installed";

/** The first 12 hex digits of the lock's sha256: the venv's name, so a changed lock gets a new venv. */
export function lockHash(): string {
  return createHash("sha256").update(readFileSync(lockFile)).digest("hex").slice(0, 12);
}

/**
 * Where install.sh puts the venv (the same rule, kept in step with it): `$FLYTEKIT_TS_VENV`, or
 * `${XDG_CACHE_HOME:-~/.cache}/flytekit-ts/venv-<lock hash>` — outside the clone, so reruns reuse it.
 */
export function venvPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env["FLYTEKIT_TS_VENV"]) return env["FLYTEKIT_TS_VENV"];
  const cache = env["XDG_CACHE_HOME"] || join(homedir(), ".cache");
  return join(cache, "flytekit-ts", `venv-${lockHash()}`);
}

/** An installed flytekit environment. */
export interface FlytekitVenv {
  readonly path: string;
  /** The venv's Python interpreter. */
  readonly python: string;
  /** The venv's bin folder (`pyflyte`, `pyflyte-execute`, …). */
  readonly bin: string;
}

/** The installed venv, or undefined when install.sh has not (completely) run for the current lock. */
export function findVenv(env: NodeJS.ProcessEnv = process.env): FlytekitVenv | undefined {
  const path = venvPath(env);
  const marker = join(path, MARKER);
  if (!existsSync(marker)) return undefined;
  // A venv given by $FLYTEKIT_TS_VENV may have been installed from another lock; the marker says which.
  if (readFileSync(marker, "utf8").trim() !== lockHash()) return undefined;
  const bin = join(path, "bin");
  return { path, python: join(bin, "python"), bin };
}

/**
 * The venv for a live suite. When it is missing: in CI (`CI=true`) this throws, failing the suite,
 * since CI must have run install.sh; locally it prints a loud warning and returns undefined, so the
 * caller skips (`describe.skipIf(!venv)`).
 */
export function venvForLiveSuite(suite: string, env: NodeJS.ProcessEnv = process.env): FlytekitVenv | undefined {
  const venv = findVenv(env);
  if (venv) return venv;
  const message =
    `the flytekit virtualenv is not installed at ${venvPath(env)}: ` +
    `run \`bash conformance/python/install.sh\` (or \`pnpm --filter @flytekit-ts/conformance-python setup\`)`;
  if (env["CI"] && env["CI"] !== "false" && env["CI"] !== "0") throw new Error(`${suite}: ${message} — CI must install it (.ci/run does)`);
  console.warn(`\n${"!".repeat(100)}\n!! SKIPPING ${suite}: ${message}\n${"!".repeat(100)}\n`);
  return undefined;
}
