/** Turning the merged settings into a validated `RemoteConfig`: defaults, implied flows and cross-setting checks. */
import { join } from "node:path";
import { parseEndpoint } from "../endpoint.js";
import { ConfigError } from "../errors.js";
import { SecretValue } from "../redact.js";
import type { Layer, RemoteConfig, SettingName, SettingOrigin, Settings } from "./types.js";

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

export function resolveSettings(
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
