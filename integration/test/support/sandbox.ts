import { readFileSync } from "node:fs";
import { userInfo } from "node:os";
import { join } from "node:path";

/** What `integration/flyte/up.sh` writes to sandbox.json: where the local control plane listens. */
export interface Sandbox {
  adminEndpoint: string;
  adminHttp: string;
  /** The flytectl / flyte-ts config file for it. */
  configFile: string;
  project: string;
  s3: { endpoint: string; region: string; accessKeyId: string; secretAccessKey: string; bucket: string };
  postgres: { host: string; port: number };
  logs: string;
}

/** The state directory up.sh uses: $FLYTE_TS_SANDBOX_DIR, else ${TMPDIR:-/tmp}/flytekit-ts-flyte-<uid>. */
export function sandboxDir(): string {
  return process.env.FLYTE_TS_SANDBOX_DIR ?? join(process.env.TMPDIR ?? "/tmp", `flytekit-ts-flyte-${userInfo().uid}`);
}

/** The running sandbox, or an error that says how to start it. */
export function sandbox(): Sandbox {
  const file = join(sandboxDir(), "sandbox.json");
  try {
    return JSON.parse(readFileSync(file, "utf8")) as Sandbox;
  } catch (cause) {
    throw new Error(`no local Flyte control plane (${file} is missing): run \`pnpm flyte:up\` first, or \`pnpm test:integration\``, { cause });
  }
}
