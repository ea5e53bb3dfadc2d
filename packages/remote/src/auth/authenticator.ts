import type { AuthType, RemoteConfig } from "../config.js";
import type { Logger } from "../log.js";
import type { Redactor } from "../redact.js";
import type { CachedToken, TokenCache } from "./cache.js";
import { clientCredentialsFlow } from "./client-credentials.js";
import { deviceFlow } from "./device.js";
import { externalCommandFlow } from "./external-command.js";
import type { FetchLike } from "./http.js";
import { isRejectedGrant, oauthFailure, type AuthServerInfo, type DeviceCodePrompt, type FlowContext } from "./oauth.js";
import { pkceFlow } from "./pkce.js";
import { refreshTokenGrant } from "./refresh.js";
import { isFresh, type TokenSet } from "./token.js";

export interface AuthenticatorDeps {
  config: RemoteConfig;
  /** Asks the server's AuthMetadataService (anonymously); called at most once per success. */
  discover: () => Promise<AuthServerInfo>;
  cache: TokenCache | undefined;
  redactor: Redactor;
  log: Logger;
  fetch: FetchLike;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  openBrowser: (url: string) => void | Promise<void>;
  onDeviceCode: (prompt: DeviceCodePrompt) => void | Promise<void>;
}

const FLOWS: Record<AuthType, (ctx: FlowContext) => Promise<TokenSet>> = {
  ClientSecret: clientCredentialsFlow,
  Pkce: pkceFlow,
  DeviceFlow: deviceFlow,
  ExternalCommand: externalCommandFlow,
};

/**
 * Owns the access token: finds it in the cache, decides when it must be replaced, refreshes it with the
 * refresh token when there is one and runs the configured flow otherwise, and persists the result.
 *
 * Authentication is lazy, like flytekit's: until the server has once answered UNAUTHENTICATED (or a
 * cached token shows it wants one), calls go out without a token, so an open sandbox never triggers a
 * login. Concurrent calls that need a new token share one login.
 */
export class Authenticator {
  readonly #deps: AuthenticatorDeps;
  readonly #cacheKey: string;
  #token: CachedToken | undefined;
  #server: AuthServerInfo | undefined;
  #cacheLoaded = false;
  /** Set once we know this server wants a token. */
  #required = false;
  #inflight: Promise<CachedToken> | undefined;

  constructor(deps: AuthenticatorDeps) {
    this.#deps = deps;
    const { endpoint, authType, clientId } = deps.config;
    this.#cacheKey = `${endpoint.target} ${authType} ${clientId ?? ""}`;
  }

  /**
   * The metadata to send with the next call: `{}` while no token is known to be needed, else the
   * current token, replaced first when it is about to expire.
   */
  async metadata(): Promise<{ headers: Record<string, string>; token: string | undefined }> {
    await this.#loadCache();
    let token = this.#token;
    if (token && !isFresh(token, this.#deps.now(), this.#deps.config.tokenRefreshWindowMs)) {
      token = await this.refresh(token.accessToken);
    } else if (!token && this.#required) {
      token = await this.refresh(undefined);
    }
    if (!token) return { headers: {}, token: undefined };
    return { headers: { [this.#headerName()]: `Bearer ${token.accessToken}` }, token: token.accessToken };
  }

  /**
   * A new token because `rejected` (the token a call was sent with, if any) is no longer accepted. When
   * another call has already replaced it, that replacement is returned without a second login.
   */
  refresh(rejected: string | undefined): Promise<CachedToken> {
    this.#required = true;
    const current = this.#token;
    if (current && current.accessToken !== rejected && isFresh(current, this.#deps.now(), this.#deps.config.tokenRefreshWindowMs)) {
      return Promise.resolve(current);
    }
    this.#inflight ??= this.#obtain().finally(() => {
      this.#inflight = undefined;
    });
    return this.#inflight;
  }

  /** Forgets the token, in memory and in the cache. */
  async logout(): Promise<void> {
    this.#token = undefined;
    this.#required = false;
    await this.#deps.cache?.delete(this.#cacheKey);
  }

  async #obtain(): Promise<CachedToken> {
    const { config, log, redactor } = this.#deps;
    const server = await this.#discover();
    const ctx: FlowContext = { ...this.#deps, server };
    const previous = this.#token;
    let token: TokenSet | undefined;
    if (previous?.refreshToken && config.authType !== "ExternalCommand") {
      try {
        token = await refreshTokenGrant(ctx, config.authType, previous.refreshToken);
        log({ level: "debug", message: "access token refreshed with the refresh token" });
      } catch (error) {
        // A refresh token the server rejects is useless: log in again. Anything else (network, 5xx)
        // is reported as is, and the cached tokens stay for the next attempt.
        const failure = oauthFailure(config.authType, "refreshing the access token", error, redactor);
        if (!isRejectedGrant(error)) throw failure;
        log({ level: "info", message: `the refresh token was not accepted (${failure.oauthError ?? failure.message}); logging in again with ${config.authType}` });
      }
    }
    if (!token) {
      log({ level: "info", message: `authenticating with ${config.authType}`, fields: { endpoint: config.endpoint.original } });
      token = await FLOWS[config.authType](ctx);
    }
    redactor.add(token.accessToken);
    redactor.add(token.refreshToken);
    const cached: CachedToken = { ...token, headerName: this.#headerName() };
    this.#token = cached;
    // External commands manage their own credentials; caching their output would only go stale.
    if (config.authType !== "ExternalCommand") await this.#store(cached);
    return cached;
  }

  async #discover(): Promise<AuthServerInfo> {
    this.#server ??= await this.#deps.discover();
    return this.#server;
  }

  /** The configured key, else the server's, else what the cached token was sent with, else `authorization`. */
  #headerName(): string {
    return (this.#deps.config.authorizationHeader || this.#server?.authorizationMetadataKey || this.#token?.headerName || "authorization").toLowerCase();
  }

  async #loadCache(): Promise<void> {
    if (this.#cacheLoaded) return;
    this.#cacheLoaded = true;
    const { cache, redactor, log } = this.#deps;
    if (!cache || this.#token) return;
    try {
      const cached = await cache.get(this.#cacheKey);
      if (cached) {
        redactor.add(cached.accessToken);
        redactor.add(cached.refreshToken);
        this.#token = cached;
        this.#required = true;
      }
    } catch (error) {
      log({ level: "warn", message: `cannot read the token cache: ${redactor.describe(error)}` });
    }
  }

  async #store(token: CachedToken): Promise<void> {
    const { cache, redactor, log } = this.#deps;
    if (!cache) return;
    try {
      await cache.set(this.#cacheKey, token);
    } catch (error) {
      // A read-only home directory (CI) must not break calls; the token still works in memory.
      log({ level: "warn", message: `cannot write the token cache: ${redactor.describe(error)}` });
    }
  }
}
