import { flyteidl } from "@flytekit-ts/idl";
import type { LiteralType } from "./descriptor.js";
import { literalTypeJson } from "./literal-types.js";

const { SimpleType } = flyteidl.core;

/**
 * Whether a value of type `upstream` may be bound to an input of type `downstream`, by the rules of
 * FlytePropeller's compiler (validators/typing.go, flyte 1.16): unions distribute over variants and a
 * plain upstream must match exactly one downstream variant; NONE element types of empty
 * collections/maps match anything; blob formats must agree unless either is empty; enums and strings
 * convert both ways; STRUCTs are compatible when either has no JSON schema, the schemas are equal, or
 * the upstream schema is a supertype; everything else must be equal ignoring metadata, annotation
 * and structure (but a tagged upstream needs the same tag downstream).
 */
export function isCastable(upstream: LiteralType, downstream: LiteralType): boolean {
  const variants = upstream.unionType?.variants;
  if (variants && variants.length === 1 && castsFrom(downstream, variants[0] as LiteralType)) return true;
  return castsFrom(downstream, upstream);
}

const isNone = (t: LiteralType | null | undefined): boolean =>
  !!t && kindOf(t) === "simple" && (t.simple ?? SimpleType.NONE) === SimpleType.NONE;

type Kind = "collection" | "map" | "blob" | "schema" | "union" | "structuredDataset" | "enum" | "simple";

function kindOf(t: LiteralType): Kind {
  if (t.collectionType) return "collection";
  if (t.mapValueType) return "map";
  if (t.blob) return "blob";
  if (t.schema) return "schema";
  if (t.unionType) return "union";
  if (t.structuredDatasetType) return "structuredDataset";
  if (t.enumType) return "enum";
  return "simple";
}

function castsFrom(downstream: LiteralType, upstream: LiteralType): boolean {
  switch (kindOf(downstream)) {
    case "collection": {
      const up = upstream.collectionType;
      if (!up) return false;
      return isNone(up) || castsFrom(downstream.collectionType as LiteralType, up);
    }
    case "map": {
      const up = upstream.mapValueType;
      if (!up) return false;
      return isNone(up) || castsFrom(downstream.mapValueType as LiteralType, up);
    }
    case "blob": {
      const up = upstream.blob;
      if (!up) return false;
      const a = up.format ?? "";
      const b = downstream.blob?.format ?? "";
      return a === "" || b === "" || a === b;
    }
    case "union":
      return unionCastsFrom(downstream, upstream);
    case "structuredDataset":
      return structuredDatasetCastsFrom(downstream, upstream);
    case "schema":
      return schemaCastsFrom(downstream, upstream);
    default:
      return isNone(downstream) ? isNone(upstream) : trivialCastsFrom(downstream, upstream);
  }
}

function unionCastsFrom(downstream: LiteralType, upstream: LiteralType): boolean {
  const options = (downstream.unionType?.variants ?? []) as LiteralType[];
  const upVariants = upstream.unionType?.variants as LiteralType[] | undefined;
  if (upVariants) return upVariants.every((u) => options.some((d) => isCastable(u, d)));
  return options.filter((d) => isCastable(upstream, d)).length === 1;
}

function trivialCastsFrom(downstream: LiteralType, upstream: LiteralType): boolean {
  if (upstream.enumType && downstream.simple === SimpleType.STRING && kindOf(downstream) === "simple") return true;
  if (downstream.enumType && kindOf(upstream) === "simple" && upstream.simple === SimpleType.STRING) return true;
  const upTag = upstream.structure?.tag ?? "";
  if (upTag !== "" && (downstream.structure?.tag ?? "") !== upTag) return false;
  if (kindOf(upstream) === "simple" && kindOf(downstream) === "simple" && upstream.simple === SimpleType.STRUCT && downstream.simple === SimpleType.STRUCT) {
    if (!upstream.metadata || !downstream.metadata) return true;
    const up = structToJson(upstream.metadata);
    const down = structToJson(downstream.metadata);
    return jsonEqual(up, down) || isSchemaSupertype(up, down);
  }
  return sameIgnoringMetadata(upstream, downstream);
}

/**
 * Equality ignoring metadata, annotation and structure, for the kinds the trivial checker sees
 * (simple types and enums; containers, blobs, unions and datasets have checkers of their own).
 * Compared field by field: this runs once per binding, so it must not serialise the types.
 */
function sameIgnoringMetadata(a: LiteralType, b: LiteralType): boolean {
  const kind = kindOf(a);
  if (kind !== kindOf(b)) return false;
  if (kind === "enum") {
    const x = a.enumType?.values ?? [];
    const y = b.enumType?.values ?? [];
    return x.length === y.length && x.every((v, i) => v === y[i]);
  }
  if (kind === "simple") return (a.simple ?? SimpleType.NONE) === (b.simple ?? SimpleType.NONE);
  return jsonEqual(literalTypeJson(a), literalTypeJson(b));
}

function structuredDatasetCastsFrom(downstream: LiteralType, upstream: LiteralType): boolean {
  if (isNone(upstream)) return true;
  const down = downstream.structuredDatasetType ?? {};
  const up = upstream.structuredDatasetType;
  if (!up) {
    if (!upstream.schema) return false;
    const format = down.format ?? "";
    return format === "" || format.toLowerCase() === "parquet";
  }
  const a = up.format ?? "";
  const b = down.format ?? "";
  if (a !== "" && b !== "" && a.toLowerCase() !== b.toLowerCase()) return false;
  const upColumns = up.columns ?? [];
  const downColumns = down.columns ?? [];
  if (upColumns.length === 0 || downColumns.length === 0) return true;
  const byName = new Map(upColumns.map((c) => [c.name ?? "", c.literalType ?? {}]));
  return downColumns.every((c) => {
    const upType = byName.get(c.name ?? "");
    return upType !== undefined && castsFrom(c.literalType ?? {}, upType);
  });
}

function schemaCastsFrom(downstream: LiteralType, upstream: LiteralType): boolean {
  const downColumns = downstream.schema?.columns ?? [];
  if (upstream.schema) {
    const upColumns = upstream.schema.columns ?? [];
    if (upColumns.length === 0 || downColumns.length === 0) return true;
    const byName = new Map(upColumns.map((c) => [c.name ?? "", c.type ?? 0]));
    return downColumns.every((c) => byName.has(c.name ?? "") && byName.get(c.name ?? "") === (c.type ?? 0));
  }
  const sd = upstream.structuredDatasetType;
  if (!sd) return false;
  if (sd.format && sd.format.toLowerCase() !== "parquet") return false;
  return true;
}

// --- JSON schema comparison for STRUCT types -------------------------------------------------------

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function structToJson(struct: NonNullable<LiteralType["metadata"]>): Json {
  const json = literalTypeJson({ metadata: struct }) as { metadata?: Json };
  return json.metadata ?? {};
}

function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/**
 * Whether every value the downstream schema accepts-and-needs is provided by the upstream schema:
 * object schemas need each downstream property present upstream with a compatible schema, and each
 * downstream-required property required upstream. The Go compiler uses a general JSON-schema
 * comparison; this covers the object/array/scalar schemas that dataclasses and Standard JSON Schema
 * libraries produce.
 */
export function isSchemaSupertype(upstream: Json, downstream: Json): boolean {
  if (typeof upstream !== "object" || typeof downstream !== "object" || upstream === null || downstream === null) return jsonEqual(upstream, downstream);
  if (Array.isArray(upstream) || Array.isArray(downstream)) return jsonEqual(upstream, downstream);
  const upType = upstream["type"];
  const downType = downstream["type"];
  if (downType !== undefined && upType !== undefined && !jsonEqual(upType, downType)) {
    // An integer always fits where a number is expected.
    if (!(upType === "integer" && downType === "number")) return false;
  }
  const downProps = downstream["properties"];
  if (downProps && typeof downProps === "object" && !Array.isArray(downProps)) {
    const upProps = upstream["properties"];
    if (!upProps || typeof upProps !== "object" || Array.isArray(upProps)) return false;
    const upRequired = new Set(Array.isArray(upstream["required"]) ? (upstream["required"] as Json[]) : []);
    const downRequired = Array.isArray(downstream["required"]) ? (downstream["required"] as Json[]) : [];
    for (const name of downRequired) if (!upRequired.has(name)) return false;
    for (const [name, schema] of Object.entries(downProps)) {
      const upSchema = upProps[name];
      if (upSchema === undefined) {
        if (downRequired.includes(name)) return false;
        continue;
      }
      if (!isSchemaSupertype(upSchema, schema)) return false;
    }
  }
  const downItems = downstream["items"];
  if (downItems !== undefined) {
    const upItems = upstream["items"];
    if (upItems === undefined || !isSchemaSupertype(upItems, downItems)) return false;
  }
  return true;
}
