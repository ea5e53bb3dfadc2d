import { FlytekitError, flyteidl, formatIdentifier } from "@flytekit-ts/idl";

/**
 * An entity is already registered under this id with different content. Register a new version
 * (flyteadmin never replaces a registered entity).
 */
export class RegistrationConflictError extends FlytekitError {
  readonly id: flyteidl.core.IIdentifier;
  /** Where the registered and the new content differ (JSON paths, e.g. `template.container.args[3]`), when known. */
  readonly differences: readonly string[];

  constructor(id: flyteidl.core.IIdentifier, differences: readonly string[], serverMessage?: string) {
    const detail = differences.length ? `; differences: ${differences.slice(0, 8).join(", ")}${differences.length > 8 ? ", …" : ""}` : serverMessage ? `: ${serverMessage.trim()}` : "";
    super(
      "REGISTRATION_CONFLICT",
      `${formatIdentifier(id)} is already registered with different content${detail}. Register under a new version (--version), or leave the version out to derive one from the content`,
    );
    this.id = id;
    this.differences = differences;
  }
}

/** Registering one entity failed (the cause is the server's error); names the entity. */
export class RegistrationError extends FlytekitError {
  readonly id: flyteidl.core.IIdentifier;
  constructor(id: flyteidl.core.IIdentifier, cause: unknown) {
    super("REGISTRATION_FAILED", `cannot register ${formatIdentifier(id)}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.id = id;
  }
}

/** Inputs that do not fit the remote entity's interface; nothing was sent. Lists every problem. */
export class InputError extends FlytekitError {
  readonly problems: readonly string[];
  constructor(subject: string, problems: readonly string[]) {
    super("INVALID_INPUTS", `inputs for ${subject} do not fit its registered interface: ${problems.join("; ")}`);
    this.problems = problems;
  }
}

/** The execution ended in a phase other than SUCCEEDED (FAILED, ABORTED, TIMED_OUT), so it has no outputs. */
export class ExecutionFailedError extends FlytekitError {
  readonly execution: flyteidl.admin.IExecution;
  readonly phase: string;
  constructor(execution: flyteidl.admin.IExecution, phase: string, reason: string) {
    const id = execution.id;
    super("EXECUTION_FAILED", `execution ${id?.project}/${id?.domain}/${id?.name} ended ${phase}${reason ? `: ${reason}` : ""}`);
    this.execution = execution;
    this.phase = phase;
  }
}

/** `wait` gave up before the execution reached a terminal phase (the execution keeps running). */
export class WaitTimeoutError extends FlytekitError {
  readonly execution: flyteidl.admin.IExecution;
  constructor(execution: flyteidl.admin.IExecution, phase: string, timeoutMs: number) {
    const id = execution.id;
    super("WAIT_TIMEOUT", `execution ${id?.project}/${id?.domain}/${id?.name} is still ${phase} after ${Math.round(timeoutMs / 1000)} s`);
    this.execution = execution;
  }
}

/** A PUT to or GET from a signed URL failed (the URL itself is never shown: it is a credential). */
export class SignedUrlError extends FlytekitError {
  readonly status: number | undefined;
  constructor(what: string, status: number | undefined, detail: string) {
    super("SIGNED_URL_FAILED", `${what} failed${status === undefined ? "" : ` with HTTP ${status}`}${detail ? `: ${detail}` : ""}`);
    this.status = status;
  }
}
