import { flyteidl, timestampFromDate } from "@flytekit-ts/idl";
import { FlytekitError, isFlytekitError } from "@flytekit-ts/idl";

/**
 * Throw this from a task for a failure worth retrying (a flaky service, a lost connection): Flyte
 * retries it within the task's `retries`. Any other error fails the task for good, as in flytekit,
 * where only `FlyteRecoverableException` is retried.
 */
export class RecoverableError extends FlytekitError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("USER:Recoverable", message, options);
  }
}

export function isRecoverableError(error: unknown): boolean {
  return isFlytekitError(error) && error.code === "USER:Recoverable";
}

/**
 * The task ran longer than its `timeout`. Recoverable, as FlytePropeller's own TimeoutExpired: Flyte
 * retries it within the task's retries.
 */
export class TaskTimeoutError extends FlytekitError {
  constructor(entity: string, ms: number) {
    super("USER:TimeoutExpired", `${entity} ran longer than its timeout of ${ms} ms`);
  }
}


/** Where a failure came from, which decides its ErrorDocument (contract §5.4). */
export type FailureOrigin =
  /** The task's own code threw. */
  | { kind: "user"; error: unknown }
  /** Inputs could not be read as the task's types, or outputs not written: not worth retrying. */
  | { kind: "conversion"; error: unknown }
  /** Anything else in the entrypoint (storage, an SDK bug): retried by Flyte's system budget. */
  | { kind: "system"; error: unknown };

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const header = `${error.name}: ${error.message}`;
  // A stack set by hand may not start with the message; the document must still carry it.
  const own = !error.stack ? header : error.stack.startsWith(header) ? error.stack : `${header}\n${error.stack}`;
  // A wrapped error (an unhandled rejection, a bad input) is found through its cause's stack.
  return error.cause instanceof Error ? `${own}\nCaused by: ${describe(error.cause)}` : own;
}

/** The `ErrorDocument` Flyte reads from error.pb: code, USER vs SYSTEM origin, RECOVERABLE or not, and the stack. */
export function errorDocument(failure: FailureOrigin, now = new Date()): flyteidl.core.ErrorDocument.$Properties {
  // Read here, not at import: touching a message class builds its type, and most tasks never fail.
  const { Kind } = flyteidl.core.ContainerError;
  const { ErrorKind } = flyteidl.core.ExecutionError;
  const message = describe(failure.error);
  let code: string;
  let kind: number;
  let origin: number;
  if (failure.kind === "user") {
    const timedOut = failure.error instanceof TaskTimeoutError;
    const recoverable = isRecoverableError(failure.error) || timedOut;
    const given = (failure.error as { code?: unknown } | null)?.code;
    code = isRecoverableError(failure.error) ? "USER:Recoverable" : typeof given === "string" && given.startsWith("USER:") ? given : "USER:RuntimeError";
    kind = recoverable ? Kind.RECOVERABLE : Kind.NON_RECOVERABLE;
    origin = ErrorKind.USER;
  } else if (failure.kind === "conversion") {
    code = "SYSTEM";
    kind = Kind.NON_RECOVERABLE;
    origin = ErrorKind.SYSTEM;
  } else {
    code = "SYSTEM";
    kind = Kind.RECOVERABLE;
    origin = ErrorKind.SYSTEM;
  }
  return { error: { code, message, kind, origin, timestamp: timestampFromDate(now) } };
}
