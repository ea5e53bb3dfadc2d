import { flyteidl } from "@flytekit-ts/idl";
import { localContext, type TypeContext } from "./context.js";
import type { Literal, TypeDescriptor } from "./descriptor.js";
import { issuesOf } from "./define.js";
import { ValueTypeError } from "./errors.js";

/** What `checkConformance` tries a type with: values it must round-trip and values it must refuse. */
export interface ConformanceOptions<T> {
  /** Values that fit the type; each must survive value → literal → bytes → literal → value. */
  valid: readonly T[];
  /** Values that do not fit; check() must report them and toLiteral() must refuse them. */
  invalid?: readonly unknown[];
  /** Equality of values after the round trip (default: structural equality). */
  equals?: (a: T, b: T) => boolean;
  ctx?: TypeContext;
}

/** The outcome of `checkConformance`: `ok` when every value behaved; otherwise one line per failure. */
export interface ConformanceReport {
  ok: boolean;
  failures: string[];
}

/**
 * What we ship for plugin authors: runs a type through the contract every type must keep — a stable,
 * valid `LiteralType`, lossless round trips through the protobuf wire form, and validation that
 * agrees with conversion. Use it in the plugin's own tests.
 */
export async function checkTypeConformance<T>(type: TypeDescriptor<T>, options: ConformanceOptions<T>): Promise<ConformanceReport> {
  const ctx = options.ctx ?? localContext();
  const equals = options.equals ?? deepEqual;
  const failures: string[] = [];
  const { LiteralType, Literal } = flyteidl.core;

  const typeError = LiteralType.verify(type.literalType as { [k: string]: unknown });
  if (typeError) failures.push(`literalType is not a valid LiteralType: ${typeError}`);
  const first = LiteralType.encode(LiteralType.fromObject(type.literalType as { [k: string]: unknown })).finish();
  const second = LiteralType.encode(LiteralType.fromObject(type.literalType as { [k: string]: unknown })).finish();
  if (Buffer.compare(Buffer.from(first), Buffer.from(second)) !== 0) failures.push("literalType does not encode the same way twice");
  if (!type.tag) failures.push("tag is empty: union variants of this type could not be told apart");

  for (const [i, value] of options.valid.entries()) {
    const label = `valid[${i}]`;
    const issues = issuesOf(type as TypeDescriptor<unknown>, value);
    if (issues.length) failures.push(`${label}: check() reports ${issues.map((x) => x.expected).join("; ")}`);
    const standard = await type["~standard"].validate(value);
    if (standard.issues) failures.push(`${label}: Standard Schema validate() rejects it`);
    try {
      const literal = await type.toLiteral(value, ctx);
      const wire = Literal.decode(Literal.encode(Literal.fromObject(literal as { [k: string]: unknown })).finish()) as Literal;
      const back = await type.fromLiteral(wire, ctx);
      if (!equals(back, value)) failures.push(`${label}: came back different after value → literal → bytes → value`);
    } catch (error) {
      failures.push(`${label}: round trip threw ${(error as Error).message}`);
    }
  }

  for (const [i, value] of (options.invalid ?? []).entries()) {
    const label = `invalid[${i}]`;
    if (issuesOf(type as TypeDescriptor<unknown>, value).length === 0) failures.push(`${label}: check() accepts it`);
    try {
      await type.toLiteral(value as T, ctx);
      failures.push(`${label}: toLiteral() accepts it`);
    } catch (error) {
      if (!(error instanceof ValueTypeError)) failures.push(`${label}: toLiteral() threw ${(error as Error).name}, not a ValueTypeError`);
    }
  }
  return { ok: failures.length === 0, failures };
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
