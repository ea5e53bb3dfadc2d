/**
 * Random flytekit-expressible Python types (as `PyType` descriptions) and random values of them in
 * typed JSON: int64 edges, float specials, unicode, datetimes from year 1 to 9999 with microseconds
 * and UTC offsets, negative and sub-millisecond durations, dataclasses with defaults, enums inside
 * dataclasses, optionals, unions, and deep nesting.
 */
import fc from "fast-check";
import type { PyField, PyJson, PyType } from "../src/index.js";
import { epochNanosToIso, floatToJson } from "./twins.js";

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const int64Edges = [INT64_MIN, INT64_MIN + 1n, -(2n ** 53n) - 1n, -(2n ** 31n), -1n, 0n, 1n, 2n ** 31n - 1n, 2n ** 53n + 1n, INT64_MAX - 1n, INT64_MAX];

/** No lone surrogates: UTF-8 (protobuf, msgpack, Python's str) cannot carry them. */
const wellFormed = (s: string): boolean => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
const text = (maxLength: number) =>
  fc.oneof(
    fc.string({ unit: "binary", maxLength }).filter(wellFormed),
    fc.string({ unit: "grapheme", maxLength }),
    fc.constantFrom("", "é", "日本語", "🦀", "a\u0000b", "\u202e", "e\u0301"),
  );
const identifier = fc.stringMatching(/^[a-z][a-z0-9]{0,5}$/).map((s) => `f_${s}`);
const className = fc.constantFrom("Shape", "Config", "Inner", "Point", "Row");
const dictKey = text(6).filter((k) => k !== "__proto__");

// --- types ---------------------------------------------------------------------------------------

const enumType: fc.Arbitrary<PyType> = fc
  .uniqueArray(fc.oneof(fc.stringMatching(/^[a-z]{1,6}$/), fc.constantFrom("Ä", "red blue", "日本")), { minLength: 1, maxLength: 4 })
  .map((values) => ({ kind: "enum", name: "Color", values }));

const scalarKinds = ["int", "float", "str", "bool", "datetime", "duration"] as const;
const refKinds = ["file", "directory", "structured_dataset"] as const;

/** What a JavaScript value of the type looks like; a union's variants must all differ in this. */
function jsShape(type: PyType): string {
  switch (type.kind) {
    case "int":
      return "bigint";
    case "float":
    case "duration":
      return "number";
    case "str":
    case "enum":
      return "string";
    case "bool":
      return "boolean";
    case "datetime":
      return "date";
    case "list":
      return "array";
    case "none":
    case "optional":
    case "union":
      return "nullish-or-union";
    default:
      return "object";
  }
}

/** A dataclass field's type: what mashumaro and a zod schema both express. */
function fieldType(depth: number): fc.Arbitrary<PyType> {
  const leaf: fc.Arbitrary<PyType> = fc.oneof(fc.constantFrom<PyType>({ kind: "int" }, { kind: "float" }, { kind: "str" }, { kind: "bool" }), enumType);
  if (depth <= 0) return leaf;
  const inner = fieldType(depth - 1);
  return fc.oneof(
    { depthSize: "small" },
    leaf,
    inner.map((of): PyType => ({ kind: "list", of })),
    inner.map((of): PyType => ({ kind: "dict", of })),
    inner.filter((of) => of.kind !== "optional").map((of): PyType => ({ kind: "optional", of })),
    dataclassType(depth - 1),
  );
}

export function dataclassType(depth: number): fc.Arbitrary<PyType> {
  const field = (name: string) =>
    fieldType(depth).chain((type) =>
      fc.option(valueOf(type, true), { freq: 3 }).map((d): PyField => (d === null ? { name, type } : { name, type, default: d })),
    );
  return fc
    .tuple(className, fc.uniqueArray(identifier, { minLength: 1, maxLength: 5 }))
    .chain(([name, names]) => fc.tuple(...names.map(field)).map((fields) => ({ name, fields })))
    .map(({ name, fields }): PyType => ({
      kind: "dataclass",
      name,
      // Python needs the fields without defaults first; the TypeScript twin declares them in the same order.
      fields: [...fields.filter((f) => f.default === undefined), ...fields.filter((f) => f.default !== undefined)],
    }));
}

/**
 * flytekit's FlyteFile and FlyteDirectory transformers take a plain `str` (a path) too, so flytekit itself
 * refuses to write a `str` into `Union[str, FlyteFile]` or `Union[str, FlyteDirectory]` ("Ambiguous choice
 * of variant for union type", seen with seed 409649142): such a union cannot carry a string from Python.
 */
const ambiguousInPython = (of: readonly PyType[]): boolean =>
  of.some((v) => v.kind === "str") && of.some((v) => v.kind === "file" || v.kind === "directory");

const unionType = (variant: fc.Arbitrary<PyType>): fc.Arbitrary<PyType> =>
  fc
    .uniqueArray(variant.filter((v) => jsShape(v) !== "nullish-or-union"), { minLength: 2, maxLength: 3, selector: jsShape })
    .filter((of) => !ambiguousInPython(of))
    .map((of): PyType => ({ kind: "union", of }));

/** Any flytekit-expressible type, nested up to `depth` containers. */
export function pyType(depth: number): fc.Arbitrary<PyType> {
  const leaf: fc.Arbitrary<PyType> = fc.oneof(
    fc.constantFrom<PyType>(...scalarKinds.map((kind) => ({ kind })), ...refKinds.map((kind) => ({ kind })), { kind: "none" }, { kind: "json" }),
    enumType,
    dataclassType(1),
  );
  if (depth <= 0) return leaf;
  const inner = pyType(depth - 1);
  return fc.oneof(
    { depthSize: "small" },
    leaf,
    inner.map((of): PyType => ({ kind: "list", of })),
    inner.map((of): PyType => ({ kind: "dict", of })),
    inner.filter((of) => !["optional", "none", "union"].includes(of.kind)).map((of): PyType => ({ kind: "optional", of })),
    unionType(inner),
    dataclassType(Math.min(depth, 2)),
  );
}

/** Deep nesting: a chain of `depth` lists, dicts and optionals around a leaf. */
export const deepType: fc.Arbitrary<PyType> = fc
  .tuple(fc.array(fc.constantFrom("list", "dict", "optional"), { minLength: 6, maxLength: 12 }), fc.constantFrom<PyType>({ kind: "int" }, { kind: "datetime" }, { kind: "str" }))
  .map(([wrappers, leaf]) =>
    wrappers.reduce<PyType>((of, kind) => (kind === "optional" && of.kind === "optional" ? { kind: "list", of } : ({ kind, of } as PyType)), leaf),
  );

// --- values --------------------------------------------------------------------------------------

// 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999999Z, in microseconds since the epoch.
const MIN_MICROS = -62_135_596_800_000_000n;
const MAX_MICROS = 253_402_300_799_999_999n;
const DAY_MICROS = 86_400_000_000n;

/** ISO 8601 local time with an offset, as Python's `isoformat()` writes an aware datetime. */
function isoWithOffset(utcMicros: bigint, offsetMinutes: number): string {
  const local = epochNanosToIso((utcMicros + BigInt(offsetMinutes) * 60_000_000n) * 1000n).slice(0, -6); // drop "+00:00"
  const sign = offsetMinutes < 0 ? "-" : "+";
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

const datetimeValue: fc.Arbitrary<PyJson> = fc.oneof(
  // A day's margin at both ends keeps every offset's local time within years 1–9999, as Python requires.
  fc
    .tuple(fc.bigInt({ min: MIN_MICROS + DAY_MICROS, max: MAX_MICROS - DAY_MICROS }), fc.integer({ min: -14 * 60, max: 14 * 60 }))
    .map(([micros, offset]) => isoWithOffset(micros, offset)),
  fc.bigInt({ min: -10_000_000n, max: 10_000_000n }).map((micros) => isoWithOffset(micros, 0)),
  fc.constantFrom(MIN_MICROS, MAX_MICROS, MIN_MICROS + 1n, MAX_MICROS - 1n, -1n, 0n, 1n).map((micros) => isoWithOffset(micros, 0)),
);

// |d| < 10^15 µs (≈31 years): the range where a duration in milliseconds keeps every microsecond.
const durationValue: fc.Arbitrary<PyJson> = fc
  .oneof(fc.bigInt({ min: -(10n ** 15n) + 1n, max: 10n ** 15n - 1n }), fc.bigInt({ min: -2_000n, max: 2_000n }), fc.constantFrom(-1n, 0n, 1n, -999n, 999n, -1_001n))
  .map(String);

const floatValue = (inStruct: boolean): fc.Arbitrary<PyJson> =>
  fc
    .oneof(
      fc.double({ noNaN: inStruct, noDefaultInfinity: inStruct }),
      fc.constantFrom(...(inStruct ? [] : [NaN, Infinity, -Infinity]), -0, 0, 5e-324, -5e-324, Number.MAX_VALUE, -Number.MIN_VALUE, 0.1, 1e21, 2 ** 53 + 2),
    )
    .map(floatToJson);

const jsonValue: fc.Arbitrary<PyJson> = fc
  .dictionary(dictKey, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 })
  // JSON itself: -0 and the like become what JSON can carry. An integral number beyond ±(2^53−1)
  // would reach Python as an int and come back as a bigint, which t.json() values do not promise.
  .map((v) => JSON.parse(JSON.stringify(v), (_k, x: unknown) => (typeof x === "number" && Number.isInteger(x) && !Number.isSafeInteger(x) ? 0.5 : x)) as PyJson)
  .filter((v) => !JSON.stringify(v).includes('"__proto__"'));

const uri = (scheme: string) => fc.stringMatching(/^[a-z0-9_-]{1,12}(\/[a-z0-9._-]{1,12}){0,2}$/).map((p) => `${scheme}://bucket/${p}`);

/**
 * A random value of the type, in typed JSON. Inside a dataclass, ints stay within ±(2^53−1) (zod's
 * `z.int()`). Collections narrow as they nest (`level`), so deep types make values of reasonable size.
 */
export function valueOf(type: PyType, inStruct = false, level = 0): fc.Arbitrary<PyJson> {
  const width = level < 2 ? 3 : 1;
  const inner = (of: PyType, struct = inStruct) => valueOf(of, struct, level + 1);
  switch (type.kind) {
    case "int":
      return inStruct
        ? fc.oneof(fc.maxSafeInteger(), fc.constantFrom(Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 0)).map(String)
        : fc.oneof(fc.bigInt({ min: INT64_MIN, max: INT64_MAX }), fc.constantFrom(...int64Edges), fc.bigInt({ min: -1000n, max: 1000n })).map(String);
    case "float":
      return floatValue(inStruct);
    case "str":
      return text(16);
    case "bool":
      return fc.boolean();
    case "datetime":
      return datetimeValue;
    case "duration":
      return durationValue;
    case "none":
      return fc.constant(null);
    case "json":
      return jsonValue;
    case "file":
      return uri("s3");
    case "directory":
      return uri("gs");
    case "structured_dataset":
      return uri("s3").map((u) => ({ uri: u, format: "parquet" }));
    case "enum":
      return fc.constantFrom(...type.values);
    case "list":
      return fc.array(inner(type.of), { maxLength: width });
    case "dict":
      return fc.dictionary(dictKey, inner(type.of), { maxKeys: width });
    case "optional":
      return fc.option(inner(type.of), { nil: null, freq: 3 });
    case "union":
      return fc.integer({ min: 0, max: type.of.length - 1 }).chain((variant) => inner(type.of[variant] as PyType).map((value) => ({ variant, value })));
    case "dataclass":
      return fc.record(Object.fromEntries(type.fields.map((f) => [f.name, inner(f.type, true)])));
  }
}

/** Every dataclass type inside a type (itself included), for the castability checks. */
export function dataclassesIn(type: PyType, found: PyType[] = []): PyType[] {
  if (type.kind === "dataclass") {
    found.push(type);
    for (const f of type.fields) dataclassesIn(f.type, found);
  } else if ("of" in type) {
    for (const of of Array.isArray(type.of) ? type.of : [type.of]) dataclassesIn(of, found);
  }
  return found;
}
