import { flyteidl } from "@flytekit-ts/idl";
import { checkKnownKeys, isPlainObject, show, type ProblemList } from "./problems.js";

/**
 * How a secret reaches the container. `"ANY"` lets the platform choose (the Kubernetes backend mounts
 * a file); `"ENV_VAR"` injects an environment variable; `"FILE"` mounts
 * `/etc/flyte/secrets/<group>/<key>`.
 */
export type SecretMount = "ANY" | "ENV_VAR" | "FILE";

/** A secret the task needs at run time, as flytekit's `Secret(group, key, ...)`. */
export interface SecretRequest {
  /** The secret's group (a Kubernetes Secret's name with the default backend). */
  readonly group: string;
  /** The key within the group; without one, a file mount gets every key of the group. */
  readonly key?: string;
  /** Version of the group, for backends that version secrets (Vault, cloud secret managers). */
  readonly groupVersion?: string;
  /** Defaults to `"ANY"`. */
  readonly mountRequirement?: SecretMount;
  /** Also expose the secret under this environment variable name (`^[A-Z_][A-Z0-9_]*$`). */
  readonly envVar?: string;
}

// flytekit/models/security.py validates env_var with this pattern.
const ENV_VAR_NAME = /^[A-Z_][A-Z0-9_]*$/;
const MOUNTS: readonly SecretMount[] = ["ANY", "ENV_VAR", "FILE"];

export function checkSecretRequests(problems: ProblemList, path: string, secrets: unknown): void {
  if (secrets === undefined) return;
  if (!Array.isArray(secrets)) {
    problems.add(path, secrets, `must be a list of { group, key?, groupVersion?, mountRequirement?, envVar? }, got ${show(secrets)}`);
    return;
  }
  secrets.forEach((secret: unknown, i) => {
    const at = `${path}[${i}]`;
    if (!isPlainObject(secret)) {
      problems.add(at, secret, `must be an object { group, key?, ... }, got ${show(secret)}`);
      return;
    }
    checkKnownKeys(problems, at, secret, ["group", "key", "groupVersion", "mountRequirement", "envVar"], "secret field");
    const { group, key, groupVersion, mountRequirement, envVar } = secret;
    if (typeof group !== "string" || group.trim() === "") problems.add(`${at}.group`, group, "is required: the secret's group (non-empty string)");
    if (key !== undefined && (typeof key !== "string" || key.trim() === "")) {
      problems.add(`${at}.key`, key, `${show(key)} must be a non-empty string (or leave it out)`);
    }
    if (groupVersion !== undefined && (typeof groupVersion !== "string" || groupVersion.trim() === "")) {
      problems.add(`${at}.groupVersion`, groupVersion, `${show(groupVersion)} must be a non-empty string (or leave it out)`);
    }
    if (mountRequirement !== undefined && !MOUNTS.includes(mountRequirement as SecretMount)) {
      problems.add(`${at}.mountRequirement`, mountRequirement, `${show(mountRequirement)} must be one of "ANY", "ENV_VAR", "FILE"`);
    }
    if (mountRequirement === "ENV_VAR" && key === undefined) {
      // An environment variable holds one value; only file mounts can carry a whole group.
      problems.add(`${at}.key`, key, "is required when mountRequirement is \"ENV_VAR\"");
    }
    if (envVar !== undefined && (typeof envVar !== "string" || !ENV_VAR_NAME.test(envVar))) {
      problems.add(`${at}.envVar`, envVar, `${show(envVar)} is not a valid environment variable name (must match ^[A-Z_][A-Z0-9_]*$)`);
    }
  });
}

export function secretMessage(secret: SecretRequest): flyteidl.core.Secret {
  return flyteidl.core.Secret.create({
    group: secret.group,
    ...(secret.key !== undefined ? { key: secret.key } : {}),
    ...(secret.groupVersion !== undefined ? { groupVersion: secret.groupVersion } : {}),
    mountRequirement: flyteidl.core.Secret.MountType[secret.mountRequirement ?? "ANY"],
    ...(secret.envVar !== undefined ? { envVar: secret.envVar } : {}),
  });
}

/** `SecurityContext{secrets}`, or `undefined` when no secret is requested (flytekit leaves it unset). */
export function securityContextMessage(secrets: readonly SecretRequest[] | undefined): flyteidl.core.SecurityContext | undefined {
  if (!secrets || secrets.length === 0) return undefined;
  return flyteidl.core.SecurityContext.create({ secrets: secrets.map(secretMessage) });
}
