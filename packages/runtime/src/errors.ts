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

/** Whether Flyte should retry after this error: a `RecoverableError`, also one from another copy of this package. */
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


/**
 * Where a failure came from, which decides its ErrorDocument (contract §5.4) as flytekit 1.16.24's
 * entrypoint decides it (docs/decisions/0023-flytekit-error-kinds.md).
 */
export type FailureOrigin =
  /** The task's own code threw, or its module could not be loaded: USER, the error's code. */
  | { kind: "user"; error: unknown }
  /**
   * Input literals could not be converted to the task's types, or its returned values to its output
   * types: SYSTEM, not worth retrying (flytekit's FlyteNonRecoverableSystemException).
   */
  | { kind: "conversion"; error: unknown }
  /** Anything else in the entrypoint (storage, a corrupt inputs.pb, an SDK bug): SYSTEM, retried by Flyte's system budget. */
  | { kind: "system"; error: unknown };

/** An error's own stack, its header (`Name: message`) always first, as V8 writes it. */
function stackOf(error: Error): string {
  const header = `${error.name}: ${error.message}`;
  // A stack set by hand may not start with the message; the document must still carry it.
  return !error.stack ? header : error.stack.startsWith(header) ? error.stack : `${header}\n${error.stack}`;
}

/**
 * The stacks of an error and its causes, the innermost cause first, joined as Python chains tracebacks:
 * a wrapped error (an unhandled rejection, a bad input) is found through its cause's stack.
 */
function traceOf(error: unknown): string {
  if (!(error instanceof Error)) return `${typeof error} thrown: ${String(error)}`;
  const chain: Error[] = [];
  for (let e: unknown = error; e instanceof Error && !chain.includes(e) && chain.length < 16; e = e.cause) chain.unshift(e);
  return chain.map(stackOf).join("\n\nThe above exception was the direct cause of the following exception:\n\n");
}

/** Python's textwrap.indent: every line that is not blank. */
const indent = (text: string): string => text.replace(/^(?=.*\S)/gm, "    ");

/**
 * The message flytekit's entrypoint writes (`get_traceback_str`): the trace, then the error's type
 * and text, both indented — `Trace:\n\n    …\nMessage:\n\n    TypeError: …`.
 */
export function errorMessage(error: unknown): string {
  const summary = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return `Trace:\n\n${indent(traceOf(error))}\n\nMessage:\n\n${indent(summary)}`;
}

/** The `ErrorDocument` Flyte reads from error.pb: code, USER vs SYSTEM origin, RECOVERABLE or not, and the stack. */
export function errorDocument(failure: FailureOrigin, now = new Date()): flyteidl.core.ErrorDocument.$Properties {
  // Read here, not at import: touching a message class builds its type, and most tasks never fail.
  const { Kind } = flyteidl.core.ContainerError;
  const { ErrorKind } = flyteidl.core.ExecutionError;
  const message = errorMessage(failure.error);
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
