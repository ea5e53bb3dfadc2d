/** The two sources besides the file: `FLYTE_*` environment variables and options given in code. */
import { ConfigError } from "../errors.js";
import type { Kind, Layer, LoadConfigOptions, SettingName, Settings } from "./types.js";
import { convert, set } from "./values.js";

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

export function readEnv(env: Readonly<Record<string, string | undefined>>, home: string): Layer {
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
export function readOptions(options: LoadConfigOptions, home: string): Layer {
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
