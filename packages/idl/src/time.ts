import { google } from "./generated/flyteidl.js";
import { toBigInt, toLong } from "./int64.js";

const NANOS_PER_SECOND = 1_000_000_000n;

function split(totalNanos: bigint): { seconds: bigint; nanos: number } {
  // Duration and Timestamp both require seconds and nanos to share a sign (Timestamp nanos >= 0).
  const seconds = totalNanos / NANOS_PER_SECOND;
  const nanos = Number(totalNanos % NANOS_PER_SECOND);
  return { seconds, nanos };
}

/** `google.protobuf.Duration` from milliseconds (fractions kept to the nanosecond). */
export function durationFromMillis(ms: number): google.protobuf.Duration {
  if (!Number.isFinite(ms)) throw new RangeError(`duration must be finite, got ${ms}`);
  // ms * 1e6 would pass 2^53 for durations over ~104 days; convert whole and fractional parts apart.
  const whole = Math.trunc(ms);
  const { seconds, nanos } = split(BigInt(whole) * 1_000_000n + BigInt(Math.round((ms - whole) * 1e6)));
  return google.protobuf.Duration.create({ seconds: toLong(seconds), nanos });
}

/** `google.protobuf.Duration` from seconds, as flytekit turns `timeout=<int>` into a Duration. */
export function durationFromSeconds(seconds: number): google.protobuf.Duration {
  return durationFromMillis(seconds * 1000);
}

/** Milliseconds in a Duration (nanoseconds below a millisecond are kept as a fraction). */
export function durationToMillis(d: google.protobuf.Duration.$Properties): number {
  return Number(toBigInt(d.seconds ?? 0)) * 1000 + (d.nanos ?? 0) / 1e6;
}

/** `google.protobuf.Timestamp` for a Date (millisecond precision), or from epoch nanoseconds. */
export function timestampFromDate(date: Date): google.protobuf.Timestamp {
  const ms = date.getTime();
  if (Number.isNaN(ms)) throw new RangeError("timestamp from an invalid Date");
  return timestampFromEpochNanos(BigInt(ms) * 1_000_000n);
}

/** `google.protobuf.Timestamp` from nanoseconds since the epoch, exactly (also before 1970). */
export function timestampFromEpochNanos(epochNanos: bigint): google.protobuf.Timestamp {
  let { seconds, nanos } = split(epochNanos);
  if (nanos < 0) {
    seconds -= 1n;
    nanos += 1_000_000_000;
  }
  return google.protobuf.Timestamp.create({ seconds: toLong(seconds), nanos });
}

/** Nanoseconds since the epoch, exactly. */
export function timestampToEpochNanos(ts: google.protobuf.Timestamp.$Properties): bigint {
  return toBigInt(ts.seconds ?? 0) * NANOS_PER_SECOND + BigInt(ts.nanos ?? 0);
}

/** A Date for a Timestamp; sub-millisecond nanoseconds are dropped (a Date cannot hold them). */
export function timestampToDate(ts: google.protobuf.Timestamp.$Properties): Date {
  const nanos = timestampToEpochNanos(ts);
  const ms = nanos / 1_000_000n - (nanos % 1_000_000n < 0n ? 1n : 0n);
  return new Date(Number(ms));
}
