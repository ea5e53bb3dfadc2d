/**
 * The base of every error flytekit-ts throws on purpose. `code` is stable and machine-readable (for
 * scripts and for mapping onto Flyte's ErrorDocument); the message is for people. Brand-checked with
 * `isFlytekitError`, not `instanceof`, because plugins may bring their own copy of a package.
 */
export class FlytekitError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    Object.defineProperty(this, FLYTEKIT_ERROR, { value: true });
  }
}

const FLYTEKIT_ERROR = Symbol.for("flytekit-ts.error");

/** Whether a value is a `FlytekitError`, also one thrown by another copy of this package. */
export function isFlytekitError(value: unknown): value is FlytekitError {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[FLYTEKIT_ERROR] === true;
}
