import { flyteidl } from "@flytekit-ts/idl";
import type { Literal, LiteralType } from "./descriptor.js";
import { simpleType } from "./literal-types.js";
import { MSGPACK_TAG } from "./struct.js";
import { isSet } from "./scalars.js";

/**
 * The literal type a literal evidently has, as FlytePropeller infers it for constant bindings
 * (validators/utils.go): primitives by kind, msgpack binary and generic structs as STRUCT, other
 * binary as BINARY, a union as a single-variant union of its stored type, collections and maps by their
 * first element (NONE when empty, which matches any element type).
 */
export function literalTypeOf(literal: Literal): LiteralType {
  if (literal.collection) {
    const first = literal.collection.literals?.[0];
    return { collectionType: first ? literalTypeOf(first) : simpleType("NONE") };
  }
  if (literal.map) {
    const first = Object.values(literal.map.literals ?? {})[0];
    return { mapValueType: first ? literalTypeOf(first) : simpleType("NONE") };
  }
  if (literal.offloadedMetadata) return literal.offloadedMetadata.inferredType ?? simpleType("NONE");
  const scalar = literal.scalar;
  if (!scalar) return simpleType("NONE");
  const p = scalar.primitive;
  if (p) {
    if (isSet(p, "integer")) return simpleType("INTEGER");
    if (isSet(p, "floatValue")) return simpleType("FLOAT");
    if (isSet(p, "stringValue")) return simpleType("STRING");
    if (isSet(p, "boolean")) return simpleType("BOOLEAN");
    if (isSet(p, "datetime")) return simpleType("DATETIME");
    if (isSet(p, "duration")) return simpleType("DURATION");
  }
  if (scalar.blob) return { blob: scalar.blob.metadata?.type ?? { format: "", dimensionality: flyteidl.core.BlobType.BlobDimensionality.SINGLE } };
  if (scalar.binary) return simpleType((scalar.binary.tag ?? "") === MSGPACK_TAG ? "STRUCT" : "BINARY");
  if (scalar.generic) return simpleType("STRUCT");
  if (scalar.noneType) return simpleType("NONE");
  if (scalar.error) return simpleType("ERROR");
  if (scalar.union) return { unionType: { variants: [scalar.union.type ?? simpleType("NONE")] } };
  if (scalar.structuredDataset) return { structuredDatasetType: scalar.structuredDataset.metadata?.structuredDatasetType ?? {} };
  if (scalar.schema) return { schema: scalar.schema.type ?? {} };
  return simpleType("NONE");
}
