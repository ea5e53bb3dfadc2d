import { flyteidl } from "./generated/flyteidl.js";
import { toLong, type Int64Like } from "./int64.js";
import { durationFromMillis, timestampFromDate } from "./time.js";

// Message classes are read from `flyteidl.core` when used: reading them builds their types.
type Literal = flyteidl.core.Literal;

const scalar = (props: flyteidl.core.Scalar.$Properties): Literal =>
  flyteidl.core.Literal.create({ scalar: flyteidl.core.Scalar.create(props) });
const primitive = (props: flyteidl.core.Primitive.$Properties): Literal => scalar({ primitive: flyteidl.core.Primitive.create(props) });

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
  none: (): Literal => scalar({ noneType: flyteidl.core.Void.create() }),
  /** A collection literal of the given literals, in order. */
  collection: (items: readonly Literal[]): Literal =>
    flyteidl.core.Literal.create({ collection: flyteidl.core.LiteralCollection.create({ literals: [...items] }) }),
  /** A map literal (string keys). */
  map: (entries: Readonly<Record<string, Literal>>): Literal => flyteidl.core.Literal.create({ map: literalMap(entries) }),
};

/** A `core.LiteralMap` — the shape of `inputs.pb` and `outputs.pb`. */
export function literalMap(entries: Readonly<Record<string, Literal>>): flyteidl.core.LiteralMap {
  return flyteidl.core.LiteralMap.create({ literals: { ...entries } });
}
