import { describe, expect, it } from "vitest";
import { flyteidl } from "@flytekit-ts/idl";
import { PreciseDate, epochNanosOf, fromLiteral, t, toLiteral, type Literal } from "../src/index.js";

const wire = (literal: Literal): Literal =>
  flyteidl.core.Literal.decode(flyteidl.core.Literal.encode(flyteidl.core.Literal.fromObject(literal as never)).finish());
const timestamp = (seconds: number, nanos: number): Literal => ({ scalar: { primitive: { datetime: { seconds, nanos } } } });
const duration = (seconds: number, nanos: number): Literal => ({ scalar: { primitive: { duration: { seconds, nanos } } } });

describe("t.datetime() keeps the Timestamp's full precision", () => {
  it("reads Python's microseconds and writes them back unchanged", async () => {
    // 2024-05-01T12:00:00.123456Z, as flytekit writes datetime(2024, 5, 1, 12, 0, 0, 123456, tzinfo=utc).
    const read = await fromLiteral(t.datetime(), wire(timestamp(1714564800, 123456000)));
    expect(read).toBeInstanceOf(Date);
    expect(read).toBeInstanceOf(PreciseDate);
    expect(read.toISOString()).toBe("2024-05-01T12:00:00.123Z");
    expect((read as PreciseDate).toPreciseISOString()).toBe("2024-05-01T12:00:00.123456000Z");
    const again = wire(await toLiteral(t.datetime(), read));
    expect(again.scalar?.primitive?.datetime).toMatchObject({ nanos: 123456000 });
    expect(Number(again.scalar?.primitive?.datetime?.seconds)).toBe(1714564800);
  });

  it("keeps nanoseconds before 1970 and at the ends of Python's range", async () => {
    for (const [seconds, nanos] of [[-1, 999_999_999], [-62135596800, 1_000], [253402300799, 999_999_000], [0, 1]] as const) {
      const read = await fromLiteral(t.datetime(), wire(timestamp(seconds, nanos)));
      expect(epochNanosOf(read)).toBe(BigInt(seconds) * 1_000_000_000n + BigInt(nanos));
      const back = wire(await toLiteral(t.datetime(), read)).scalar?.primitive?.datetime;
      expect([Number(back?.seconds ?? 0), back?.nanos ?? 0]).toEqual([seconds, nanos]);
    }
  });

  it("still takes plain Dates, at millisecond precision", async () => {
    const literal = await toLiteral(t.datetime(), new Date("2024-05-01T12:00:00.123Z"));
    expect(literal.scalar?.primitive?.datetime?.nanos).toBe(123_000_000);
  });

  it("drops the extra nanoseconds when a setter moves the instant", () => {
    const d = new PreciseDate(1_714_564_800_123_456_789n);
    expect(d.subMillisecondNanos).toBe(456_789);
    d.setUTCSeconds(5);
    expect(d.subMillisecondNanos).toBe(0);
    expect(epochNanosOf(d)).toBe(BigInt(d.getTime()) * 1_000_000n);
  });

  it("refuses a Timestamp beyond a Date's range with a clear message", async () => {
    await expect(fromLiteral(t.datetime(), timestamp(9e12, 0))).rejects.toThrow(/beyond the range of a JS Date/);
  });
});

describe("t.duration() keeps microseconds", () => {
  it("writes sub-millisecond and negative milliseconds exactly", async () => {
    const cases: [number, number, number][] = [[0.001, 0, 1_000], [-0.001, 0, -1_000], [1.001, 0, 1_001_000], [-1500.5, -1, -500_500_000], [86_400_000_000.001, 86_400_000, 1_000]];
    for (const [ms, seconds, nanos] of cases) {
      const d = wire(await toLiteral(t.duration(), ms)).scalar?.primitive?.duration;
      expect([Number(d?.seconds ?? 0), d?.nanos ?? 0], String(ms)).toEqual([seconds, nanos]);
    }
  });

  it("reads a timedelta and writes it back unchanged", async () => {
    // timedelta(days=1000, microseconds=1) and timedelta(microseconds=-123457)
    for (const [seconds, nanos] of [[86_400_000, 1_000], [0, -123_457_000], [-3, -999_999_000]] as const) {
      const ms = await fromLiteral(t.duration(), wire(duration(seconds, nanos)));
      const back = wire(await toLiteral(t.duration(), ms)).scalar?.primitive?.duration;
      expect([Number(back?.seconds ?? 0), back?.nanos ?? 0]).toEqual([seconds, nanos]);
    }
  });
});
