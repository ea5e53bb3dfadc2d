import { readFile } from "node:fs/promises";
import * as oauth from "oauth4webapi";
import type { AuthType, RemoteConfig } from "../config.js";
import { isLoopbackHost } from "../endpoint.js";
import { AuthenticationError, ConfigError } from "../errors.js";
import type { Logger } from "../log.js";
import type { Redactor } from "../redact.js";
import type { FetchLike } from "./http.js";

/**
 * What the server publishes about its authorization setup, from `AuthMetadataService`
 * (`GetOAuth2Metadata` and `GetPublicClientConfig`), with `admin.tokenUrl` applied.
 */
export interface AuthServerInfo {
  issuer: string;
  tokenEndpoint: string;
  authorizationEndpoint: string | undefined;
  deviceAuthorizationEndpoint: string | undefined;
  /** The public client (`flytectl` by default) used for PKCE and device flow. */
  publicClientId: string | undefined;
  redirectUri: string | undefined;
  scopes: readonly string[];
  /** The metadata key the server reads the token from; empty means `authorization`. */
  authorizationMetadataKey: string;
  audience: string | undefined;
}

/** Shown to the user during the device flow. */
export interface DeviceCodePrompt {
  verificationUri: string;
  /** The verification URI with the code filled in, when the server offers one. */
  verificationUriComplete: string | undefined;
  userCode: string;
  expiresInSeconds: number;
}

/** Everything a flow needs; built by the authenticator for each login. */
export interface FlowContext {
  config: RemoteConfig;
  server: AuthServerInfo;
  redactor: Redactor;
  log: Logger;
  fetch: FetchLike;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  openBrowser: (url: string) => void | Promise<void>;
  onDeviceCode: (prompt: DeviceCodePrompt) => void | Promise<void>;
}

/** How long one request to the authorization server may take. */
const HTTP_TIMEOUT_MS = 30_000;

export function authorizationServer(server: AuthServerInfo): oauth.AuthorizationServer {
  const as: { -readonly [K in keyof oauth.AuthorizationServer]: oauth.AuthorizationServer[K] } = {
    issuer: server.issuer,
    token_endpoint: server.tokenEndpoint,
  };
  if (server.authorizationEndpoint) as.authorization_endpoint = server.authorizationEndpoint;
  if (server.deviceAuthorizationEndpoint) as.device_authorization_endpoint = server.deviceAuthorizationEndpoint;
  return as;
}

/**
 * Options for every oauth4webapi request: our fetch (private CA, insecureSkipVerify), a timeout, and
 * plain http only towards loopback hosts or when the whole connection is configured insecure — a
 * client secret or refresh token must not cross a network unencrypted by accident.
 */
export function requestOptions(ctx: FlowContext, flow: AuthType, url: string): oauth.TokenEndpointRequestOptions {
  const target = new URL(url);
  if (target.protocol === "http:" && !isLoopbackHost(target.hostname) && !ctx.config.insecure) {
    throw new AuthenticationError(
      flow,
      `refusing to send credentials over plain http to ${target.origin}; the authorization server must use https (or set admin.insecure for a development cluster)`,
    );
  }
  return {
    [oauth.customFetch]: ctx.fetch,
    [oauth.allowInsecureRequests]: target.protocol === "http:",
    signal: () => AbortSignal.timeout(HTTP_TIMEOUT_MS),
  } as oauth.TokenEndpointRequestOptions;
}

export function scopesFor(ctx: FlowContext): string {
  return [...(ctx.config.scopes ?? ctx.server.scopes)].join(" ");
}

export function audienceFor(ctx: FlowContext): string | undefined {
  return ctx.config.audience ?? (ctx.config.useAudienceFromAdmin ? ctx.server.audience || undefined : undefined);
}

/** The scope and audience parameters of a token or authorization request, omitting empty ones. */
export function grantParameters(ctx: FlowContext): Record<string, string> {
  const params: Record<string, string> = {};
  const scope = scopesFor(ctx);
  if (scope) params["scope"] = scope;
  const audience = audienceFor(ctx);
  if (audience) params["audience"] = audience;
  return params;
}

/** The client id of the interactive flows: configured, else the server's public client. */
export function publicClientId(ctx: FlowContext, flow: AuthType): string {
  const id = ctx.config.clientId ?? ctx.server.publicClientId;
  if (!id) {
    throw new AuthenticationError(flow, "the server publishes no public client id and admin.clientId is not set");
  }
  return id;
}

/**
 * The client secret: given in code or the environment, else read from `admin.clientSecretLocation`.
 * Registered with the redactor before anything else happens with it.
 */
export async function clientSecret(ctx: FlowContext): Promise<string> {
  const { config } = ctx;
  const given = config.clientSecret?.reveal();
  if (given) {
    ctx.redactor.add(given);
    return given;
  }
  if (config.clientSecretLocation) {
    const origin = config.origins.clientSecretLocation ?? { key: "clientSecretLocation", source: "options" };
    let text: string;
    try {
      text = await readFile(config.clientSecretLocation, "utf8");
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? "unreadable";
      throw new ConfigError(origin.key, origin.source, `cannot read the client secret file ${config.clientSecretLocation} (${reason})`);
    }
    const secret = text.replace(/\r?\n$/, "");
    if (!secret) throw new ConfigError(origin.key, origin.source, `the client secret file ${config.clientSecretLocation} is empty`);
    ctx.redactor.add(secret);
    return secret;
  }
  if (config.clientSecretEnvVar) {
    const origin = config.origins.clientSecretEnvVar ?? { key: "clientSecretEnvVar", source: "options" };
    throw new ConfigError(origin.key, origin.source, `names the environment variable ${config.clientSecretEnvVar}, which is not set`);
  }
  throw new ConfigError(
    "admin.clientSecretLocation",
    config.configFile ?? "configuration",
    "no client secret is configured for ClientSecret authentication: set admin.clientSecretLocation, admin.clientSecretEnvVar or FLYTE_CREDENTIALS_CLIENT_SECRET",
  );
}

/**
 * An `AuthenticationError` for anything an OAuth exchange threw: the server's `error` and
 * `error_description`, a WWW-Authenticate challenge, a malformed response or a network failure. The
 * original error is not attached: oauth4webapi keeps response bodies (which may hold tokens) on it.
 */
export function oauthFailure(flow: AuthType | "discovery", step: string, error: unknown, redactor: Redactor): AuthenticationError {
  if (error instanceof AuthenticationError || error instanceof ConfigError) return error as AuthenticationError;
  if (error instanceof oauth.ResponseBodyError) {
    const description = error.error_description ? `: ${error.error_description}` : "";
    return new AuthenticationError(flow, redactor.redact(`${step}: the server answered ${error.status} ${error.error}${description}`), error.error);
  }
  if (error instanceof oauth.AuthorizationResponseError) {
    const description = error.error_description ? `: ${error.error_description}` : "";
    return new AuthenticationError(flow, redactor.redact(`${step}: the authorization server answered ${error.error}${description}`), error.error);
  }
  if (error instanceof oauth.WWWAuthenticateChallengeError) {
    const challenge = error.cause[0];
    const code = challenge?.parameters.error;
    const detail = challenge ? `${challenge.scheme}${code ? ` ${code}` : ""}${challenge.parameters.error_description ? `: ${challenge.parameters.error_description}` : ""}` : "a challenge";
    return new AuthenticationError(flow, redactor.redact(`${step}: the server answered ${error.status} with ${detail} (are the client id and secret right?)`), code);
  }
  const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : "";
  return new AuthenticationError(flow, `${step}: ${redactor.describe(error)}${redactor.redact(cause)}`);
}

/** True for OAuth answers that mean "this refresh token is no good", as opposed to a network problem. */
export function isRejectedGrant(error: unknown): boolean {
  return error instanceof oauth.ResponseBodyError || error instanceof oauth.WWWAuthenticateChallengeError;
}
