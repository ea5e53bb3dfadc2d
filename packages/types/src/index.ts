/**
 * `@flytekit-ts/types` — the type engine: runtime descriptors that carry both a Flyte `LiteralType` and a
 * TypeScript type, conversion between values and literals wire-equal to Python flytekit, Flyte's
 * compatibility rules, and the plugin API.
 *
 * @module \@flytekit-ts/types
 */
import { directory, file, structuredDataset, bytes } from "./blob.js";
import { list, map } from "./collections.js";
import { enumOf } from "./enum.js";
import { boolean, datetime, duration, float, int, int64, none, string } from "./scalars.js";
import { json, struct } from "./struct.js";
import { optional, union } from "./union.js";

/** The built-in types, as `t.int()`, `t.list(t.string())`, `t.struct(zodSchema)`, `t.enum([...])`. */
export const t = {
  int,
  int64,
  float,
  string,
  boolean,
  datetime,
  duration,
  none,
  /** {@inheritDoc list} */
  list,
  /** {@inheritDoc map} */
  map,
  /** {@inheritDoc struct} */
  struct,
  json,
  /** {@inheritDoc enumOf} */
  enum: enumOf,
  /** {@inheritDoc optional} */
  optional,
  /** {@inheritDoc union} */
  union,
  file,
  directory,
  /** {@inheritDoc structuredDataset} */
  structuredDataset,
  bytes,
} as const;

export { int, int64, float, string, boolean, datetime, duration, none, isSet } from "./scalars.js";
export { list, map } from "./collections.js";
export { PreciseDate, epochNanosOf } from "./precise-date.js";
export { encodeMsgpack, decodeMsgpack } from "./msgpack.js";
export { struct, json, literalTypeFromJsonSchema, MSGPACK_TAG, type StructSchema, type StructOptions, type JsonObject } from "./struct.js";
export { enumOf } from "./enum.js";
export { union, optional } from "./union.js";
export { file, directory, structuredDataset, bytes, download, type FlyteFile, type FlyteDirectory, type FlytePath, type StructuredDatasetRef } from "./blob.js";
export {
  TYPE_DESCRIPTOR,
  isTypeDescriptor,
  type TypeDescriptor,
  type Infer,
  type InferValues,
  type Literal,
  type LiteralType,
  type ValueIssue,
  type ValuePath,
} from "./descriptor.js";
export { defineType, issuesOf, type TypeDefinition } from "./define.js";
export { ValueTypeError, LiteralTypeError, MsgpackDecodeError, formatIssue, describeValue } from "./errors.js";
export { localContext, type TypeContext } from "./context.js";
export { LocalStorage, StorageError, isRemoteUri, localPathOf, type Storage } from "./storage.js";
export { toLiteral, fromLiteral, toLiteralMap, fromLiteralMap, resolveOffloaded, type LiteralMap } from "./engine.js";
export { isCastable, isSchemaSupertype } from "./compat.js";
export { literalTypeOf } from "./infer-type.js";
export { guessType, UnknownLiteralTypeError } from "./guess.js";
export { formatLiteralType, simpleType, withTag } from "./literal-types.js";
export { checkTypeConformance, type ConformanceOptions, type ConformanceReport } from "./conformance.js";
