import { readFileSync } from "node:fs";
import { FlytekitError } from "@flytekit-ts/idl";
import { Authenticator } from "./auth/authenticator.js";
import { FileTokenCache, type TokenCache } from "./auth/cache.js";
import { discoverAuthServer } from "./auth/discovery.js";
import { createNodeFetch, type FetchLike } from "./auth/http.js";
import type { DeviceCodePrompt } from "./auth/oauth.js";
import { openInBrowser, printDeviceCode } from "./auth/prompts.js";
import { loadConfig, type LoadConfigOptions, type RemoteConfig } from "./config.js";
import { ConfigError, defaultHint, remoteErrorFor } from "./errors.js";
import { GrpcTransport } from "./grpc-transport.js";
import { redactingLogger, type Logger } from "./log.js";
import { Redactor } from "./redact.js";
import { backoffDelay, isIdempotent, isRetryable } from "./retry.js";
import {
  methodLabel,
  methodName,
  serviceClient,
  serviceDefinitions,
  type AdminServiceDefinition,
  type AuthMetadataServiceDefinition,
  type CallOptions,
  type DataProxyServiceDefinition,
  type IdentityServiceDefinition,
  type ServiceClient,
  type SignalServiceDefinition,
} from "./services.js";
import { StatusCode } from "./status.js";
import { TransportError, type RpcMethod, type Transport } from "./transport.js";

/** Everything about a client that is not configuration: I/O, prompts and, for tests, time. */
export interface ClientHooks {
  /** Receives log events (retries, logins, cache problems), already redacted. */
  logger?: Logger;
  /** Replaces the gRPC transport (e.g. a REST transport, or a test double). */
  transport?: Transport;
  /** Where tokens are kept between processes. Default: a 0600 file (`tokenCachePath`); `false`: memory only. */
  tokenCache?: TokenCache | false;
  /** Shows the PKCE login URL. Default: opens the system browser and prints the URL to stderr. */
  openBrowser?: (url: string) => void | Promise<void>;
  /** Shows the device flow's URL and user code. Default: prints them to stderr. */
  onDeviceCode?: (prompt: DeviceCodePrompt) => void | Promise<void>;
  /** The HTTP client for the authorization server. Default: node:https with the configured CA. */
  fetch?: FetchLike;
  /** Clock in epoch milliseconds. */
  now?: () => number;
  /** Random numbers in [0, 1) for backoff jitter. */
  random?: () => number;
  /** Waits between retries and device flow polls. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface AdminClientOptions extends LoadConfigOptions, ClientHooks {
  /** An already loaded configuration; when given, the other configuration options are ignored. */
  config?: RemoteConfig;
}

/**
 * A FlyteAdmin client: typed service clients over one gRPC channel, with authentication, retries,
 * deadlines and typed errors.
 *
 * ```ts
 * const client = createAdminClient();                 // ~/.flyte/config.yaml, FLYTE_* variables
 * const task = await client.admin.getTask({ id });     // flyteidl.admin.Task
 * client.close();
 * ```
 */
export class AdminClient {
  readonly config: RemoteConfig;
  readonly admin: ServiceClient<AdminServiceDefinition>;
  readonly dataProxy: ServiceClient<DataProxyServiceDefinition>;
  readonly authMetadata: ServiceClient<AuthMetadataServiceDefinition>;
  readonly identity: ServiceClient<IdentityServiceDefinition>;
  readonly signal: ServiceClient<SignalServiceDefinition>;

  readonly #transport: Transport;
  readonly #auth: Authenticator | undefined;
  readonly #redactor = new Redactor();
  readonly #log: Logger;
  readonly #now: () => number;
  readonly #random: () => number;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  #closed = false;

  constructor(options: AdminClientOptions = {}) {
    const config = options.config ?? loadConfig(options);
    this.config = config;
    this.#redactor.add(config.clientSecret?.reveal());
    this.#log = redactingLogger(options.logger, this.#redactor);
    this.#now = options.now ?? Date.now;
    this.#random = options.random ?? Math.random;
    this.#sleep = options.sleep ?? sleep;

    const caCert = config.caCertFilePath ? readCaCert(config) : undefined;
    this.#transport =
      options.transport ??
      new GrpcTransport({
        endpoint: config.endpoint,
        insecure: config.insecure,
        insecureSkipVerify: config.insecureSkipVerify,
        maxMessageSizeBytes: config.maxMessageSizeBytes,
        ...(caCert ? { caCert } : {}),
      });

    if (config.auth) {
      const cache = options.tokenCache === false ? undefined : (options.tokenCache ?? (config.tokenCachePath ? new FileTokenCache(config.tokenCachePath) : undefined));
      this.#auth = new Authenticator({
        config,
        discover: () => discoverAuthServer((method, request) => this.#invoke(method, request, {}, true), config, this.#redactor),
        cache,
        redactor: this.#redactor,
        log: this.#log,
        fetch: options.fetch ?? createNodeFetch({ ...(caCert ? { ca: caCert } : {}), rejectUnauthorized: !config.insecureSkipVerify }),
        now: this.#now,
        sleep: (ms) => this.#sleep(ms),
        openBrowser: options.openBrowser ?? openInBrowser,
        onDeviceCode: options.onDeviceCode ?? printDeviceCode,
      });
    }

    const invoke = <Req extends object, Res extends object>(method: RpcMethod<Req, Res>, request: Req, callOptions?: CallOptions) =>
      this.#invoke(method, request, callOptions ?? {}, false);
    this.admin = serviceClient(serviceDefinitions.admin, invoke);
    this.dataProxy = serviceClient(serviceDefinitions.dataProxy, invoke);
    this.authMetadata = serviceClient(serviceDefinitions.authMetadata, invoke);
    this.identity = serviceClient(serviceDefinitions.identity, invoke);
    this.signal = serviceClient(serviceDefinitions.signal, invoke);
  }

  /** Calls any unary method of any service, given its definition from `grpcServiceDefinition`. */
  call<Req extends object, Res extends object>(method: RpcMethod<Req, Res>, request: Req, options: CallOptions = {}): Promise<Res> {
    return this.#invoke(method, request, options, false);
  }

  /**
   * Logs in now instead of at the first call the server refuses (e.g. before a long build, or in a
   * `login` command). Uses a cached token when it is still good.
   */
  async authenticate(): Promise<void> {
    if (!this.#auth) throw new FlytekitError("AUTH_DISABLED", "authentication is disabled for this client (auth: false)");
    const { token } = await this.#auth.metadata();
    if (token === undefined) await this.#auth.refresh(undefined);
  }

  /** Forgets the token, in memory and in the token cache. */
  async logout(): Promise<void> {
    await this.#auth?.logout();
  }

  /** Closes the channel. Calls made afterwards fail with `CLIENT_CLOSED`. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#transport.close();
  }

  async #invoke<Req extends object, Res extends object>(
    method: RpcMethod<Req, Res>,
    request: Req,
    options: CallOptions,
    anonymous: boolean,
  ): Promise<Res> {
    const label = methodLabel(method);
    if (this.#closed) throw new FlytekitError("CLIENT_CLOSED", `${label}: the client is closed`);
    const { retry } = this.config;
    const maxRetries = options.maxRetries ?? retry.maxRetries;
    const idempotent = options.idempotent ?? isIdempotent(methodName(method));
    const perAttemptMs = options.timeoutMs ?? retry.perRetryTimeoutMs;
    const overall = options.deadline?.getTime();
    const auth = anonymous ? undefined : this.#auth;
    let attempts = 0;
    let retries = 0;
    let reauthenticated = false;

    for (;;) {
      const credentials = auth ? await auth.metadata() : { headers: {}, token: undefined };
      const start = this.#now();
      if (overall !== undefined && overall <= start) {
        throw remoteErrorFor(this.#info(label, StatusCode.DEADLINE_EXCEEDED, "the call's deadline passed before it could be sent", attempts, perAttemptMs));
      }
      const deadline = overall === undefined ? start + perAttemptMs : Math.min(overall, start + perAttemptMs);
      attempts += 1;
      let failure: TransportError;
      try {
        return await this.#transport.unary({
          method,
          request,
          metadata: { ...options.metadata, ...credentials.headers },
          deadline: new Date(deadline),
          ...(options.signal ? { signal: options.signal } : {}),
        });
      } catch (error) {
        failure = error instanceof TransportError ? error : new TransportError(StatusCode.UNKNOWN, this.#redactor.describe(error));
      }

      // The server refused the credentials (or wants some): log in or refresh once, then resend. The
      // request was rejected before any effect, so this is safe for every method.
      if (failure.status === StatusCode.UNAUTHENTICATED && auth && !reauthenticated) {
        reauthenticated = true;
        this.#log({ level: "info", message: `${label}: the server asked for credentials; authenticating`, fields: { method: label } });
        await auth.refresh(credentials.token);
        continue;
      }
      if (retries < maxRetries && !options.signal?.aborted && isRetryable(failure.status, failure.details, idempotent)) {
        const delay = backoffDelay(retry, retries, this.#random);
        if (overall === undefined || this.#now() + delay < overall) {
          retries += 1;
          this.#log({
            level: "info",
            message: `${label} failed with ${failure.status === StatusCode.UNAVAILABLE ? "UNAVAILABLE" : "RESOURCE_EXHAUSTED"}; retry ${retries} of ${maxRetries} in ${delay} ms`,
            fields: { method: label, attempt: attempts, delayMs: delay },
          });
          await this.#sleep(delay, options.signal);
          continue;
        }
      }
      // DEADLINE_EXCEEDED is also what a server (or a proxy before it) sends when its own deadline
      // passes: only when ours has passed did the answer not come in time. gRPC's timer may fire a
      // little before this clock reaches the deadline, hence the margin.
      const now = this.#now();
      const elapsed = now - start;
      const ours = now >= deadline - Math.max(50, (deadline - start) * 0.05);
      throw remoteErrorFor(this.#info(label, failure.status, failure.details, attempts, perAttemptMs, ours ? undefined : elapsed));
    }
  }

  #info(method: string, status: number, details: string, attempts: number, perAttemptMs: number, serverDeadlineAfterMs?: number) {
    const endpoint = this.config.endpoint.original;
    const hint =
      status !== StatusCode.DEADLINE_EXCEEDED
        ? defaultHint(status, endpoint)
        : serverDeadlineAfterMs !== undefined
          ? `the server answered DEADLINE_EXCEEDED after ${Math.round(serverDeadlineAfterMs)} ms, before this client's deadline of ${perAttemptMs} ms per attempt: a deadline on the server's side (or a proxy's) passed`
          : `no answer within ${perAttemptMs} ms per attempt`;
    return { method, status, serverMessage: this.#redactor.redact(details), endpoint, attempts, ...(hint ? { hint } : {}) };
  }
}

/** A client from the configuration (file, environment, options); see `AdminClientOptions`. */
export function createAdminClient(options: AdminClientOptions = {}): AdminClient {
  return new AdminClient(options);
}

function readCaCert(config: RemoteConfig): Buffer {
  const origin = config.origins.caCertFilePath ?? { key: "caCertFilePath", source: "options" };
  const path = config.caCertFilePath ?? "";
  let pem: Buffer;
  try {
    pem = readFileSync(path);
  } catch (error) {
    throw new ConfigError(origin.key, origin.source, `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? "unreadable"})`);
  }
  if (!pem.includes("-----BEGIN CERTIFICATE-----")) throw new ConfigError(origin.key, origin.source, `${path} holds no PEM certificate`);
  return pem;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}
