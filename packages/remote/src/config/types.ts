/** The configuration's shapes: what callers give (`ConfigInput`), what a client is built from (`RemoteConfig`), and the flat `Settings` every source is read into. */
import type { Endpoint } from "../endpoint.js";
import type { Logger } from "../log.js";
import type { SecretValue } from "../redact.js";

/** The authentication flows, named as flytectl's `admin.authType` names them. */
export type AuthType = "ClientSecret" | "Pkce" | "DeviceFlow" | "ExternalCommand";

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
export interface Settings {
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

export type Layer = { [K in SettingName]?: { value: Settings[K]; origin: SettingOrigin } };

export type Kind = "string" | "boolean" | "strings" | "duration" | "millis" | "count" | "authType" | "secret";
