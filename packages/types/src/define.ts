import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { TypeContext } from "./context.js";
import { TYPE_DESCRIPTOR, type Literal, type LiteralType, type TypeDescriptor, type ValueIssue, type ValuePath } from "./descriptor.js";
import { formatIssue } from "./errors.js";

/** Everything a type needs; `defineType` adds the brand and Standard Schema. */
export interface TypeDefinition<T> {
  name: string;
  tag: string;
  literalType: LiteralType;
  /** Adds an issue for every part of `value` that does not fit, at its `path`; adds nothing when it fits. */
  check(value: unknown, path: ValuePath, issues: ValueIssue[]): void;
  /** The value as the literal flytekit would write for it (uploading files through `ctx` when needed). */
  toLiteral(value: T, ctx: TypeContext): Literal | Promise<Literal>;
  /** The value a literal holds; throws a `LiteralTypeError` naming the literal when it is not of this type. */
  fromLiteral(literal: Literal, ctx: TypeContext): T | Promise<T>;
}

/**
 * Makes a type descriptor. Built-in types use it, and so do plugins: a plugin type is an ordinary
 * descriptor, reached only through the descriptors a task declares (nothing registers globally).
 */
export function defineType<T>(definition: TypeDefinition<T>): TypeDescriptor<T> {
  const descriptor: TypeDescriptor<T> = {
    [TYPE_DESCRIPTOR]: true,
    name: definition.name,
    tag: definition.tag,
    literalType: definition.literalType,
    check: definition.check,
    toLiteral: definition.toLiteral,
    fromLiteral: definition.fromLiteral,
    "~standard": {
      version: 1,
      vendor: "flytekit-ts",
      validate(value: unknown): StandardSchemaV1.Result<T> {
        const issues: ValueIssue[] = [];
        definition.check(value, [], issues);
        if (issues.length === 0) return { value: value as T };
        return { issues: issues.map((issue) => ({ message: formatIssue({ ...issue, path: [] }), path: [...issue.path] })) };
      },
    },
  };
  return Object.freeze(descriptor);
}

/** Runs a descriptor's check and returns the issues (empty when the value fits). */
export function issuesOf(descriptor: TypeDescriptor<unknown>, value: unknown): ValueIssue[] {
  const issues: ValueIssue[] = [];
  descriptor.check(value, [], issues);
  return issues;
}
