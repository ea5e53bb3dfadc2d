import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { flyteidl } from "@flytekit-ts/idl";
import { fromLiteral, guessType, issuesOf, t, toLiteral, type Literal, type TypeDescriptor } from "../src/index.js";

/** A random type together with a generator of its values. */
interface Sampled {
  type: TypeDescriptor<unknown>;
  value: fc.Arbitrary<unknown>;
}

const leaves: Sampled[] = [
  { type: t.int(), value: fc.maxSafeInteger() },
  { type: t.float(), value: fc.double({ noNaN: true }) },
  { type: t.string(), value: fc.string({ unit: "grapheme" }) },
  { type: t.boolean(), value: fc.boolean() },
  { type: t.datetime(), value: fc.date({ noInvalidDate: true, min: new Date(-1e14), max: new Date(1e14) }) },
  { type: t.duration(), value: fc.integer({ min: -1e12, max: 1e12 }) },
  { type: t.enum(["a", "b", "c"]), value: fc.constantFrom("a", "b", "c") },
  { type: t.bytes(), value: fc.uint8Array().map((b) => new Uint8Array(b)) },
  // __proto__ keys are refused by design (see struct.test.ts), so they are left out here.
  {
    type: t.json(),
    value: fc
      .dictionary(fc.string().filter((k) => k !== "__proto__"), fc.jsonValue())
      .map((v) => JSON.parse(JSON.stringify(v)) as unknown)
      .filter((v) => !JSON.stringify(v).includes('"__proto__"')),
  },
];
const int64Leaf: Sampled = { type: t.int64(), value: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }) };

const tree = (leaf: fc.Arbitrary<Sampled>): fc.Arbitrary<Sampled> => fc.letrec<{ node: Sampled }>((tie) => ({
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    tie("node").map((s) => ({ type: t.list(s.type), value: fc.array(s.value, { maxLength: 4 }) })),
    tie("node").map((s) => ({ type: t.map(s.type), value: fc.dictionary(fc.string({ maxLength: 5 }), s.value, { maxKeys: 4 }) })),
    tie("node").map((s) => ({ type: t.optional(s.type), value: fc.option(s.value, { nil: null }) })),
  ),
})).node;

/** Pairs print as `list<int> = [1,2]` in fast-check's failure reports instead of whole descriptors. */
const printable = (type: TypeDescriptor<unknown>, value: unknown) => ({
  type,
  value,
  [fc.toStringMethod]: () => `${type.name} = ${fc.stringify(value)}`,
});

const pairs = (s: fc.Arbitrary<Sampled>) => s.chain((x) => x.value.map((value) => printable(x.type, value)));
const typeAndValue = pairs(tree(fc.constantFrom(...leaves, int64Leaf)));
// A guessed INTEGER reads as a JS number, so bigints are left out where descriptors are guessed.
const typeAndValueWithoutInt64 = pairs(tree(fc.constantFrom(...leaves)));

const wire = (literal: Literal): Literal =>
  flyteidl.core.Literal.decode(flyteidl.core.Literal.encode(flyteidl.core.Literal.fromObject(literal as { [k: string]: unknown })).finish());

describe("property: random values of random types", () => {
  it("survive value → literal → bytes → literal → value", async () => {
    await fc.assert(
      fc.asyncProperty(typeAndValue, async ({ type, value }) => {
        expect(issuesOf(type, value)).toEqual([]);
        const back = await fromLiteral(type, wire(await toLiteral(type, value)));
        expect(back).toEqual(value);
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 300) },
    );
  });

  it("are read the same by a descriptor guessed from the literal type alone", async () => {
    await fc.assert(
      fc.asyncProperty(typeAndValueWithoutInt64, async ({ type, value }) => {
        const guessed = guessType(type.literalType);
        expect(await fromLiteral(guessed, wire(await toLiteral(type, value)))).toEqual(value);
      }),
      { numRuns: 150 },
    );
  });
});
