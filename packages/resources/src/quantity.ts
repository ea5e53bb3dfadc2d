import { InvalidSettingsError, show } from "./problems.js";

/** Suffixes of a Kubernetes quantity: decimal SI (`m` = milli, `k`, `M`, …) and binary SI (`Ki`, `Mi`, …). */
export type QuantitySuffix = "" | "m" | "k" | "M" | "G" | "T" | "P" | "E" | "Ki" | "Mi" | "Gi" | "Ti" | "Pi" | "Ei";

/**
 * A Kubernetes quantity string such as `"500m"`, `"1.5Gi"`, `"2"` or `"1e3"`. Typed as a template
 * literal so that the common slips (`"1GB"`, `"512 Mi"`) fail to compile; a string only known at run
 * time goes through {@link quantity}, which checks it.
 */
export type QuantityString = `${number}${QuantitySuffix}`;

/** A resource amount: a quantity string, or a plain number (CPU cores, bytes, GPU count). */
export type Quantity = number | QuantityString;

/** An exact, non-rounded value: `numerator / denominator` in the base unit (cores, bytes, devices). */
export interface ParsedQuantity {
  readonly text: string;
  readonly numerator: bigint;
  readonly denominator: bigint;
}

// <signedNumber><suffix>, suffix = binary SI | decimal SI | e/E<signedNumber>
// (k8s.io/apimachinery/pkg/api/resource/quantity.go).
const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E)|[eE]([+-]?\d+))?$/;

const BINARY_EXPONENT: Readonly<Record<string, bigint>> = { Ki: 10n, Mi: 20n, Gi: 30n, Ti: 40n, Pi: 50n, Ei: 60n };
const DECIMAL_EXPONENT: Readonly<Record<string, number>> = { m: -3, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

// Kubernetes stores quantities as int64 scaled values and caps anything larger; refusing is clearer.
const MAX_QUANTITY = 2n ** 63n - 1n;
// Exponents outside this range cannot be represented anyway and would only make the bigints huge.
const MAX_EXPONENT = 30;

/** The text Flyte puts on the wire for a quantity: strings as given, numbers in JavaScript notation. */
export function quantityText(value: Quantity): string {
  return typeof value === "number" ? String(value) : value;
}

/**
 * Parses a quantity exactly, or returns why it is not one. Negative values parse (the grammar allows
 * them); callers that need amounts reject them.
 */
export function parseQuantity(value: unknown): ParsedQuantity | { readonly error: string } {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return { error: "is not a finite number" };
  } else if (typeof value !== "string") {
    return { error: "must be a Kubernetes quantity string such as \"500m\" or \"1Gi\", or a number" };
  }
  const text = typeof value === "number" ? String(value) : value;
  const match = QUANTITY.exec(text);
  if (!match) {
    return {
      error:
        "is not a Kubernetes quantity: expected a number with an optional suffix " +
        "(m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei or an exponent such as e3), e.g. \"500m\", \"1.5Gi\", \"2\"",
    };
  }
  const [, sign = "", digits = "", suffix, exponentText] = match;
  const [whole = "", fraction = ""] = digits.split(".");
  let numerator = BigInt((whole || "0") + fraction);
  let denominator = 10n ** BigInt(fraction.length);
  let exponent = 0;
  if (exponentText !== undefined) exponent = Number(exponentText);
  else if (suffix !== undefined && suffix in DECIMAL_EXPONENT) exponent = DECIMAL_EXPONENT[suffix] ?? 0;
  if (Math.abs(exponent) > MAX_EXPONENT) return { error: `has an exponent out of range (at most ±${MAX_EXPONENT})` };
  if (exponent >= 0) numerator *= 10n ** BigInt(exponent);
  else denominator *= 10n ** BigInt(-exponent);
  if (suffix !== undefined && suffix in BINARY_EXPONENT) numerator *= 2n ** (BINARY_EXPONENT[suffix] ?? 0n);
  if (numerator / denominator > MAX_QUANTITY) return { error: "is larger than Kubernetes can represent (2^63-1)" };
  if (sign === "-") numerator = -numerator;
  return { text, numerator, denominator };
}

export function isParsedQuantity(value: ParsedQuantity | { readonly error: string }): value is ParsedQuantity {
  return !("error" in value);
}

/** -1, 0 or 1 as `a` is less than, equal to or greater than `b` ("500m" < "1", "1Gi" = "1024Mi"). */
export function compareQuantities(a: ParsedQuantity, b: ParsedQuantity): -1 | 0 | 1 {
  const left = a.numerator * b.denominator;
  const right = b.numerator * a.denominator;
  return left < right ? -1 : left > right ? 1 : 0;
}

/** True when the quantity is a whole number of base units (GPUs cannot be split). */
export function isWholeQuantity(q: ParsedQuantity): boolean {
  return q.numerator % q.denominator === 0n;
}

/**
 * Checks a quantity known only at run time (from configuration, say) and types it for the settings.
 * Throws {@link InvalidSettingsError} naming the value when it is not a non-negative quantity.
 */
export function quantity(value: string | number): Quantity {
  const parsed = parseQuantity(value);
  if (!isParsedQuantity(parsed)) {
    throw new InvalidSettingsError("a resource quantity", [{ setting: "quantity", value, message: `${show(value)} ${parsed.error}` }]);
  }
  if (parsed.numerator < 0n) {
    throw new InvalidSettingsError("a resource quantity", [{ setting: "quantity", value, message: `${show(value)} is negative` }]);
  }
  return value as Quantity;
}
