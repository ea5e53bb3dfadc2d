import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { flyteidl } from "@flytekit-ts/idl";
import type { TypeContext } from "./context.js";

/** A Flyte literal as this package builds and reads it (plain objects or decoded messages). */
export type Literal = flyteidl.core.Literal.$Properties;
/** A Flyte literal type. */
export type LiteralType = flyteidl.core.LiteralType.$Properties;

/** Where inside a value a problem is: object keys and list indices, outermost first. */
export type ValuePath = ReadonlyArray<string | number>;

/** One way a value does not fit its type. */
export interface ValueIssue {
  path: ValuePath;
  expected: string;
  got: string;
}

/** The brand of a type descriptor. A registered symbol, so descriptors from two copies of this package are still recognised. */
export const TYPE_DESCRIPTOR = Symbol.for("flytekit-ts.type-descriptor");

/**
 * A runtime description of a Flyte type that also carries its TypeScript type `T`. It knows its
 * `LiteralType`, converts values both ways, validates, and is a Standard Schema (so any library that
 * accepts Standard Schema can validate with it).
 */
export interface TypeDescriptor<T> extends StandardSchemaV1<T, T> {
  readonly [TYPE_DESCRIPTOR]: true;
  /** Human-readable name for messages, e.g. `list<int>`. */
  readonly name: string;
  /**
   * flytekit's transformer name for the type, written as `structure.tag` on union variants, so that
   * Python reads a union value written here (and the other way round) with the right transformer.
   */
  readonly tag: string;
  readonly literalType: LiteralType;
  /** Appends every way `value` does not fit (nothing when it fits). */
  check(value: unknown, path: ValuePath, issues: ValueIssue[]): void;
  /** Value → literal. Throws a `ValueTypeError` when the value does not fit. May be async (files, plugins). */
  toLiteral(value: T, ctx: TypeContext): Literal | Promise<Literal>;
  /** Literal → value. Throws a `LiteralTypeError` when the literal is not of this type. */
  fromLiteral(literal: Literal, ctx: TypeContext): T | Promise<T>;
}

/** The TypeScript type a descriptor describes. */
export type Infer<D> = D extends TypeDescriptor<infer T> ? T : never;

/** The values of a named set of descriptors, e.g. a task's inputs. */
export type InferValues<V extends Record<string, TypeDescriptor<unknown>>> = { [K in keyof V]: Infer<V[K]> };

/** Whether a value is a type descriptor (from `t.*` or `defineType`), for code that accepts descriptors among other values. */
export function isTypeDescriptor(value: unknown): value is TypeDescriptor<unknown> {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[TYPE_DESCRIPTOR] === true;
}

/** `then` for a value that may or may not be a promise, staying synchronous when it is not. */
export function mapMaybe<A, B>(value: A | Promise<A>, fn: (a: A) => B | Promise<B>): B | Promise<B> {
  return value instanceof Promise ? value.then(fn) : fn(value);
}
