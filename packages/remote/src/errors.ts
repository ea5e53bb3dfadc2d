import { FlytekitError } from "@flytekit-ts/idl";
import { StatusCode, statusName, type StatusCodeName } from "./status.js";

/** What the client knew when a call failed; every string in it has already been redacted. */
export interface RemoteErrorInfo {
  /** `"AdminService.GetTask"`. */
  method: string;
  /** The gRPC status code. */
  status: number;
  /** The server's (or the transport's) message, redacted. */
  serverMessage: string;
  /** The endpoint called, as configured (`dns:///flyte.example.com:443`). */
  endpoint: string;
  /** How many times the call was sent. */
  attempts: number;
  /** What to check next, when the client has a useful suggestion. */
  hint?: string;
}

/**
 * A FlyteAdmin call that failed. `code` is the gRPC status name (`"NOT_FOUND"`, `"UNAVAILABLE"`, …) and
 * stable; subclasses exist for the statuses callers branch on. Messages name the method and carry the
 * server's message, never a credential.
 */
export class RemoteError extends FlytekitError {
  readonly method: string;
  readonly status: number;
  readonly serverMessage: string;
  readonly endpoint: string;
  readonly attempts: number;

  constructor(code: string, info: RemoteErrorInfo) {
    const server = info.serverMessage.trim() || "(no message from the server)";
    const tries = info.attempts > 1 ? ` after ${info.attempts} attempts` : "";
    super(code, `${info.method} failed with ${code}${tries}: ${server}${info.hint ? ` (${info.hint})` : ""}`);
    this.method = info.method;
    this.status = info.status;
    this.serverMessage = info.serverMessage;
    this.endpoint = info.endpoint;
    this.attempts = info.attempts;
  }
}

/** The entity does not exist (task, workflow, launch plan, execution, project …). */
export class NotFoundError extends RemoteError {
  constructor(info: RemoteErrorInfo) {
    super("NOT_FOUND", info);
  }
}

/** An entity with this id exists already. Registration treats byte-identical re-registration this way. */
export class AlreadyExistsError extends RemoteError {
  constructor(info: RemoteErrorInfo) {
    super("ALREADY_EXISTS", info);
  }
}

/** The server refused the request's content (validation, compilation, same id with different content). */
export class InvalidArgumentError extends RemoteError {
  constructor(info: RemoteErrorInfo) {
    super("INVALID_ARGUMENT", info);
  }
}

/** Authenticated, but not allowed to do this. */
export class PermissionDeniedError extends RemoteError {
  constructor(info: RemoteErrorInfo) {
    super("PERMISSION_DENIED", info);
  }
}

/** The server did not accept the credentials, even after one refresh. */
export class UnauthenticatedError extends RemoteError {
  constructor(info: RemoteErrorInfo) {
    super("UNAUTHENTICATED", info);
  }
}

/** The server could not be reached or was not serving, after the configured retries. */
export class UnavailableError extends RemoteError {
  constructor(info: RemoteErrorInfo) {
    super("UNAVAILABLE", info);
  }
}

/** No answer within the call's deadline. */
export class DeadlineExceededError extends RemoteError {
  constructor(info: RemoteErrorInfo) {
    super("DEADLINE_EXCEEDED", info);
  }
}

/** The server failed internally. */
export class InternalError extends RemoteError {
  constructor(info: RemoteErrorInfo) {
    super("INTERNAL", info);
  }
}

/** Rate limited or over a size limit, after the configured retries. */
export class ResourceExhaustedError extends RemoteError {
  constructor(info: RemoteErrorInfo) {
    super("RESOURCE_EXHAUSTED", info);
  }
}

const BY_STATUS: Partial<Record<StatusCodeName, new (info: RemoteErrorInfo) => RemoteError>> = {
  NOT_FOUND: NotFoundError,
  ALREADY_EXISTS: AlreadyExistsError,
  INVALID_ARGUMENT: InvalidArgumentError,
  PERMISSION_DENIED: PermissionDeniedError,
  UNAUTHENTICATED: UnauthenticatedError,
  UNAVAILABLE: UnavailableError,
  DEADLINE_EXCEEDED: DeadlineExceededError,
  INTERNAL: InternalError,
  RESOURCE_EXHAUSTED: ResourceExhaustedError,
};

/** The typed error for a failed call: a subclass for the common statuses, `RemoteError` otherwise. */
export function remoteErrorFor(info: RemoteErrorInfo): RemoteError {
  const name = statusName(info.status);
  const Subclass = BY_STATUS[name];
  return Subclass ? new Subclass(info) : new RemoteError(name, info);
}

/** Suggestions for the statuses where the fix is usually on the caller's side. */
export function defaultHint(status: number, endpoint: string): string | undefined {
  switch (status) {
    case StatusCode.UNAVAILABLE:
      return `is ${endpoint} reachable, and does admin.insecure match whether it serves TLS?`;
    case StatusCode.UNAUTHENTICATED:
      return "check admin.authType and the client id and secret, or log in again";
    case StatusCode.PERMISSION_DENIED:
      return "the authenticated identity lacks the permission for this call";
    default:
      return undefined;
  }
}

/** A configuration value that is missing, malformed or contradicts another; names the key and its source. */
export class ConfigError extends FlytekitError {
  /** The setting, as written in flytectl's YAML (`admin.endpoint`) or as the environment variable. */
  readonly key: string;
  /** Where the value came from: a file path, `environment` or `options`. */
  readonly source: string;

  constructor(key: string, source: string, problem: string) {
    super("INVALID_CONFIG", `${key} (${source}): ${problem}`);
    this.key = key;
    this.source = source;
  }
}

/** An authentication flow failed: discovery, the token endpoint, the browser login, the external command. */
export class AuthenticationError extends FlytekitError {
  /** Which flow failed (`ClientSecret`, `Pkce`, `DeviceFlow`, `ExternalCommand`) or `discovery`. */
  readonly flow: string;
  /** The OAuth 2 `error` code from the authorization server, when it sent one (`invalid_client`, …). */
  readonly oauthError: string | undefined;

  constructor(flow: string, message: string, oauthError?: string) {
    super("AUTHENTICATION_FAILED", `${flow} authentication failed: ${message}`);
    this.flow = flow;
    this.oauthError = oauthError;
  }
}
