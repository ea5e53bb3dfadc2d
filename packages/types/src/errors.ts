import { FlytekitError } from "@flytekit-ts/idl";
import type { ValueIssue, ValuePath } from "./descriptor.js";

function formatPath(path: ValuePath): string {
  return path.map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`)).join("");
}

/** Renders an issue as "input cfg at .inner.weight: expected float, got string \"x\"". */
export function formatIssue(issue: ValueIssue, input?: string): string {
  const where = [input === undefined ? "" : `input "${input}"`, issue.path.length ? `at ${formatPath(issue.path)}` : ""]
    .filter(Boolean)
    .join(" ");
  return `${where ? `${where}: ` : ""}expected ${issue.expected}, got ${issue.got}`;
}

/** A value that does not fit its type: names the input, the path inside the value, what was expected and what came. */
export class ValueTypeError extends FlytekitError {
  readonly issues: ValueIssue[];
  input: string | undefined;

  constructor(issues: ValueIssue[], input?: string) {
    super("VALUE_TYPE_MISMATCH", issues.map((i) => formatIssue(i, input)).join("; "));
    this.issues = issues;
    this.input = input;
  }

  /** The same error seen from one level up: `segment` is prepended to every path. */
  within(segment: string | number): ValueTypeError {
    return new ValueTypeError(
      this.issues.map((i) => ({ ...i, path: [segment, ...i.path] })),
      this.input,
    );
  }

  /** The same error, naming the input (variable) it belongs to. */
  forInput(input: string): ValueTypeError {
    return new ValueTypeError(this.issues, input);
  }
}

/** A literal that is not of the type it was read as (e.g. a string literal for an int input). */
export class LiteralTypeError extends FlytekitError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("LITERAL_TYPE_MISMATCH", message, options);
  }
}

/** Bytes that should hold msgpack (a struct's `Binary` literal) but do not decode. */
export class MsgpackDecodeError extends LiteralTypeError {
  constructor(
    readonly byteLength: number,
    cause: unknown,
  ) {
    super(`corrupt msgpack in a binary literal (${byteLength} bytes): ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = "MsgpackDecodeError";
  }
}

/** A short description of what came, for messages: `string "x"`, `number 1.5`, `object`, `null`. */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (typeof value === "string") return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return `${typeof value} ${String(value)}`;
  if (Array.isArray(value)) return `array(${value.length})`;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "invalid Date" : `Date ${value.toISOString()}`;
  if (value instanceof Uint8Array) return `bytes(${value.length})`;
  return typeof value === "object" ? `object{${Object.keys(value).slice(0, 5).join(",")}}` : typeof value;
}

export function mismatch(expected: string, value: unknown): ValueTypeError {
  return new ValueTypeError([{ path: [], expected, got: describeValue(value) }]);
}
