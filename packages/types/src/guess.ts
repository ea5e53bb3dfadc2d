import { flyteidl } from "@flytekit-ts/idl";
import type { LiteralType, TypeDescriptor } from "./descriptor.js";
import { directory, file, structuredDataset, bytes } from "./blob.js";
import { list, map } from "./collections.js";
import { isCastable } from "./compat.js";
import { enumOf } from "./enum.js";
import { formatLiteralType, literalTypeJson } from "./literal-types.js";
import { boolean, datetime, duration, float, int, none, string } from "./scalars.js";
import { json } from "./struct.js";
import { union } from "./union.js";
import { FlytekitError } from "@flytekit-ts/idl";

const { SimpleType } = flyteidl.core;

export class UnknownLiteralTypeError extends FlytekitError {
  constructor(type: LiteralType) {
    super("UNKNOWN_LITERAL_TYPE", `no descriptor can read literal type ${formatLiteralType(type)}; pass one in the candidate list`);
  }
}

const sameType = (a: LiteralType, b: LiteralType): boolean =>
  JSON.stringify(literalTypeJson(a)) === JSON.stringify(literalTypeJson(b));

/**
 * A descriptor for a literal type seen only at run time (remote outputs, reference entities). The
 * caller's candidates are tried first — an exact match, then one the type casts to — so plugin and
 * struct types are found only when passed in; nothing registers itself on import. Otherwise the
 * built-in type of that shape is used (a STRUCT becomes an untyped JSON object).
 */
export function guessType(type: LiteralType, candidates: readonly TypeDescriptor<unknown>[] = []): TypeDescriptor<unknown> {
  const exact = candidates.find((c) => sameType(c.literalType, type));
  if (exact) return exact;
  const castable = candidates.find((c) => isCastable(type, c.literalType) && isCastable(c.literalType, type));
  if (castable) return castable;
  return builtinFor(type, candidates);
}

function builtinFor(type: LiteralType, candidates: readonly TypeDescriptor<unknown>[]): TypeDescriptor<unknown> {
  if (type.collectionType) return list(guessType(type.collectionType, candidates));
  if (type.mapValueType) return map(guessType(type.mapValueType, candidates));
  if (type.enumType) {
    const values = type.enumType.values ?? [];
    if (values.length === 0) throw new UnknownLiteralTypeError(type);
    return enumOf(values as [string, ...string[]]);
  }
  if (type.unionType) {
    const variants = (type.unionType.variants ?? []).map((v) => guessType(v, candidates));
    if (variants.length === 0) throw new UnknownLiteralTypeError(type);
    return union(...(variants as [TypeDescriptor<unknown>, ...TypeDescriptor<unknown>[]]));
  }
  if (type.blob) {
    const format = type.blob.format ?? "";
    return (type.blob.dimensionality ?? flyteidl.core.BlobType.BlobDimensionality.SINGLE) === flyteidl.core.BlobType.BlobDimensionality.MULTIPART
      ? directory({ format })
      : file({ format });
  }
  if (type.structuredDatasetType) return structuredDataset({ format: type.structuredDatasetType.format ?? "" });
  switch (type.simple ?? SimpleType.NONE) {
    case SimpleType.INTEGER:
      return int();
    case SimpleType.FLOAT:
      return float();
    case SimpleType.STRING:
      return string();
    case SimpleType.BOOLEAN:
      return boolean();
    case SimpleType.DATETIME:
      return datetime();
    case SimpleType.DURATION:
      return duration();
    case SimpleType.NONE:
      return none();
    case SimpleType.STRUCT:
      return json();
    case SimpleType.BINARY:
      return bytes();
    default:
      throw new UnknownLiteralTypeError(type);
  }
}
