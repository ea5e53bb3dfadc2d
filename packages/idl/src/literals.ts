import { flyteidl } from "./generated/flyteidl.js";
import { toLong, type Int64Like } from "./int64.js";
import { durationFromMillis, timestampFromDate } from "./time.js";

type Literal = flyteidl.core.Literal;
const { Literal, Scalar, Primitive, LiteralCollection, LiteralMap, Void } = flyteidl.core;

const scalar = (props: flyteidl.core.Scalar.$Properties): Literal => Literal.create({ scalar: Scalar.create(props) });
const primitive = (props: flyteidl.core.Primitive.$Properties): Literal => scalar({ primitive: Primitive.create(props) });

/**
 * Constructors for the plain `core.Literal` shapes, so that hand-built literals (tests, fixed inputs,
 * tools) read as what they mean. Type-directed conversion of user values is @flytekit-ts/types' job.
 */
export const literal = {
  /** INTEGER (int64). Numbers must be safe integers; bigints and decimal strings keep full precision. */
  integer: (value: Int64Like): Literal => primitive({ integer: toLong(value) }),
  /** FLOAT (double). */
  float: (value: number): Literal => primitive({ floatValue: value }),
  /** STRING. */
  string: (value: string): Literal => primitive({ stringValue: value }),
  /** BOOLEAN. */
  boolean: (value: boolean): Literal => primitive({ boolean: value }),
  /** DATETIME from a Date. */
  datetime: (value: Date): Literal => primitive({ datetime: timestampFromDate(value) }),
  /** DURATION from milliseconds. */
  duration: (ms: number): Literal => primitive({ duration: durationFromMillis(ms) }),
  /** NONE: `Scalar{none_type: Void{}}`. */
  none: (): Literal => scalar({ noneType: Void.create() }),
  /** A collection literal of the given literals, in order. */
  collection: (items: readonly Literal[]): Literal =>
    Literal.create({ collection: LiteralCollection.create({ literals: [...items] }) }),
  /** A map literal (string keys). */
  map: (entries: Readonly<Record<string, Literal>>): Literal => Literal.create({ map: literalMap(entries) }),
};

/** A `core.LiteralMap` — the shape of `inputs.pb` and `outputs.pb`. */
export function literalMap(entries: Readonly<Record<string, Literal>>): flyteidl.core.LiteralMap {
  return LiteralMap.create({ literals: { ...entries } });
}
