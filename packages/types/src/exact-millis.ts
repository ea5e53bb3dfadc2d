import { google, toBigInt, toLong } from "@flytekit-ts/idl";

const NANOS_PER_SECOND = 1_000_000_000n;

/**
 * A number of milliseconds as exact nanoseconds, read from the number's shortest decimal form (what
 * `String(ms)` prints), rounded half away from zero at the nanosecond. Reading the decimal, not the
 * binary double, is what keeps `1.001` ms at 1,001,000 ns (its double is 1.00099999…): any duration
 * written with at most 15 significant digits — microseconds up to ±31 years — comes back exactly.
 */
export function millisToNanos(ms: number): bigint {
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(ms));
  if (!match) throw new RangeError(`duration must be a finite number of milliseconds, got ${ms}`);
  const [, sign, whole = "", fraction = "", exponent = "0"] = match;
  // value = digits × 10^(exp − fraction.length) ms = digits × 10^(exp − fraction.length + 6) ns
  const digits = BigInt(whole + fraction);
  const shift = Number(exponent) - fraction.length + 6;
  let nanos: bigint;
  if (shift >= 0) nanos = digits * 10n ** BigInt(shift);
  else {
    const divisor = 10n ** BigInt(-shift);
    nanos = digits / divisor;
    if ((digits % divisor) * 2n >= divisor) nanos += 1n;
  }
  return sign === "-" ? -nanos : nanos;
}

/** Exact nanoseconds as the nearest number of milliseconds (correctly rounded, via the decimal). */
export function nanosToMillis(nanos: bigint): number {
  const negative = nanos < 0n;
  const abs = negative ? -nanos : nanos;
  const decimal = `${abs / 1_000_000n}.${String(abs % 1_000_000n).padStart(6, "0")}`;
  return negative ? -Number(decimal) : Number(decimal);
}

/** `google.protobuf.Duration` for exact nanoseconds (seconds and nanos share a sign, as the proto requires). */
export function durationFromNanos(total: bigint): google.protobuf.Duration {
  return google.protobuf.Duration.create({ seconds: toLong(total / NANOS_PER_SECOND), nanos: Number(total % NANOS_PER_SECOND) });
}

/** A Duration's exact nanoseconds. */
export function durationToNanos(d: google.protobuf.Duration.$Properties): bigint {
  return toBigInt(d.seconds ?? 0) * NANOS_PER_SECOND + BigInt(d.nanos ?? 0);
}
