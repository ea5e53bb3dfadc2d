/**
 * flytekit-ts against the real flytekit, both directions, on random types and values:
 *  - TypeScript first: TS encodes → flytekit decodes to the expected Python value → flytekit
 *    re-encodes → TS decodes equal.
 *  - Python first: flytekit encodes → TS decodes to the expected value → TS re-encodes → flytekit
 *    decodes equal.
 *  - Castability: flytekit's literal type for every generated type (and every dataclass inside it)
 *    and the TypeScript twin's literal type bind to each other under `isCastable`.
 * Cases go to the driver in batches (two round trips per batch). A failing case prints the run's
 * seed (FC_SEED reproduces the run; in CI the commit picks it) and is appended to vectors.json, which
 * every run replays.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { flyteidl } from "@flytekit-ts/idl";
import { fromLiteral, isCastable, toLiteral, type Literal, type LiteralType } from "@flytekit-ts/types";
import { FlytekitDriver, fromBase64, toBase64, venvForLiveSuite, type PyJson, type PyType } from "../src/index.js";
import { dataclassesIn, deepType, pyType, valueOf } from "./arbitraries.js";
import { pyToCanonical, toTs, tsToCanonical, tsTwin } from "./twins.js";

const venv = venvForLiveSuite("flytekit property tests");

const VECTORS = join(import.meta.dirname, "vectors.json");
/** Cases per run (both directions together); CI runs the default. */
const CASES = Number(process.env["FLYTEKIT_PROPERTY_CASES"] ?? 10_000);
// Building a new type costs flytekit far more than a value (mashumaro compiles code per dataclass).
const VALUES_PER_TYPE = 25;
const BATCH = 400;
/**
 * FC_SEED when given. In CI, the commit under test picks the seed: each commit explores new cases, and
 * its CI run is the same run as on the machine that made the commit. Elsewhere, a random one.
 */
function chooseSeed(): number {
  if (process.env["FC_SEED"]) return Number(process.env["FC_SEED"]);
  if (process.env["CI"]) {
    try {
      const head = execFileSync("git", ["rev-parse", "HEAD"], { cwd: import.meta.dirname, encoding: "utf8" }).trim();
      return Number.parseInt(head.slice(0, 8), 16) % 2 ** 31;
    } catch {
      // Not a git checkout: a random seed, printed like any other.
    }
  }
  return Math.floor(Math.random() * 2 ** 31);
}
const SEED = chooseSeed();

type Direction = "ts-first" | "py-first";
interface Case {
  direction: Direction;
  type: PyType;
  value: PyJson;
}
interface Vector {
  check: Direction | "castable";
  type: PyType;
  value?: PyJson;
  seed?: number;
  error?: string;
}
interface Failure {
  vector: Vector;
  message: string;
}

const encodeLiteral = (literal: Literal): string =>
  toBase64(flyteidl.core.Literal.encode(flyteidl.core.Literal.fromObject(literal as { [k: string]: unknown })).finish());
const decodeLiteral = (b64: string): Literal => flyteidl.core.Literal.decode(fromBase64(b64));
const decodeLiteralType = (b64: string): LiteralType => flyteidl.core.LiteralType.decode(fromBase64(b64));

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

function sameOrThrow(what: string, actual: PyJson, expected: PyJson): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: got ${a}, expected ${e}`);
}

/** Runs a batch of cases through both sides; returns the failures. */
async function runCases(driver: FlytekitDriver, cases: readonly Case[]): Promise<Failure[]> {
  const failures: Failure[] = [];
  const fail = (c: Case, error: unknown) => failures.push({ vector: { check: c.direction, type: c.type, value: c.value }, message: message(error) });

  // Round 1: flytekit encodes the Python-first values; TS encodes the TypeScript-first ones.
  const pyFirst = cases.filter((c) => c.direction === "py-first");
  const pyLiterals = await driver.call("to_literal", pyFirst.map((c) => ({ type: c.type, value: c.value })));
  const toFlytekit: { c: Case; literal: string }[] = [];
  await Promise.all(
    cases.map(async (c) => {
      try {
        const twin = tsTwin(c.type);
        if (c.direction === "ts-first") {
          const literal = await toLiteral(twin, toTs(c.type, c.value));
          toFlytekit.push({ c, literal: encodeLiteral(literal) });
          return;
        }
        const answer = pyLiterals[pyFirst.indexOf(c)]!;
        if ("error" in answer) throw new Error(`flytekit could not encode it: ${answer.error}`);
        const read = await fromLiteral(twin, decodeLiteral(answer.ok));
        sameOrThrow("TS read flytekit's literal as", tsToCanonical(c.type, read), pyToCanonical(c.type, c.value));
        toFlytekit.push({ c, literal: encodeLiteral(await toLiteral(twin, read)) });
      } catch (error) {
        fail(c, error);
      }
    }),
  );

  // Round 2: flytekit reads what TS wrote (and re-encodes it); TS reads flytekit's re-encoding.
  const answers = await driver.call("from_literal", toFlytekit.map(({ c, literal }) => ({ type: c.type, literal })));
  await Promise.all(
    toFlytekit.map(async ({ c }, i) => {
      try {
        const answer = answers[i]!;
        if ("error" in answer) throw new Error(`flytekit could not read TS's literal: ${answer.error}`);
        const expected = pyToCanonical(c.type, c.value);
        sameOrThrow("flytekit read TS's literal as", pyToCanonical(c.type, answer.ok.value), expected);
        if (c.direction === "ts-first") {
          const back = await fromLiteral(tsTwin(c.type), decodeLiteral(answer.ok.literal));
          sameOrThrow("TS read flytekit's re-encoding as", tsToCanonical(c.type, back), expected);
        }
      } catch (error) {
        fail(c, error);
      }
    }),
  );
  return failures;
}

/** flytekit's literal type and the twin's must bind to each other both ways. */
async function checkCastable(driver: FlytekitDriver, types: readonly PyType[]): Promise<Failure[]> {
  const answers = await driver.call("literal_type", types);
  const failures: Failure[] = [];
  types.forEach((type, i) => {
    try {
      const answer = answers[i]!;
      if ("error" in answer) throw new Error(`flytekit has no literal type for it: ${answer.error}`);
      const python = decodeLiteralType(answer.ok);
      const ts = tsTwin(type).literalType;
      if (!isCastable(python, ts)) throw new Error("flytekit's type cannot bind to the TypeScript twin's");
      if (!isCastable(ts, python)) throw new Error("the TypeScript twin's type cannot bind to flytekit's");
    } catch (error) {
      failures.push({ vector: { check: "castable", type }, message: message(error) });
    }
  });
  return failures;
}

function readVectors(): Vector[] {
  return JSON.parse(readFileSync(VECTORS, "utf8")) as Vector[];
}

/** Appends new failures to the vector file (deduplicated), so that every later run replays them. */
function recordVectors(failures: readonly Failure[]): void {
  const vectors = readVectors();
  const known = new Set(vectors.map((v) => JSON.stringify([v.check, v.type, v.value])));
  for (const { vector, message: error } of failures) {
    const key = JSON.stringify([vector.check, vector.type, vector.value]);
    if (known.has(key)) continue;
    known.add(key);
    vectors.push({ ...vector, seed: SEED, error: error.slice(0, 300) });
  }
  writeFileSync(VECTORS, `${JSON.stringify(vectors, null, 1)}\n`);
}

function report(failures: readonly Failure[], what: string): string {
  const shown = failures.slice(0, 5).map((f) => `- ${f.vector.check} ${JSON.stringify(f.vector.type)} = ${JSON.stringify(f.vector.value)}\n  ${f.message}`);
  return `${failures.length} ${what} failed (seed ${SEED}; rerun with FC_SEED=${SEED}; recorded in test/vectors.json):\n${shown.join("\n")}`;
}

describe.skipIf(!venv)("flytekit-ts ⇄ flytekit 1.16.24, live (property)", () => {
  let driver: FlytekitDriver;
  beforeAll(async () => {
    driver = await FlytekitDriver.start(venv!);
  }, 120_000);
  afterAll(() => driver?.close());

  it("replays every recorded vector", async () => {
    const vectors = readVectors();
    const cases = vectors.filter((v): v is Vector & { check: Direction; value: PyJson } => v.check !== "castable" && v.value !== undefined);
    const failures = [
      ...(await runCases(driver, cases.map((v) => ({ direction: v.check, type: v.type, value: v.value })))),
      ...(await checkCastable(driver, vectors.filter((v) => v.check === "castable").map((v) => v.type))),
    ];
    console.log(`flytekit vectors: ${vectors.length} replayed, ${failures.length} failed`);
    expect(failures, report(failures, "recorded vectors")).toEqual([]);
  }, 300_000);

  it(`survives ${CASES} random cases both ways, and every type binds both ways`, async () => {
    const started = Date.now();
    const typeArb = fc.oneof({ weight: 9, arbitrary: pyType(3) }, { weight: 1, arbitrary: deepType });
    const caseArb = typeArb.chain((type) => fc.array(valueOf(type), { minLength: VALUES_PER_TYPE, maxLength: VALUES_PER_TYPE }).map((values) => ({ type, values })));
    const samples = fc.sample(caseArb, { seed: SEED, numRuns: Math.ceil(CASES / VALUES_PER_TYPE) });
    const cases: Case[] = samples.flatMap(({ type, values }, i) =>
      values.map((value, j): Case => ({ type, value, direction: (i + j) % 2 === 0 ? "ts-first" : "py-first" })),
    ).slice(0, CASES);

    const failures: Failure[] = [];
    for (let start = 0; start < cases.length; start += BATCH) failures.push(...(await runCases(driver, cases.slice(start, start + BATCH))));

    const structs = new Map<string, PyType>();
    for (const { type } of samples) {
      structs.set(JSON.stringify(type), type);
      for (const dc of dataclassesIn(type)) structs.set(JSON.stringify(dc), dc);
    }
    const types = [...structs.values()];
    for (let start = 0; start < types.length; start += BATCH) failures.push(...(await checkCastable(driver, types.slice(start, start + BATCH))));

    const byDirection = (d: Direction) => cases.filter((c) => c.direction === d).length;
    console.log(
      `flytekit property cases: ${cases.length} (${byDirection("ts-first")} TypeScript first, ${byDirection("py-first")} Python first), ` +
        `${types.length} types checked for castability both ways, ${failures.length} failed, seed ${SEED}, ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    if (failures.length) recordVectors(failures);
    expect(failures, report(failures, "cases")).toEqual([]);
  }, 1_200_000);
});
