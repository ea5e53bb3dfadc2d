const NANOS_PER_MILLI = 1_000_000n;

/** Floor division for bigints (BigInt `/` truncates toward zero). */
function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && (a < 0n) !== (b < 0n) ? q - 1n : q;
}

/**
 * A `Date` that also keeps the nanoseconds below its millisecond, so that a Flyte DATETIME (a protobuf
 * Timestamp, nanosecond precision; Python's datetime has microseconds) read by `t.datetime()` and
 * written again comes out unchanged. It is a real `Date` — every Date API, `instanceof Date`,
 * comparison and arithmetic work as before, at millisecond precision — and plain Dates are accepted
 * wherever a PreciseDate can come. Why a Date subclass: docs/decisions/0020-precise-datetimes.md.
 *
 * Changing it through a Date setter (`setTime`, `setUTCHours`, …) drops the extra nanoseconds, since
 * they belonged to the old time. `toISOString()`/`JSON.stringify` keep Date's millisecond format;
 * `toPreciseISOString()` writes all nine digits.
 */
export class PreciseDate extends Date {
  #nanos: number;

  /** The instant `epochNanos` nanoseconds after 1970-01-01T00:00:00Z. */
  constructor(epochNanos: bigint) {
    const ms = floorDiv(epochNanos, NANOS_PER_MILLI);
    super(Number(ms));
    this.#nanos = Number(epochNanos - ms * NANOS_PER_MILLI);
  }

  /** A PreciseDate for a Date (no extra nanoseconds), or the same instant when it already is one. */
  static from(date: Date): PreciseDate {
    return new PreciseDate(epochNanosOf(date));
  }

  /** Nanoseconds past the millisecond `getTime()` gives: 0–999,999. */
  get subMillisecondNanos(): number {
    return this.#nanos;
  }

  /** Nanoseconds since the epoch, exactly. */
  get epochNanos(): bigint {
    return BigInt(this.getTime()) * NANOS_PER_MILLI + BigInt(this.#nanos);
  }

  static {
    // Every Date setter moves the instant; the sub-millisecond part of the old instant must not stay behind.
    const proto = Date.prototype as unknown as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(Date.prototype)) {
      const setter = proto[name];
      if (!name.startsWith("set") || typeof setter !== "function") continue;
      Object.defineProperty(PreciseDate.prototype, name, {
        configurable: true,
        writable: true,
        value(this: PreciseDate, ...args: unknown[]): unknown {
          this.#nanos = 0;
          return (setter as (...a: unknown[]) => unknown).apply(this, args);
        },
      });
    }
  }

  /** ISO 8601 in UTC with nine fractional digits: `2024-05-01T12:00:00.123456789Z`. */
  toPreciseISOString(): string {
    const iso = super.toISOString();
    return `${iso.slice(0, -1)}${String(this.#nanos).padStart(6, "0")}Z`;
  }
}

/** Nanoseconds since the epoch of a Date, with a PreciseDate's extra nanoseconds. */
export function epochNanosOf(date: Date): bigint {
  return date instanceof PreciseDate ? date.epochNanos : BigInt(date.getTime()) * NANOS_PER_MILLI;
}
