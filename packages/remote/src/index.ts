/**
 * `@flytekit-ts/remote` — a FlyteAdmin client: typed gRPC service clients configured like flytectl
 * (`~/.flyte/config.yaml`, `FLYTE_*` variables, code), authentication through the server's
 * AuthMetadataService (client credentials, PKCE, device flow, external command) with a 0600 token
 * cache, retries with backoff, per-call deadlines and typed errors that never contain a secret.
 *
 * @module \@flytekit-ts/remote
 */
export { AdminClient, createAdminClient, type AdminClientOptions, type ClientHooks } from "./client.js";
export {
  loadConfig,
  DEFAULT_TOKEN_CACHE_FILE,
  type AuthType,
  type ConfigInput,
  type LoadConfigOptions,
  type RemoteConfig,
  type SettingName,
  type SettingOrigin,
} from "./config.js";
export { parseEndpoint, isLoopbackHost, type Endpoint } from "./endpoint.js";
export { parseGoDuration } from "./duration.js";
export {
  RemoteError,
  NotFoundError,
  AlreadyExistsError,
  InvalidArgumentError,
  PermissionDeniedError,
  UnauthenticatedError,
  UnavailableError,
  DeadlineExceededError,
  InternalError,
  ResourceExhaustedError,
  ConfigError,
  AuthenticationError,
  remoteErrorFor,
  type RemoteErrorInfo,
} from "./errors.js";
export { StatusCode, statusName, type StatusCodeName, type StatusCodeNumber } from "./status.js";
export { Redactor, redact, SecretValue, REDACTED } from "./redact.js";
export type { Logger, LogEvent, LogLevel } from "./log.js";
export { TransportError, type Transport, type UnaryCall, type RpcMethod } from "./transport.js";
export { GrpcTransport, type GrpcTransportOptions } from "./grpc-transport.js";
export { isIdempotent, isRetryable, backoffDelay, type RetryPolicy } from "./retry.js";
export {
  serviceDefinitions,
  type ServiceClient,
  type CallOptions,
  type RequestOf,
  type ResponseOf,
  type AdminServiceDefinition,
  type DataProxyServiceDefinition,
  type AuthMetadataServiceDefinition,
  type IdentityServiceDefinition,
  type SignalServiceDefinition,
} from "./services.js";
export { FileTokenCache, MemoryTokenCache, type TokenCache, type CachedToken } from "./auth/cache.js";
export type { TokenSet } from "./auth/token.js";
export type { AuthServerInfo, DeviceCodePrompt } from "./auth/oauth.js";
export { createNodeFetch, type FetchLike, type FetchBody, type NodeFetchTls } from "./auth/http.js";
export { openInBrowser, printDeviceCode } from "./auth/prompts.js";

// Registration, fast registration, executions.
export {
  FlyteRemote,
  type FlyteRemoteOptions,
  type RegisterOptions,
  type RegisterResult,
  type RegisterProgressEvent,
  type ExecuteOptions,
  type ExecutionHandle,
  type ExecutionRef,
  type ExecutionProgress,
  type WaitOptions,
} from "./remote.js";
export {
  readBundle,
  hydrate,
  hydrateId,
  applyFastRegistration,
  fastExecuteArgs,
  toRegistrationEntry,
  entryId,
  type Coordinates,
  type FastDistribution,
  type RegistrationEntry,
} from "./registration/entries.js";
export {
  registerEntries,
  type RegisterEntriesOptions,
  type RegisteredEntity,
  type RegistrationProgress,
  type RegistrationResult,
  type RegistrationStatus,
} from "./registration/register.js";
export { packageSource, ignoreMatcher, IGNORE_FILE, type SourcePackage, type SourcePackageOptions } from "./fast.js";
export { createTarGz, readTar, type TarFile } from "./tar.js";
export {
  DataProxyStorage,
  uploadThroughDataProxy,
  downloadThroughDataProxy,
  uploadFile,
  fetchBytes,
  md5,
  type HttpFetch,
  type UploadRequest,
  type UploadResult,
} from "./data.js";
export { fetchInterface, inputLiterals, registeredId, type RemoteInterface, type RemoteInput, type EntityId } from "./executions/interface.js";
export { nodeExecutionTree, listNodeExecutionsPage, summarizeNodes, type NodeExecutionInfo, type ListNodeOptions } from "./executions/nodes.js";
export {
  executionPhaseName,
  nodePhaseName,
  isTerminalExecutionPhase,
  TERMINAL_EXECUTION_PHASES,
  TERMINAL_NODE_PHASES,
  type ExecutionPhase,
  type NodePhase,
} from "./executions/phases.js";
export { RegistrationConflictError, RegistrationError, InputError, ExecutionFailedError, WaitTimeoutError, SignedUrlError } from "./remote-errors.js";
