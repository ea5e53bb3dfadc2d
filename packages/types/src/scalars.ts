import type Long from "long";
import { timestampFromEpochNanos, timestampToEpochNanos, toBigInt, toLong } from "@flytekit-ts/idl";
import type { Literal, TypeDescriptor } from "./descriptor.js";
import { defineType } from "./define.js";
import { LiteralTypeError, mismatch, describeValue } from "./errors.js";
import { formatLiteralType, simpleType, type SimpleTypeName } from "./literal-types.js";
import { durationFromNanos, durationToNanos, millisToNanos, nanosToMillis } from "./exact-millis.js";
import { PreciseDate, epochNanosOf } from "./precise-date.js";

type Primitive = NonNullable<NonNullable<Literal["scalar"]>["primitive"]>;

function primitiveOf(literal: Literal, expected: string): Primitive {
  const primitive = literal.scalar?.primitive;
  if (!primitive) throw new LiteralTypeError(`expected a ${expected} literal, got ${describeLiteral(literal)}`);
  return primitive;
}

/** A short description of a literal's shape, for messages. */
export function describeLiteral(literal: Literal): string {
  if (literal.collection) return "a collection literal";
  if (literal.map) return "a map literal";
  if (literal.offloadedMetadata) return "an offloaded literal";
  const scalar = literal.scalar;
  if (!scalar) return "an empty literal";
  const kind = Object.keys(scalar).find((k) => isSet(scalar as Record<string, unknown>, k)) ?? "empty";
  if (kind === "primitive" && scalar.primitive) {
    const p = scalar.primitive as Record<string, unknown>;
    const which = ["integer", "floatValue", "stringValue", "boolean", "datetime", "duration"].find((k) => isSet(p, k));
    return `a ${which ?? "empty"} primitive`;
  }
  return `a ${kind} scalar`;
}

const primitiveLiteral = (primitive: Primitive): Literal => ({ scalar: { primitive } });

/**
 * Whether a oneof member is really set. Decoded protobufjs messages carry defaults on their prototype
 * (an unset `integer` reads as Long 0, `stringValue` as ""), so only own properties count.
 */
export function isSet<T extends object>(message: T, field: keyof T): boolean {
  return Object.hasOwn(message, field) && message[field] != null;
}

/** int64 from the wire as a JS number, refusing values a number cannot hold exactly. */
function int64ToSafeNumber(value: number | Long): number {
  const n = typeof value === "number" ? value : value.toNumber();
  if (!Number.isSafeInteger(n)) {
    throw new LiteralTypeError(`integer ${String(value)} is beyond ±2^53 and cannot be a JS number exactly; declare the input as t.int64() to read it as a bigint`);
  }
  return n;
}

interface ScalarSpec<T> {
  name: string;
  tag: string;
  simple: SimpleTypeName;
  expected: string;
  accepts(value: unknown): value is T;
  toPrimitive(value: T): Primitive;
  fromPrimitive(primitive: Primitive): T | undefined;
}

function scalarType<T>(spec: ScalarSpec<T>): TypeDescriptor<T> {
  return defineType<T>({
    name: spec.name,
    tag: spec.tag,
    literalType: simpleType(spec.simple),
    check(value, path, issues) {
      if (!spec.accepts(value)) issues.push({ path, expected: spec.expected, got: describeValue(value) });
    },
    toLiteral(value) {
      if (!spec.accepts(value)) throw mismatch(spec.expected, value);
      return primitiveLiteral(spec.toPrimitive(value));
    },
    fromLiteral(literal) {
      const value = spec.fromPrimitive(primitiveOf(literal, spec.name));
      if (value === undefined) throw new LiteralTypeError(`expected a ${spec.name} literal, got ${describeLiteral(literal)}`);
      return value;
    },
  });
}

const isSafeInt = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v);

const intType = scalarType<number>({
  name: "int",
  tag: "int",
  simple: "INTEGER",
  expected: "an integer within ±(2^53-1) (use t.int64() for larger)",
  accepts: isSafeInt,
  toPrimitive: (v) => ({ integer: v }),
  fromPrimitive(p) {
    if (isSet(p, "integer")) return int64ToSafeNumber(p.integer as number | Long);
    // flytekit reads a FLOAT literal into an int when it is integral (console inputs arrive as floats).
    if (isSet(p, "floatValue") && Number.isSafeInteger(p.floatValue)) return p.floatValue as number;
    return undefined;
  },
});

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const int64Type = scalarType<bigint>({
  name: "int64",
  tag: "int",
  simple: "INTEGER",
  expected: "a bigint within the int64 range",
  accepts: (v): v is bigint => typeof v === "bigint" && v >= INT64_MIN && v <= INT64_MAX,
  toPrimitive: (v) => ({ integer: toLong(v) }),
  fromPrimitive: (p) => (isSet(p, "integer") ? toBigInt(p.integer as number | Long) : undefined),
});

const floatType = scalarType<number>({
  name: "float",
  tag: "float",
  simple: "FLOAT",
  expected: "a number",
  accepts: (v): v is number => typeof v === "number",
  toPrimitive: (v) => ({ floatValue: v }),
  fromPrimitive(p) {
    if (isSet(p, "floatValue")) return p.floatValue as number;
    if (isSet(p, "integer")) return typeof p.integer === "number" ? p.integer : (p.integer as Long).toNumber();
    return undefined;
  },
});

const stringType = scalarType<string>({
  name: "str",
  tag: "str",
  simple: "STRING",
  expected: "a string",
  accepts: (v): v is string => typeof v === "string",
  toPrimitive: (v) => ({ stringValue: v }),
  fromPrimitive: (p) => (isSet(p, "stringValue") ? (p.stringValue as string) : undefined),
});

const booleanType = scalarType<boolean>({
  name: "bool",
  tag: "bool",
  simple: "BOOLEAN",
  expected: "a boolean",
  accepts: (v): v is boolean => typeof v === "boolean",
  toPrimitive: (v) => ({ boolean: v }),
  fromPrimitive: (p) => (isSet(p, "boolean") ? (p.boolean as boolean) : undefined),
});

const datetimeType = scalarType<Date>({
  name: "datetime",
  tag: "datetime",
  simple: "DATETIME",
  expected: "a valid Date",
  accepts: (v): v is Date => v instanceof Date && !Number.isNaN(v.getTime()),
  // A PreciseDate's nanoseconds below the millisecond are written too, so a value read and passed on is unchanged.
  toPrimitive: (v) => ({ datetime: timestampFromEpochNanos(epochNanosOf(v)) }),
  fromPrimitive(p) {
    if (!isSet(p, "datetime")) return undefined;
    const date = new PreciseDate(timestampToEpochNanos(p.datetime as NonNullable<Primitive["datetime"]>));
    if (Number.isNaN(date.getTime())) throw new LiteralTypeError(`datetime ${String((p.datetime as { seconds?: unknown }).seconds)} s since the epoch is beyond the range of a JS Date (±275,760 years)`);
    return date;
  },
});

const durationType = scalarType<number>({
  name: "duration",
  tag: "timedelta",
  simple: "DURATION",
  expected: "a finite number of milliseconds",
  accepts: (v): v is number => typeof v === "number" && Number.isFinite(v),
  // Through the exact decimal, not the double: 0.001 ms stays 1 µs, and a timedelta read and written back is unchanged.
  toPrimitive: (v) => ({ duration: durationFromNanos(millisToNanos(v)) }),
  fromPrimitive: (p) => (isSet(p, "duration") ? nanosToMillis(durationToNanos(p.duration as NonNullable<Primitive["duration"]>)) : undefined),
});

const noneType = defineType<null>({
  name: "none",
  tag: "none",
  literalType: simpleType("NONE"),
  check(value, path, issues) {
    if (value !== null && value !== undefined) issues.push({ path, expected: "null", got: describeValue(value) });
  },
  toLiteral(value) {
    if (value !== null && value !== undefined) throw mismatch("null", value);
    return { scalar: { noneType: {} } };
  },
  fromLiteral(literal) {
    if (!literal.scalar || !isSet(literal.scalar, "noneType")) throw new LiteralTypeError(`expected a none literal, got ${describeLiteral(literal)}`);
    return null;
  },
});

/** INTEGER as a JS number; values beyond ±(2^53-1) are refused, never rounded. */
export const int = (): TypeDescriptor<number> => intType;
/** INTEGER as a bigint: the whole int64 range. */
export const int64 = (): TypeDescriptor<bigint> => int64Type;
/** FLOAT (double). */
export const float = (): TypeDescriptor<number> => floatType;
/** STRING. */
export const string = (): TypeDescriptor<string> => stringType;
/** BOOLEAN. */
export const boolean = (): TypeDescriptor<boolean> => booleanType;
/**
 * DATETIME as a Date. Values read are `PreciseDate`s, which keep the Timestamp's nanoseconds below the
 * millisecond (Python's microseconds), so a value read and written again is unchanged.
 */
export const datetime = (): TypeDescriptor<Date> => datetimeType;
/** DURATION as milliseconds, fractions kept (Python's timedelta: microseconds exact up to ±31 years). */
export const duration = (): TypeDescriptor<number> => durationType;
/** NONE: `null` (undefined is accepted when writing). */
export const none = (): TypeDescriptor<null> => noneType;

export { formatLiteralType };
