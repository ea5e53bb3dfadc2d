import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { distance } from "fastest-levenshtein";
import { parse as parseYaml } from "yaml";
import { parseGoDuration } from "./duration.js";
import { parseEndpoint, type Endpoint } from "./endpoint.js";
import { ConfigError } from "./errors.js";
import type { Logger } from "./log.js";
import { SecretValue } from "./redact.js";

/** The authentication flows, named as flytectl's `admin.authType` names them. */
export type AuthType = "ClientSecret" | "Pkce" | "DeviceFlow" | "ExternalCommand";

/** Every spelling flytectl and flytekit accept for each flow (compared case-insensitively). */
const AUTH_TYPE_ALIASES: Record<string, AuthType> = {
  clientsecret: "ClientSecret",
  client_credentials: "ClientSecret",
  basic: "ClientSecret",
  pkce: "Pkce",
  standard: "Pkce",
  deviceflow: "DeviceFlow",
  externalcommand: "ExternalCommand",
  external_process: "ExternalCommand",
};

/**
 * Settings given in code. Every field is optional; what is given here wins over the environment, which
 * wins over the config file. Durations are milliseconds (the YAML file uses Go durations like `"15s"`).
 */
export interface ConfigInput {
  /** `dns:///host:port`, `host:port`, `host` (port 443) or `https://host[:port]`. */
  endpoint?: string;
  /** Plaintext gRPC (no TLS). Implied by an `http://` endpoint. */
  insecure?: boolean;
  /** TLS without verifying the server's certificate. For development only. */
  insecureSkipVerify?: boolean;
  /** A PEM file with extra CA certificates to trust (in addition to the system's). */
  caCertFilePath?: string;
  /** `ClientSecret`, `Pkce`, `DeviceFlow`, `ExternalCommand`, or flytekit's aliases. */
  authType?: AuthType | string;
  clientId?: string;
  /** The client secret itself. Prefer `clientSecretLocation` or `clientSecretEnvVar`. */
  clientSecret?: string | SecretValue;
  /** A file holding the client secret (trailing newline ignored). */
  clientSecretLocation?: string;
  /** The name of an environment variable holding the client secret. */
  clientSecretEnvVar?: string;
  scopes?: readonly string[];
  audience?: string;
  /** Use the audience the server publishes when `audience` is not set. */
  useAudienceFromAdmin?: boolean;
  /** For `ExternalCommand`: the program and its arguments; its standard output is the token. */
  command?: readonly string[];
  /** Overrides the token endpoint that discovery reports. */
  tokenUrl?: string;
  /** The metadata key carrying `Bearer <token>`; default: what the server publishes, else `authorization`. */
  authorizationHeader?: string;
  pkce?: {
    /** Overrides the server's redirect URI. Port 0 picks a free port (the IdP must accept any loopback port). */
    redirectUri?: string;
    /** How long to wait for the browser login. Default 2 minutes. */
    timeoutMs?: number;
  };
  deviceFlow?: {
    /** Poll interval when the server does not send one. Default 5 s. */
    pollIntervalMs?: number;
    /** Give up after this long. Default 10 minutes. */
    timeoutMs?: number;
  };
  /** Refresh a token this long before it expires. Default 60 s. */
  tokenRefreshWindowMs?: number;
  /** Retries after the first attempt for UNAVAILABLE / RESOURCE_EXHAUSTED. Default 4. */
  maxRetries?: number;
  /** Deadline of each attempt. Default 15 s. */
  perRetryTimeoutMs?: number;
  /** Upper bound of the backoff between attempts. Default 8 s. */
  maxBackoffDelayMs?: number;
  /** First backoff; doubles per attempt, with jitter. Default 200 ms. */
  initialBackoffMs?: number;
  /** The token cache file (written 0600), or `false` to keep tokens in memory only. Default `~/.flyte/flytekit-ts-tokens.json`. */
  tokenCachePath?: string | false;
  /** Largest message accepted from the server. Default 64 MiB (gRPC's own default is 4 MiB). */
  maxMessageSizeBytes?: number;
  /** How long an `ExternalCommand` may run. Default 2 minutes. */
  externalCommandTimeoutMs?: number;
  /** `false` never authenticates, even when the server asks. Default `true`. */
  auth?: boolean;
}

export interface LoadConfigOptions extends ConfigInput {
  /** A flytectl YAML config to read; `false` reads none. Default: `$FLYTECTL_CONFIG`, else `~/.flyte/config.yaml` if present. */
  configFile?: string | false;
  /** The environment to read `FLYTE_*` variables from. Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** The home directory for `~/.flyte`. Default `os.homedir()`. */
  homeDir?: string;
  /** Receives warnings about ignored settings. */
  logger?: Logger;
}

/** Where one resolved setting came from, to name it in later errors. */
export interface SettingOrigin {
  /** `admin.clientSecretLocation`, `FLYTE_CREDENTIALS_CLIENT_SECRET_LOCATION` or `clientSecretLocation`. */
  key: string;
  /** The config file's path, `environment`, `options` or `default`. */
  source: string;
}

/** The validated configuration a client is built from. Printing it never shows the client secret. */
export interface RemoteConfig {
  endpoint: Endpoint;
  insecure: boolean;
  insecureSkipVerify: boolean;
  caCertFilePath: string | undefined;
  authType: AuthType;
  clientId: string | undefined;
  clientSecret: SecretValue | undefined;
  clientSecretLocation: string | undefined;
  /** The variable named by `admin.clientSecretEnvVar`; its value, if it was set, is in `clientSecret`. */
  clientSecretEnvVar: string | undefined;
  scopes: readonly string[] | undefined;
  audience: string | undefined;
  useAudienceFromAdmin: boolean;
  command: readonly string[] | undefined;
  tokenUrl: string | undefined;
  authorizationHeader: string | undefined;
  pkce: { redirectUri: string | undefined; timeoutMs: number };
  deviceFlow: { pollIntervalMs: number; timeoutMs: number };
  tokenRefreshWindowMs: number;
  retry: { maxRetries: number; perRetryTimeoutMs: number; maxBackoffDelayMs: number; initialBackoffMs: number };
  tokenCachePath: string | undefined;
  maxMessageSizeBytes: number;
  externalCommandTimeoutMs: number;
  auth: boolean;
  /** The YAML file that was read, if any. */
  configFile: string | undefined;
  /** Where each setting that was given came from. */
  origins: Readonly<Partial<Record<SettingName, SettingOrigin>>>;
}

/** The settings every source can give, in one flat shape. */
interface Settings {
  endpoint: string;
  insecure: boolean;
  insecureSkipVerify: boolean;
  caCertFilePath: string;
  authType: AuthType;
  clientId: string;
  clientSecret: SecretValue;
  clientSecretLocation: string;
  clientSecretEnvVar: string;
  scopes: string[];
  audience: string;
  useAudienceFromAdmin: boolean;
  command: string[];
  tokenUrl: string;
  authorizationHeader: string;
  pkceRedirectUri: string;
  pkceTimeoutMs: number;
  deviceFlowPollIntervalMs: number;
  deviceFlowTimeoutMs: number;
  tokenRefreshWindowMs: number;
  maxRetries: number;
  perRetryTimeoutMs: number;
  maxBackoffDelayMs: number;
  initialBackoffMs: number;
  tokenCachePath: string | false;
  maxMessageSizeBytes: number;
  externalCommandTimeoutMs: number;
  auth: boolean;
}

/** The name of one setting of `Settings`, as `origins` reports where each came from. */
export type SettingName = keyof Settings;

type Layer = { [K in SettingName]?: { value: Settings[K]; origin: SettingOrigin } };

/** Environment variables flytekit reads (`FLYTE_<SECTION>_<OPTION>`), and the setting each sets. */
const ENV_VARS: readonly [string, SettingName, Kind][] = [
  ["FLYTE_PLATFORM_URL", "endpoint", "string"],
  ["FLYTE_PLATFORM_INSECURE", "insecure", "boolean"],
  ["FLYTE_PLATFORM_INSECURE_SKIP_VERIFY", "insecureSkipVerify", "boolean"],
  ["FLYTE_PLATFORM_CA_CERT_FILE_PATH", "caCertFilePath", "string"],
  ["FLYTE_CREDENTIALS_AUTH_MODE", "authType", "authType"],
  ["FLYTE_CREDENTIALS_CLIENT_ID", "clientId", "string"],
  ["FLYTE_CREDENTIALS_CLIENT_SECRET", "clientSecret", "secret"],
  ["FLYTE_CREDENTIALS_CLIENT_SECRET_LOCATION", "clientSecretLocation", "string"],
  ["FLYTE_CREDENTIALS_CLIENT_SECRET_ENV_VAR", "clientSecretEnvVar", "string"],
  ["FLYTE_CREDENTIALS_SCOPES", "scopes", "strings"],
  ["FLYTE_CREDENTIALS_COMMAND", "command", "strings"],
];

type Kind = "string" | "boolean" | "strings" | "duration" | "millis" | "count" | "authType" | "secret";

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

const DEFAULTS = {
  pkceTimeoutMs: 2 * 60_000,
  deviceFlowPollIntervalMs: 5_000,
  deviceFlowTimeoutMs: 10 * 60_000,
  tokenRefreshWindowMs: 60_000,
  maxRetries: 4,
  perRetryTimeoutMs: 15_000,
  maxBackoffDelayMs: 8_000,
  initialBackoffMs: 200,
  maxMessageSizeBytes: 64 * 1024 * 1024,
  externalCommandTimeoutMs: 2 * 60_000,
} as const;

/** The default token cache, next to flytectl's config. */
export const DEFAULT_TOKEN_CACHE_FILE = "flytekit-ts-tokens.json";

/**
 * Loads the configuration: flytectl's YAML file (the `admin` section), then `FLYTE_*` environment
 * variables over it, then the options over both. Throws `ConfigError` naming the key and where it came
 * from for anything missing, malformed or contradictory. Reads no secret files: those are read when a
 * token is first needed.
 */
export function loadConfig(options: LoadConfigOptions = {}): RemoteConfig {
  const env = options.env ?? process.env;
  const home = options.homeDir ?? homedir();
  const warn = (message: string) => options.logger?.({ level: "warn", message });

  const configFile = findConfigFile(options.configFile, env, home);
  const fileLayer = configFile ? readConfigFile(configFile, home, warn) : {};
  const envLayer = readEnv(env, home);
  const optionLayer = readOptions(options, home);
  const merged: Layer = { ...fileLayer, ...envLayer, ...optionLayer };

  return resolveSettings(merged, configFile, env, home, warn);
}

function findConfigFile(explicit: string | false | undefined, env: Readonly<Record<string, string | undefined>>, home: string): string | undefined {
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

function readConfigFile(path: string, home: string, warn: (message: string) => void): Layer {
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

function readEnv(env: Readonly<Record<string, string | undefined>>, home: string): Layer {
  const layer: Layer = {};
  for (const [name, setting, kind] of ENV_VARS) {
    const raw = env[name];
    if (raw === undefined || raw === "") continue;
    set(layer, setting, convertEnv(raw, kind, name, home), { key: name, source: "environment" });
  }
  return layer;
}

function convertEnv(raw: string, kind: Kind, key: string, home: string): Settings[SettingName] {
  switch (kind) {
    case "boolean": {
      const v = raw.trim().toLowerCase();
      if (["1", "true", "yes", "on"].includes(v)) return true;
      if (["0", "false", "no", "off"].includes(v)) return false;
      throw new ConfigError(key, "environment", `expected true or false, got "${raw}"`);
    }
    case "strings":
      // flytekit splits list-valued variables on commas.
      return raw.split(",").map((s) => s.trim()).filter(Boolean);
    default:
      return convert(raw, kind, key, "environment", home);
  }
}

/** Code options are validated too: JavaScript callers and JSON-loaded options have no compile-time check. */
function readOptions(options: LoadConfigOptions, home: string): Layer {
  const layer: Layer = {};
  const take = (name: string, setting: SettingName, kind: Kind, raw: unknown) => {
    if (raw === undefined) return;
    set(layer, setting, convert(raw, kind, name, "options", home), { key: name, source: "options" });
  };
  take("endpoint", "endpoint", "string", options.endpoint);
  take("insecure", "insecure", "boolean", options.insecure);
  take("insecureSkipVerify", "insecureSkipVerify", "boolean", options.insecureSkipVerify);
  take("caCertFilePath", "caCertFilePath", "string", options.caCertFilePath);
  take("authType", "authType", "authType", options.authType);
  take("clientId", "clientId", "string", options.clientId);
  take("clientSecret", "clientSecret", "secret", options.clientSecret);
  take("clientSecretLocation", "clientSecretLocation", "string", options.clientSecretLocation);
  take("clientSecretEnvVar", "clientSecretEnvVar", "string", options.clientSecretEnvVar);
  take("scopes", "scopes", "strings", options.scopes);
  take("audience", "audience", "string", options.audience);
  take("useAudienceFromAdmin", "useAudienceFromAdmin", "boolean", options.useAudienceFromAdmin);
  take("command", "command", "strings", options.command);
  take("tokenUrl", "tokenUrl", "string", options.tokenUrl);
  take("authorizationHeader", "authorizationHeader", "string", options.authorizationHeader);
  take("pkce.redirectUri", "pkceRedirectUri", "string", options.pkce?.redirectUri);
  take("pkce.timeoutMs", "pkceTimeoutMs", "millis", options.pkce?.timeoutMs);
  take("deviceFlow.pollIntervalMs", "deviceFlowPollIntervalMs", "millis", options.deviceFlow?.pollIntervalMs);
  take("deviceFlow.timeoutMs", "deviceFlowTimeoutMs", "millis", options.deviceFlow?.timeoutMs);
  take("tokenRefreshWindowMs", "tokenRefreshWindowMs", "millis", options.tokenRefreshWindowMs);
  take("maxRetries", "maxRetries", "count", options.maxRetries);
  take("perRetryTimeoutMs", "perRetryTimeoutMs", "millis", options.perRetryTimeoutMs);
  take("maxBackoffDelayMs", "maxBackoffDelayMs", "millis", options.maxBackoffDelayMs);
  take("initialBackoffMs", "initialBackoffMs", "millis", options.initialBackoffMs);
  take("maxMessageSizeBytes", "maxMessageSizeBytes", "count", options.maxMessageSizeBytes);
  take("externalCommandTimeoutMs", "externalCommandTimeoutMs", "millis", options.externalCommandTimeoutMs);
  take("auth", "auth", "boolean", options.auth);
  if (options.tokenCachePath === false) {
    layer.tokenCachePath = { value: false, origin: { key: "tokenCachePath", source: "options" } };
  } else {
    take("tokenCachePath", "tokenCachePath", "string", options.tokenCachePath);
  }
  return layer;
}

function convert(raw: unknown, kind: Kind, key: string, source: string, home: string): Settings[SettingName] {
  const fail = (expected: string): never => {
    // Never echo what was given for a secret, not even a malformed one.
    const got = kind === "secret" ? (raw === "" ? "an empty string" : `a ${typeof raw}`) : describe(raw);
    throw new ConfigError(key, source, `expected ${expected}, got ${got}`);
  };
  switch (kind) {
    case "string": {
      if (typeof raw !== "string") return fail("a string");
      const s = raw.trim();
      if (s === "") return fail("a non-empty string");
      return PATH_KEYS.test(key) ? expandHome(s, home) : s;
    }
    case "secret":
      if (raw instanceof SecretValue) return raw;
      if (typeof raw !== "string" || raw === "") return fail("a non-empty string");
      return new SecretValue(raw);
    case "boolean":
      return typeof raw === "boolean" ? raw : fail("true or false");
    case "strings":
      if (!Array.isArray(raw) || !raw.every((s) => typeof s === "string")) return fail("a list of strings");
      return [...(raw as string[])];
    case "duration": {
      const ms = typeof raw === "string" ? parseGoDuration(raw) : undefined;
      return ms === undefined ? fail('a duration such as "15s", "2m0s" or "500ms"') : ms;
    }
    case "millis":
      return typeof raw === "number" && Number.isFinite(raw) && raw >= 0 ? raw : fail("a number of milliseconds ≥ 0");
    case "count":
      return typeof raw === "number" && Number.isInteger(raw) && raw >= 0 ? raw : fail("a whole number ≥ 0");
    case "authType": {
      const found = typeof raw === "string" ? AUTH_TYPE_ALIASES[raw.trim().toLowerCase()] : undefined;
      return found ?? fail("one of ClientSecret, Pkce, DeviceFlow, ExternalCommand");
    }
  }
}

const PATH_KEYS = /(caCertFilePath|CA_CERT_FILE_PATH|clientSecretLocation|CLIENT_SECRET_LOCATION|tokenCachePath)$/;

function resolveSettings(
  layer: Layer,
  configFile: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  home: string,
  warn: (message: string) => void,
): RemoteConfig {
  const get = <K extends SettingName>(name: K): Settings[K] | undefined => layer[name]?.value as Settings[K] | undefined;
  const origins: Partial<Record<SettingName, SettingOrigin>> = {};
  for (const [name, entry] of Object.entries(layer)) origins[name as SettingName] = entry.origin;

  const rawEndpoint = get("endpoint");
  if (rawEndpoint === undefined) {
    throw new ConfigError(
      "admin.endpoint",
      configFile ?? "configuration",
      "is not set: give it in ~/.flyte/config.yaml (or the file named by FLYTECTL_CONFIG), in FLYTE_PLATFORM_URL, or as the endpoint option",
    );
  }
  const endpointOrigin = origins.endpoint ?? { key: "endpoint", source: "options" };
  const endpoint = parseEndpoint(rawEndpoint);
  if (typeof endpoint === "string") throw new ConfigError(endpointOrigin.key, endpointOrigin.source, endpoint);

  let insecure = get("insecure");
  if (insecure !== undefined && endpoint.tlsFromScheme !== undefined && insecure === endpoint.tlsFromScheme) {
    const o = origins.insecure ?? endpointOrigin;
    throw new ConfigError(
      o.key,
      o.source,
      `is ${insecure} but the endpoint ${endpoint.original} (${endpointOrigin.key}) says ${endpoint.tlsFromScheme ? "https" : "http"}`,
    );
  }
  insecure ??= endpoint.tlsFromScheme === false;
  const caCertFilePath = get("caCertFilePath");
  if (insecure && caCertFilePath !== undefined) warn(`${origins.caCertFilePath?.key ?? "caCertFilePath"} is ignored because the connection is insecure (no TLS)`);

  // The client secret: given directly, or through the variable that admin.clientSecretEnvVar names.
  // The variable is read now (the environment given is the one that counts); a missing value is only
  // an error once a client secret is actually needed, since a shared config may name one for CI only.
  let clientSecret = get("clientSecret");
  const clientSecretEnvVar = get("clientSecretEnvVar");
  if (clientSecret === undefined && clientSecretEnvVar !== undefined) {
    const value = env[clientSecretEnvVar];
    if (value !== undefined && value !== "") clientSecret = new SecretValue(value.replace(/\r?\n$/, ""));
  }
  const clientSecretLocation = get("clientSecretLocation");

  // No explicit flow: a configured client secret means client credentials, a command means an
  // external command, anything else the interactive PKCE login (flytekit's default).
  const hasSecretSource = clientSecret !== undefined || clientSecretLocation !== undefined || clientSecretEnvVar !== undefined;
  const authType = get("authType") ?? (hasSecretSource ? "ClientSecret" : get("command") ? "ExternalCommand" : "Pkce");
  if (authType === "ExternalCommand" && !get("command")?.length) {
    const o = origins.authType ?? { key: "authType", source: "options" };
    throw new ConfigError(o.key, o.source, "is ExternalCommand but no command is configured (admin.command)");
  }

  const tokenUrl = get("tokenUrl");
  if (tokenUrl !== undefined) checkUrl(tokenUrl, origins.tokenUrl);
  const redirectUri = get("pkceRedirectUri");
  if (redirectUri !== undefined) checkUrl(redirectUri, origins.pkceRedirectUri);

  const cachePath = get("tokenCachePath");
  return {
    endpoint,
    insecure,
    insecureSkipVerify: get("insecureSkipVerify") ?? false,
    caCertFilePath: insecure ? undefined : caCertFilePath,
    authType,
    clientId: get("clientId"),
    clientSecret,
    clientSecretLocation,
    clientSecretEnvVar,
    scopes: get("scopes"),
    audience: get("audience"),
    useAudienceFromAdmin: get("useAudienceFromAdmin") ?? false,
    command: get("command"),
    tokenUrl,
    authorizationHeader: get("authorizationHeader")?.toLowerCase(),
    pkce: { redirectUri, timeoutMs: get("pkceTimeoutMs") ?? DEFAULTS.pkceTimeoutMs },
    deviceFlow: {
      pollIntervalMs: get("deviceFlowPollIntervalMs") ?? DEFAULTS.deviceFlowPollIntervalMs,
      timeoutMs: get("deviceFlowTimeoutMs") ?? DEFAULTS.deviceFlowTimeoutMs,
    },
    tokenRefreshWindowMs: get("tokenRefreshWindowMs") ?? DEFAULTS.tokenRefreshWindowMs,
    retry: {
      maxRetries: get("maxRetries") ?? DEFAULTS.maxRetries,
      perRetryTimeoutMs: get("perRetryTimeoutMs") ?? DEFAULTS.perRetryTimeoutMs,
      maxBackoffDelayMs: get("maxBackoffDelayMs") ?? DEFAULTS.maxBackoffDelayMs,
      initialBackoffMs: get("initialBackoffMs") ?? DEFAULTS.initialBackoffMs,
    },
    tokenCachePath: cachePath === false ? undefined : (cachePath ?? join(home, ".flyte", DEFAULT_TOKEN_CACHE_FILE)),
    maxMessageSizeBytes: get("maxMessageSizeBytes") ?? DEFAULTS.maxMessageSizeBytes,
    externalCommandTimeoutMs: get("externalCommandTimeoutMs") ?? DEFAULTS.externalCommandTimeoutMs,
    auth: get("auth") ?? true,
    configFile,
    origins,
  };
}

/** Whether plain http is acceptable is decided where the URL is used (loopback or insecure only). */
function checkUrl(value: string, origin: SettingOrigin | undefined): void {
  const o = origin ?? { key: "(url)", source: "options" };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(o.key, o.source, `"${value}" is not a URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ConfigError(o.key, o.source, `"${value}" must be an http(s) URL`);
  }
}

function set<K extends SettingName>(layer: Layer, name: K, value: Settings[SettingName], origin: SettingOrigin): void {
  (layer as Record<SettingName, { value: unknown; origin: SettingOrigin }>)[name] = { value, origin };
}

function expandHome(path: string, home: string): string {
  if (path === "~") return home;
  if (path.startsWith("~/")) return join(home, path.slice(2));
  return resolve(path);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value instanceof SecretValue) return "a secret";
  if (typeof value === "string") return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  if (Array.isArray(value)) return "a list";
  if (value === null) return "null";
  return typeof value === "object" ? "a mapping" : `${typeof value} ${String(value)}`;
}
