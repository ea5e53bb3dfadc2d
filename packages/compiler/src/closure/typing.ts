import { flyteidl, toProtoJson } from "@flytekit-ts/idl";
import { formatLiteralType, isCastable, isSet, literalTypeOf } from "@flytekit-ts/types";

export type LiteralType = flyteidl.core.LiteralType.$Properties;
type Scalar = flyteidl.core.Scalar.$Properties;
type Primitive = flyteidl.core.Primitive.$Properties;
type Variable = flyteidl.core.Variable.$Properties;

const { SimpleType } = flyteidl.core;

function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * A canonical rendering of a literal type. Where the Go compiler compares two types by their
 * protobuf text (`a.String() != b.String()`, i.e. exact equality including metadata), this key
 * gives the same answer.
 */
export function typeKey(type: LiteralType | null | undefined): string {
  if (!type) return "null";
  const message = type instanceof flyteidl.core.LiteralType ? type : flyteidl.core.LiteralType.fromObject(type as { [k: string]: unknown });
  return stableStringify(toProtoJson(flyteidl.core.LiteralType, message as flyteidl.core.LiteralType));
}

/** Exact equality of two literal types (the Go compiler's `String()` comparison). */
export function sameType(a: LiteralType | null | undefined, b: LiteralType | null | undefined): boolean {
  return typeKey(a) === typeKey(b);
}

/** A readable type for messages. */
export function describeType(type: LiteralType | null | undefined): string {
  return formatLiteralType(type);
}

/**
 * Whether an upstream type may be bound where the downstream type is expected: propeller's
 * AreTypesCastable, which @flytekit-ts/types implements. Kept behind this function so that any
 * correction the compiler needs lives in one place.
 */
export function castable(upstream: LiteralType | null | undefined, downstream: LiteralType | null | undefined): boolean {
  if (!upstream || !downstream) return false;
  return isCastable(upstream, downstream);
}

/** The type of a primitive constant (propeller's literalTypeForPrimitive: an empty primitive is NONE). */
export function primitiveType(primitive: Primitive): LiteralType {
  const kinds = [
    ["integer", SimpleType.INTEGER],
    ["floatValue", SimpleType.FLOAT],
    ["stringValue", SimpleType.STRING],
    ["boolean", SimpleType.BOOLEAN],
    ["datetime", SimpleType.DATETIME],
    ["duration", SimpleType.DURATION],
  ] as const;
  const kind = kinds.find(([field]) => isSet(primitive, field));
  return { simple: kind ? kind[1] : SimpleType.NONE };
}

/**
 * The type the compiler infers for a constant (scalar) binding, or undefined where propeller's
 * literalTypeForScalar gives up (a blob without metadata, an empty scalar), which it reports as
 * UnrecognizedValue.
 */
export function scalarType(scalar: Scalar): LiteralType | undefined {
  if (scalar.primitive) return primitiveType(scalar.primitive);
  if (scalar.blob) return scalar.blob.metadata ? { blob: scalar.blob.metadata.type ?? {} } : undefined;
  if (scalar.binary || scalar.schema || scalar.structuredDataset || scalar.noneType || scalar.error || scalar.generic || scalar.union) {
    return literalTypeOf({ scalar });
  }
  return undefined;
}

/** The Go type name of a scalar's value, for UnrecognizedValue messages. */
export function scalarKindName(scalar: Scalar): string {
  for (const field of ["primitive", "blob", "binary", "schema", "noneType", "error", "generic", "structuredDataset", "union"] as const) {
    if (scalar[field]) return `*core.Scalar_${field[0]!.toUpperCase()}${field.slice(1)}`;
  }
  return "<nil>";
}

/**
 * Whether an input may be left unbound. Propeller treats a union as optional when one of its
 * variants reads as simple NONE — and, because it reads `GetSimple()` on every variant, a variant
 * that is not a simple type at all (a list, a map, a blob…) counts too. That quirk is kept so that
 * the same inputs are required here as on a cluster.
 */
export function isOptional(variable: Variable | null | undefined): boolean {
  const variants = variable?.type?.unionType?.variants;
  if (!variants) return false;
  return variants.some((v) => (v.simple ?? SimpleType.NONE) === SimpleType.NONE);
}

/**
 * Parses a promise's variable name the way propeller's typing.ParseVarName does: exactly one match
 * of `([<index>].)?<word>`; `[2].o0` reads as index 2 of `o0`. Anything else (a dash, a dot, an empty
 * name) is a syntax error.
 */
export function parseVarName(name: string): { name: string; index?: number } | undefined {
  const matches = [...name.matchAll(/(\[(\d+)\]\.)?(\w+)/g)];
  if (matches.length !== 1) return undefined;
  const match = matches[0]!;
  const index = match[2];
  return index !== undefined && index !== "" ? { name: match[3]!, index: Number(index) } : { name: match[3]! };
}
