import { flyteidl, toProtoJson } from "@flytekit-ts/idl";
import type { LiteralType } from "./descriptor.js";

export type SimpleTypeName = keyof typeof flyteidl.core.SimpleType & string;

/** The `LiteralType` of a Flyte simple type by name (`simpleType("INTEGER")`), for plugins' `literalType`. */
export function simpleType(name: SimpleTypeName): LiteralType {
  return { simple: flyteidl.core.SimpleType[name] };
}

/** The variant's literal type with flytekit's `structure.tag`, as union variants carry it. */
export function withTag(type: LiteralType, tag: string): LiteralType {
  return { ...type, structure: { ...(type.structure ?? {}), tag } };
}

/** A compact readable rendering of a literal type, for messages: `list<map<float>>`, `union<int | none>`. */
export function formatLiteralType(type: LiteralType | null | undefined): string {
  if (!type) return "(none)";
  if (type.collectionType) return `list<${formatLiteralType(type.collectionType)}>`;
  if (type.mapValueType) return `map<${formatLiteralType(type.mapValueType)}>`;
  if (type.unionType) return `union<${(type.unionType.variants ?? []).map(formatLiteralType).join(" | ")}>`;
  if (type.enumType) return `enum<${(type.enumType.values ?? []).join(", ")}>`;
  if (type.blob) {
    const dim = type.blob.dimensionality === flyteidl.core.BlobType.BlobDimensionality.MULTIPART ? "directory" : "file";
    return type.blob.format ? `${dim}<${type.blob.format}>` : dim;
  }
  if (type.structuredDatasetType) return `structured-dataset<${type.structuredDatasetType.format ?? ""}>`;
  if (type.schema) return "schema";
  const simple = flyteidl.core.SimpleType[type.simple ?? 0];
  return (simple ?? "unknown").toLowerCase();
}

/** Literal types as canonical JSON, for equality checks that ignore map order. */
export function literalTypeJson(type: LiteralType): unknown {
  return toProtoJson(flyteidl.core.LiteralType, flyteidl.core.LiteralType.fromObject(type as { [k: string]: unknown }));
}
