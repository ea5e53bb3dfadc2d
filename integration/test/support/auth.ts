import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sandboxDir } from "./sandbox.js";

/** What `integration/flyte/auth.sh` writes to auth.json: the auth-enabled FlyteAdmin and its Dex. */
export interface AuthSandbox {
  /** FlyteAdmin with `useAuth: true` (same database and object store as the open one). */
  adminEndpoint: string;
  adminHttp: string;
  /** Dex's issuer URL. */
  issuer: string;
  /** flyte-ts config files for the auth admin: ClientSecret and DeviceFlow. */
  clientSecretConfigFile: string;
  deviceFlowConfigFile: string;
  /** Dex's confidential client (client credentials grant). */
  client: { id: string; secretFile: string };
  /** The public client FlyteAdmin publishes (device flow, PKCE). */
  publicClientId: string;
  /** Dex's static password user. */
  user: { email: string; password: string };
}

export function authSandbox(): AuthSandbox {
  const file = join(sandboxDir(), "auth.json");
  try {
    return JSON.parse(readFileSync(file, "utf8")) as AuthSandbox;
  } catch (cause) {
    throw new Error(`no auth profile in the local Flyte control plane (${file} is missing): run \`pnpm flyte:up\` first, or \`pnpm test:integration\``, { cause });
  }
}
