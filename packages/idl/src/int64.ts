import Long from "long";

/** How protobufjs represents a 64-bit integer field: a `Long` once decoded, or a number or string when built by hand. */
export type Int64Like = Long | number | string | bigint;

/** A 64-bit integer as a `Long`, exactly: numbers must be safe integers, strings decimal. */
export function toLong(value: Int64Like, unsigned = false): Long {
  if (Long.isLong(value)) return value;
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) {
      throw new RangeError(`${value} is not a safe integer; pass a bigint or a decimal string to keep its precision`);
    }
    return Long.fromNumber(value, unsigned);
  }
  const text = typeof value === "bigint" ? value.toString() : value.trim();
  if (!/^-?\d+$/.test(text)) throw new RangeError(`"${value}" is not a decimal integer`);
  const long = Long.fromString(text, unsigned);
  if (long.toString() !== text.replace(/^(-?)0+(?=\d)/, "$1")) {
    throw new RangeError(`${text} does not fit in a ${unsigned ? "u" : ""}int64`);
  }
  return long;
}

/** A 64-bit integer field as a bigint, never losing precision. */
export function toBigInt(value: Int64Like): bigint {
  if (typeof value === "bigint") return value;
  if (typeof value === "number") return BigInt(value);
  if (typeof value === "string") return BigInt(value);
  return BigInt(value.toString());
}

/** A 64-bit integer field as a number; throws instead of rounding when it is beyond 2^53. */
export function toSafeNumber(value: Int64Like): number {
  const big = toBigInt(value);
  if (big > BigInt(Number.MAX_SAFE_INTEGER) || big < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError(`${big} cannot be a JavaScript number without losing precision`);
  }
  return Number(big);
}
