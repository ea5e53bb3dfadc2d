import { readFileSync } from "node:fs";
import { join } from "node:path";
import { FlytekitError } from "@flytekit-ts/idl";

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Where secrets are looked for, as flytekit's `SecretsConfig`: the environment variable prefix, the
 * directory of mounted files and a prefix for file names. Flyte's secrets webhook sets the matching
 * `FLYTE_SECRETS_*` variables in the pod, so both SDKs find what it injected.
 */
export interface SecretsConfig {
  /** `FLYTE_SECRETS_ENV_PREFIX`, default `_FSEC_`. */
  readonly envPrefix: string;
  /** `FLYTE_SECRETS_DEFAULT_DIR`, default `/etc/secrets`. */
  readonly defaultDir: string;
  /** `FLYTE_SECRETS_FILE_PREFIX`, default empty. */
  readonly filePrefix: string;
}

/** flytekit reads each setting from `FLYTE_SECRETS_<OPTION>`; unset or empty keeps its default. */
export function secretsConfig(env: Env): SecretsConfig {
  const setting = (name: string, fallback: string): string => {
    const value = env[name];
    return value === undefined || value === "" ? fallback : value.trim();
  };
  return {
    envPrefix: setting("FLYTE_SECRETS_ENV_PREFIX", "_FSEC_"),
    defaultDir: setting("FLYTE_SECRETS_DEFAULT_DIR", "/etc/secrets"),
    filePrefix: setting("FLYTE_SECRETS_FILE_PREFIX", ""),
  };
}

export class SecretNotFoundError extends FlytekitError {
  constructor(message: string) {
    super("USER:SecretNotFound", message);
  }
}

/** Which secret: its group, optional key and optional group version (as `SecretRequest`). */
export interface SecretName {
  readonly group: string;
  readonly key?: string;
  readonly groupVersion?: string;
}

/**
 * The task's secrets, read as flytekit's `SecretsManager` reads them: first the environment variable
 * `<envPrefix><GROUP>_<GROUP VERSION>_<KEY>` (upper-cased, missing parts left out), then the file
 * `<defaultDir>/<group>/<group version>/<filePrefix><key>` (lower-cased). In local runs the variable
 * without the prefix (`GROUP_KEY`) is also tried, as flytekit does. Values are trimmed.
 *
 * Like flytekit, nothing stops a task from reading a secret it did not declare; on a cluster only the
 * declared ones are injected, so a missing one's error says whether it was declared.
 */
export class Secrets {
  constructor(
    private readonly config: SecretsConfig,
    private readonly env: Env,
    private readonly declared: readonly SecretName[],
    private readonly local: boolean,
  ) {}

  /** The secret's value. Throws {@link SecretNotFoundError} naming every place looked at. */
  get(group: string, key?: string, options: { groupVersion?: string } = {}): string {
    const name: SecretName = { group, ...(key === undefined ? {} : { key }), ...(options.groupVersion === undefined ? {} : { groupVersion: options.groupVersion }) };
    checkName(name);
    const variables = [this.envVarName(name), ...(this.local ? [envVarName(name, "")] : [])];
    for (const variable of variables) {
      const value = this.env[variable];
      if (value !== undefined) return value.trim();
    }
    const path = this.filePath(name);
    try {
      return readFileSync(path, "utf8").trim();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT" && (error as NodeJS.ErrnoException).code !== "ENOTDIR") throw error;
    }
    const label = `secret ${JSON.stringify(group)}${key === undefined ? "" : ` key ${JSON.stringify(key)}`}${options.groupVersion === undefined ? "" : ` version ${JSON.stringify(options.groupVersion)}`}`;
    const isDeclared = this.declared.some((s) => s.group === group && s.key === key && (options.groupVersion === undefined || s.groupVersion === options.groupVersion));
    const hint = isDeclared
      ? "it is declared in the task's secretRequests, so check that the secret exists on the cluster (or set the variable for a local run)"
      : `the task does not declare it: add { group: ${JSON.stringify(group)}${key === undefined ? "" : `, key: ${JSON.stringify(key)}`} } to the task's secretRequests`;
    throw new SecretNotFoundError(`${label} not found: looked in environment variable${variables.length > 1 ? "s" : ""} ${variables.join(", ")} and file ${path}; ${hint}`);
  }

  /** The environment variable a secret is injected as (flytekit's `get_secrets_env_var`). */
  envVarName(name: SecretName): string {
    return envVarName(name, this.config.envPrefix);
  }

  /** The file a secret is mounted at (flytekit's `get_secrets_file`). */
  filePath(name: SecretName): string {
    const parts = [name.group, name.groupVersion, name.key].filter((p): p is string => p !== undefined && p !== "").map((p) => p.toLowerCase());
    parts[parts.length - 1] = `${this.config.filePrefix}${parts[parts.length - 1] ?? ""}`;
    return join(this.config.defaultDir, ...parts);
  }
}

function envVarName(name: SecretName, prefix: string): string {
  return `${prefix}${[name.group, name.groupVersion, name.key].filter((p) => p !== undefined && p !== "").map((p) => (p as string).toUpperCase()).join("_")}`;
}

function checkName(name: SecretName): void {
  for (const [field, value] of Object.entries(name)) {
    if (typeof value !== "string" || value.trim() === "") throw new TypeError(`secrets.get: ${field} must be a non-empty string, got ${JSON.stringify(value)}`);
    if (value.includes("/") || value === "." || value === "..") throw new TypeError(`secrets.get: ${field} ${JSON.stringify(value)} must not contain "/" or be "." or ".."`);
  }
}
