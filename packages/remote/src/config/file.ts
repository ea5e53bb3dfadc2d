/** flytectl's YAML config file: finding it, and reading its `admin` section (unknown and misspelt keys included). */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { distance } from "fastest-levenshtein";
import { parse as parseYaml } from "yaml";
import { ConfigError } from "../errors.js";
import type { Kind, Layer, SettingName } from "./types.js";
import { convert, expandHome, isPlainObject, set } from "./values.js";

/** flytectl's `admin.*` keys this client reads, and how. */
const FILE_KEYS: Record<string, [SettingName, Kind]> = {
  endpoint: ["endpoint", "string"],
  insecure: ["insecure", "boolean"],
  insecureSkipVerify: ["insecureSkipVerify", "boolean"],
  caCertFilePath: ["caCertFilePath", "string"],
  authType: ["authType", "authType"],
  clientId: ["clientId", "string"],
  clientSecretLocation: ["clientSecretLocation", "string"],
  clientSecretEnvVar: ["clientSecretEnvVar", "string"],
  scopes: ["scopes", "strings"],
  audience: ["audience", "string"],
  useAudienceFromAdmin: ["useAudienceFromAdmin", "boolean"],
  command: ["command", "strings"],
  tokenUrl: ["tokenUrl", "string"],
  authorizationHeader: ["authorizationHeader", "string"],
  tokenRefreshWindow: ["tokenRefreshWindowMs", "duration"],
  maxRetries: ["maxRetries", "count"],
  perRetryTimeout: ["perRetryTimeoutMs", "duration"],
  maxBackoffDelay: ["maxBackoffDelayMs", "duration"],
};

const FILE_SUBKEYS: Record<string, Record<string, [SettingName, Kind] | null>> = {
  pkceConfig: { timeout: ["pkceTimeoutMs", "duration"], refreshTime: null },
  deviceFlowConfig: { pollInterval: ["deviceFlowPollIntervalMs", "duration"], timeout: ["deviceFlowTimeoutMs", "duration"], refreshTime: null },
};

/** flytectl keys that are understood but have no effect here; a note explains why. */
const IGNORED_FILE_KEYS: Record<string, string> = {
  useAuth: "deprecated in flytectl; whether to authenticate is decided by the server",
  authorizationServerUrl: "deprecated in flytectl; the authorization server is discovered through AuthMetadataService (set admin.tokenUrl to override the token endpoint)",
  defaultServiceConfig: "gRPC service configs are not supported; retries are set with admin.maxRetries",
  httpProxyURL: "HTTP proxies are not supported yet",
  proxyCommand: "proxy authorization is not supported yet",
  defaultOrg: "organisations are not used by this client",
};

export function findConfigFile(explicit: string | false | undefined, env: Readonly<Record<string, string | undefined>>, home: string): string | undefined {
  if (explicit === false) return undefined;
  if (explicit !== undefined) {
    const path = expandHome(explicit, home);
    if (!existsSync(path)) throw new ConfigError("configFile", "options", `no such file: ${path}`);
    return path;
  }
  const fromEnv = env["FLYTECTL_CONFIG"];
  if (fromEnv) {
    const path = expandHome(fromEnv, home);
    if (!existsSync(path)) throw new ConfigError("FLYTECTL_CONFIG", "environment", `no such file: ${path}`);
    return path;
  }
  const fallback = join(home, ".flyte", "config.yaml");
  return existsSync(fallback) ? fallback : undefined;
}

export function readConfigFile(path: string, home: string, warn: (message: string) => void): Layer {
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(path, "utf8"));
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message.split("\n")[0] : String(cause);
    throw new ConfigError("config file", path, `is not valid YAML: ${reason}`);
  }
  if (doc === null || doc === undefined) return {};
  if (!isPlainObject(doc)) throw new ConfigError("config file", path, "must be a YAML mapping with an admin section");
  if (!("admin" in doc)) {
    // Other sections (storage, logger, console, …) belong to other Flyte tools; a near-miss of `admin`
    // would silently drop every setting.
    const misspelt = Object.keys(doc).find((key) => closeTo(key, ["admin"]) !== undefined);
    if (misspelt !== undefined) throw new ConfigError(misspelt, path, 'is not a section this client reads (did you mean "admin"?)');
  }
  const admin = doc["admin"];
  if (admin === undefined || admin === null) return {};
  if (!isPlainObject(admin)) throw new ConfigError("admin", path, "must be a mapping of settings");

  const layer: Layer = {};
  for (const [key, raw] of Object.entries(admin)) {
    if (raw === null || raw === undefined) continue;
    const known = FILE_KEYS[key];
    const sub = FILE_SUBKEYS[key];
    if (known) {
      set(layer, known[0], convert(raw, known[1], `admin.${key}`, path, home), { key: `admin.${key}`, source: path });
    } else if (sub) {
      if (!isPlainObject(raw)) throw new ConfigError(`admin.${key}`, path, "must be a mapping");
      for (const [subKey, subRaw] of Object.entries(raw)) {
        const target = sub[subKey];
        const name = `admin.${key}.${subKey}`;
        if (target === undefined) unknownKey(name, subKey, Object.keys(sub), path, warn);
        else if (target !== null && subRaw !== null && subRaw !== undefined) {
          set(layer, target[0], convert(subRaw, target[1], name, path, home), { key: name, source: path });
        }
      }
    } else if (key in IGNORED_FILE_KEYS) {
      warn(`admin.${key} (${path}) is ignored: ${IGNORED_FILE_KEYS[key]}`);
    } else {
      unknownKey(`admin.${key}`, key, ADMIN_KEYS, path, warn);
    }
  }
  return layer;
}

/** Every key of flytectl's `admin` section this client knows, read or deliberately ignored. */
const ADMIN_KEYS = [...Object.keys(FILE_KEYS), ...Object.keys(FILE_SUBKEYS), ...Object.keys(IGNORED_FILE_KEYS)];

/** The known key `key` is a likely misspelling of (edit distance, case ignored), if any. */
function closeTo(key: string, known: readonly string[]): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const name of known) {
    const d = distance(key.toLowerCase(), name.toLowerCase());
    if (!best || d < best.d) best = { name, d };
  }
  return best && best.d <= Math.max(1, Math.floor(key.length / 4)) ? best.name : undefined;
}

/**
 * A key this client does not know. A near-miss of a known key (`insecur`, `Insecure`, `endpont`) is an
 * error: the setting the user meant would silently not apply, and for `insecure` or `caCertFilePath`
 * that surfaces much later as a TLS failure. Any other key is a warning: config files are shared with
 * flytectl and pyflyte, whose newer versions add keys this client need not refuse.
 */
function unknownKey(name: string, key: string, known: readonly string[], path: string, warn: (message: string) => void): void {
  const guess = closeTo(key, known);
  if (guess !== undefined) throw new ConfigError(name, path, `is not a setting flytectl knows (did you mean ${name.slice(0, name.length - key.length)}${guess}?)`);
  warn(`${name} (${path}) is not a known setting and is ignored`);
}
