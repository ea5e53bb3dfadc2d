/**
 * The TypeScript twin of a described Python type (`PyType`), and values moved between the two sides:
 * a case is a `PyType` and a value in typed JSON (see driver.py), which is all a vector file needs to
 * replay it; the TypeScript descriptor and value are derived from those.
 */
import { z } from "zod";
import { PreciseDate, describeValue, epochNanosOf, issuesOf, t, type TypeDescriptor } from "@flytekit-ts/types";
import type { PyJson, PyType } from "../src/index.js";

const twins = new Map<string, TypeDescriptor<unknown>>();

/** The flytekit-ts descriptor a TypeScript author declares for the Python type (memoised). */
export function tsTwin(type: PyType): TypeDescriptor<unknown> {
  const key = JSON.stringify(type);
  let twin = twins.get(key);
  if (!twin) twins.set(key, (twin = makeTwin(type)));
  return twin;
}

function makeTwin(type: PyType): TypeDescriptor<unknown> {
  switch (type.kind) {
    case "int":
      return t.int64();
    case "float":
      return t.float();
    case "str":
      return t.string();
    case "bool":
      return t.boolean();
    case "datetime":
      return t.datetime();
    case "duration":
      return t.duration();
    case "none":
      return t.none();
    case "json":
      return t.json();
    case "file":
      return t.file();
    case "directory":
      return t.directory();
    case "structured_dataset":
      return t.structuredDataset();
    case "list":
      return t.list(tsTwin(type.of));
    case "dict":
      return t.map(tsTwin(type.of));
    case "optional":
      return t.optional(tsTwin(type.of));
    case "union": {
      const [first, ...rest] = type.of.map(tsTwin);
      return t.union(first as TypeDescriptor<unknown>, ...rest);
    }
    case "enum":
      return t.enum(type.values as [string, ...string[]]);
    case "dataclass":
      return t.struct(zodOf(type) as z.ZodType<unknown>, { title: type.name });
  }
}

/** The zod schema of a dataclass field's type, with defaults as a TypeScript author writes them. */
function zodOf(type: PyType): z.ZodType {
  switch (type.kind) {
    case "int":
      return z.int();
    case "float":
      return z.number();
    case "str":
      return z.string();
    case "bool":
      return z.boolean();
    case "list":
      return z.array(zodOf(type.of));
    case "dict":
      return z.record(z.string(), zodOf(type.of));
    case "optional":
      return zodOf(type.of).nullable();
    case "enum":
      return z.enum(type.values as [string, ...string[]]);
    case "dataclass":
      return z.object(
        Object.fromEntries(
          type.fields.map((f) => {
            const schema = zodOf(f.type);
            return [f.name, f.default === undefined ? schema : schema.default(toTs(f.type, f.default, true) as never)];
          }),
        ),
      );
    default:
      throw new Error(`${type.kind} cannot be a dataclass field in these tests`);
  }
}

// --- values --------------------------------------------------------------------------------------

const ISO = /^(-?\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})?$/;

/** Epoch nanoseconds of an ISO 8601 datetime with an offset (Python's `isoformat()`); no offset means UTC. */
export function isoToEpochNanos(iso: string): bigint {
  const m = ISO.exec(iso);
  if (!m) throw new Error(`not an ISO datetime: ${iso}`);
  const [, y, mo, d, h, mi, s, frac = "", offset = "Z"] = m;
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not turn years 0–99 into 1900–1999.
  date.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
  date.setUTCHours(Number(h), Number(mi), Number(s), 0);
  let nanos = BigInt(date.getTime()) * 1_000_000n + BigInt(frac.padEnd(9, "0"));
  if (offset !== "Z") {
    const sign = offset.startsWith("-") ? -1n : 1n;
    const minutes = BigInt(Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
    nanos -= sign * minutes * 60_000_000_000n;
  }
  return nanos;
}

/** ISO 8601 in UTC with microseconds, as Python's `datetime.fromisoformat` reads it. */
export function epochNanosToIso(nanos: bigint): string {
  const precise = new PreciseDate(nanos);
  const iso = precise.toPreciseISOString(); // …T12:00:00.123456789Z
  return `${iso.slice(0, -4)}+00:00`;
}

export const floatToJson = (x: number): string =>
  Number.isNaN(x) ? "NaN" : x === Infinity ? "Infinity" : x === -Infinity ? "-Infinity" : Object.is(x, -0) ? "-0.0" : String(x);

const floatFromJson = (s: PyJson): number => Number(s);

/** Microseconds (typed JSON of a timedelta) as milliseconds, through the exact decimal. */
function microsToMillis(micros: bigint): number {
  const negative = micros < 0n;
  const abs = negative ? -micros : micros;
  const ms = Number(`${abs / 1000n}.${String(abs % 1000n).padStart(3, "0")}`);
  return negative ? -ms : ms;
}

/** Milliseconds as whole microseconds, from the shortest decimal of the number. */
function millisToMicros(ms: number): bigint {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(ms));
  if (!m) throw new Error(`not a finite duration: ${ms}`);
  const [, sign, whole = "", fraction = "", exponent = "0"] = m;
  const shift = Number(exponent) - fraction.length + 3;
  const digits = BigInt(whole + fraction);
  const micros = shift >= 0 ? digits * 10n ** BigInt(shift) : digits / 10n ** BigInt(-shift);
  return sign === "-" ? -micros : micros;
}

/** The TypeScript value for a typed-JSON Python value. Inside a dataclass, ints are numbers (zod's `z.int()`). */
export function toTs(type: PyType, v: PyJson, inStruct = false): unknown {
  switch (type.kind) {
    case "int":
      return inStruct ? Number(v) : BigInt(v as string);
    case "float":
      return floatFromJson(v);
    case "str":
    case "bool":
    case "json":
    case "enum":
      return v;
    case "none":
      return null;
    case "datetime":
      return new PreciseDate(isoToEpochNanos(v as string));
    case "duration":
      return microsToMillis(BigInt(v as string));
    case "list":
      return (v as PyJson[]).map((x) => toTs(type.of, x, inStruct));
    case "dict":
      return Object.fromEntries(Object.entries(v as Record<string, PyJson>).map(([k, x]) => [k, toTs(type.of, x, inStruct)]));
    case "optional":
      return v === null ? null : toTs(type.of, v, inStruct);
    case "union": {
      const { variant, value } = v as { variant: number; value: PyJson };
      return toTs(type.of[variant] as PyType, value, inStruct);
    }
    case "dataclass": {
      const o = v as Record<string, PyJson>;
      return Object.fromEntries(type.fields.map((f) => [f.name, toTs(f.type, o[f.name] as PyJson, true)]));
    }
    case "file":
    case "directory":
      return { path: v };
    case "structured_dataset":
      return v;
  }
}

/**
 * Typed JSON for a TypeScript value, in a canonical form (floats as JS prints them, datetimes as
 * epoch nanoseconds, durations as microseconds) so that two sides' answers compare with `toEqual`.
 */
export function tsToCanonical(type: PyType, x: unknown, inStruct = false): PyJson {
  switch (type.kind) {
    case "int":
      return String(x);
    case "float":
      return floatToJson(x as number);
    case "str":
    case "bool":
    case "enum":
      return x as PyJson;
    case "json":
      return sortedJson(x as PyJson);
    case "none":
      return null;
    case "datetime":
      return String(epochNanosOf(x as Date));
    case "duration":
      return String(millisToMicros(x as number));
    case "list":
      if (!Array.isArray(x)) throw new Error(`TS gave ${describeValue(x)} for a list`);
      return x.map((e) => tsToCanonical(type.of, e, inStruct));
    case "dict":
      if (!isRecord(x)) throw new Error(`TS gave ${describeValue(x)} for a dict`);
      return sortedObject(Object.entries(x).map(([k, e]) => [k, tsToCanonical(type.of, e, inStruct)]));
    case "optional":
      return x === null ? null : tsToCanonical(type.of, x, inStruct);
    case "union": {
      const variant = type.of.findIndex((d) => issuesOf(tsTwin(d), x).length === 0);
      if (variant < 0) throw new Error(`value fits no variant of the union: ${String(x)}`);
      return { variant, value: tsToCanonical(type.of[variant] as PyType, x, inStruct) };
    }
    case "dataclass": {
      if (!isRecord(x)) throw new Error(`TS gave ${describeValue(x)} for dataclass ${type.name}`);
      return Object.fromEntries(type.fields.map((f) => [f.name, tsToCanonical(f.type, x[f.name], true)]));
    }
    case "file":
    case "directory":
      return (x as { path: string }).path;
    case "structured_dataset":
      return x as PyJson;
  }
}

/** A plain object, as TS reads a dict or a dataclass (a `Date` or an array is not one). */
const isRecord = (x: unknown): x is Record<string, unknown> =>
  typeof x === "object" && x !== null && [Object.prototype, null].includes(Object.getPrototypeOf(x));

/** Map entries in key order: a Flyte map (a protobuf map) keeps no order, nor does msgpack's reader promise one. */
const sortedObject = (entries: [string, PyJson][]): PyJson =>
  Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

function sortedJson(v: PyJson): PyJson {
  if (Array.isArray(v)) return v.map(sortedJson);
  if (v !== null && typeof v === "object") return sortedObject(Object.entries(v).map(([k, e]) => [k, sortedJson(e)]));
  return v;
}

/** The same canonical form for a typed-JSON value as Python printed it. */
export function pyToCanonical(type: PyType, v: PyJson): PyJson {
  switch (type.kind) {
    case "float":
      return floatToJson(floatFromJson(v));
    case "datetime":
      return String(isoToEpochNanos(v as string));
    case "list":
      return (v as PyJson[]).map((e) => pyToCanonical(type.of, e));
    case "dict":
      return sortedObject(Object.entries(v as Record<string, PyJson>).map(([k, e]) => [k, pyToCanonical(type.of, e)]));
    case "json":
      return sortedJson(v);
    case "optional":
      return v === null ? null : pyToCanonical(type.of, v);
    case "union": {
      const { variant, value } = v as { variant: number; value: PyJson };
      return { variant, value: pyToCanonical(type.of[variant] as PyType, value) };
    }
    case "dataclass": {
      const o = v as Record<string, PyJson>;
      return Object.fromEntries(type.fields.map((f) => [f.name, pyToCanonical(f.type, o[f.name] as PyJson)]));
    }
    default:
      return v;
  }
}
