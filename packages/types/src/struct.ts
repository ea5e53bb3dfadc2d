import type { StandardJSONSchemaV1, StandardSchemaV1 } from "@standard-schema/spec";
import { fromProtoJson, google, toProtoJson, type JsonValue } from "@flytekit-ts/idl";
import type { Literal, LiteralType, TypeDescriptor, ValueIssue } from "./descriptor.js";
import { defineType } from "./define.js";
import { LiteralTypeError, ValueTypeError, describeValue } from "./errors.js";
import { simpleType, withTag } from "./literal-types.js";
import { SchemaMsgpackWriter, decodeMsgpack, type JsonSchema } from "./msgpack.js";
import { describeLiteral } from "./scalars.js";

/** flytekit's constants: `Binary.tag` for MessagePack payloads and the cache-key annotation. */
export const MSGPACK_TAG = "msgpack";
const CACHE_KEY_ANNOTATION = { "cache-key-metadata": { "serialization-format": MSGPACK_TAG } };

/** A schema from zod ≥ 4.2, valibot (via @valibot/to-json-schema) or arktype: validates and describes itself as JSON Schema. */
export type StructSchema<T = unknown> = StandardSchemaV1<unknown, T> & StandardJSONSchemaV1<unknown, T>;

/** How `t.struct` describes the schema to Flyte (the names flytekit would write for a dataclass). */
export interface StructOptions {
  /** JSON-schema `title` (flytekit writes the dataclass name). */
  title?: string;
  /**
   * The union variant tag. flytekit's dataclass transformer is "Object-Dataclass-Transformer" (the
   * default); use "Pydantic Transformer" to exchange optional values with a pydantic model.
   */
  tag?: string;
}

const toStruct = (json: JsonSchema): google.protobuf.Struct => fromProtoJson(google.protobuf.Struct, json);

function binaryLiteral(bytes: Uint8Array): Literal {
  return { scalar: { binary: { value: bytes, tag: MSGPACK_TAG } } };
}

/** The JSON value a STRUCT literal holds: msgpack `Binary` (flytekit ≥ 1.14) or the older JSON `Struct`. */
function structPayload(literal: Literal): unknown {
  const scalar = literal.scalar;
  const binary = scalar?.binary;
  if (binary) {
    if ((binary.tag ?? "") !== MSGPACK_TAG) throw new LiteralTypeError(`binary literal tagged "${binary.tag ?? ""}" is not msgpack`);
    return decodeMsgpack(binary.value ?? new Uint8Array());
  }
  if (scalar?.generic) return toProtoJson(google.protobuf.Struct, google.protobuf.Struct.fromObject(scalar.generic as { [k: string]: unknown }));
  return undefined;
}

/** Literal types for JSON-schema nodes, as flytekit's `structure.dataclass_type` lists a dataclass's fields. */
export function literalTypeFromJsonSchema(schema: JsonSchema, root: JsonSchema = schema): LiteralType {
  const s = deref(schema, root);
  const branches = (s["anyOf"] ?? s["oneOf"]) as JsonSchema[] | undefined;
  const type = s["type"];
  const types = Array.isArray(type) ? (type as string[]) : typeof type === "string" ? [type] : [];
  if (branches || types.length > 1) {
    const options: JsonSchema[] = branches ?? types.map((t) => ({ ...s, type: t }));
    const variants = options.map((b) => {
      const lt = literalTypeFromJsonSchema(b, root);
      return withTag(lt, tagForJsonSchema(deref(b, root)));
    });
    return { unionType: { variants } };
  }
  // mashumaro writes an Enum field as `{"enum": [...]}` with no type.
  if (types.length === 0 && Array.isArray(s["enum"]) && s["enum"].every((v) => typeof v === "string")) {
    return { enumType: { values: s["enum"] as string[] } };
  }
  switch (types[0]) {
    case "integer":
      return simpleType("INTEGER");
    case "number":
      return simpleType("FLOAT");
    case "string":
      return Array.isArray(s["enum"]) ? { enumType: { values: (s["enum"] as unknown[]).map(String) } } : simpleType("STRING");
    case "boolean":
      return simpleType("BOOLEAN");
    case "null":
      return simpleType("NONE");
    case "array":
      return { collectionType: literalTypeFromJsonSchema((s["items"] ?? {}) as JsonSchema, root) };
    case "object": {
      const properties = s["properties"] as Record<string, JsonSchema> | undefined;
      const additional = s["additionalProperties"];
      if (!properties && typeof additional === "object" && additional !== null) {
        return { mapValueType: literalTypeFromJsonSchema(additional as JsonSchema, root) };
      }
      return structLiteralType(s, root);
    }
    default:
      return { ...simpleType("STRUCT"), annotation: { annotations: toStruct(CACHE_KEY_ANNOTATION) } };
  }
}

function tagForJsonSchema(s: JsonSchema): string {
  const t = s["type"];
  const map: Record<string, string> = {
    integer: "int",
    number: "float",
    string: "str",
    boolean: "bool",
    null: "none",
    array: "Typed List",
    object: s["properties"] ? "Object-Dataclass-Transformer" : "Typed Dict",
  };
  return (typeof t === "string" ? map[t] : undefined) ?? "";
}

function deref(schema: JsonSchema, root: JsonSchema): JsonSchema {
  let s = schema;
  for (let hops = 0; typeof s["$ref"] === "string" && hops < 32; hops++) {
    const match = /^#\/(\$defs|definitions)\/(.+)$/.exec(s["$ref"] as string);
    const defs = (match ? root[match[1] as string] : undefined) as Record<string, JsonSchema> | undefined;
    s = (match && defs?.[decodeURIComponent(match[2] as string)]) || {};
  }
  return s;
}

function structLiteralType(schema: JsonSchema, root: JsonSchema): LiteralType {
  const properties = (schema["properties"] ?? {}) as Record<string, JsonSchema>;
  const fields = Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, literalTypeFromJsonSchema(v, root)]));
  return {
    ...simpleType("STRUCT"),
    metadata: toStruct(schema),
    annotation: { annotations: toStruct(CACHE_KEY_ANNOTATION) },
    structure: { dataclassType: fields },
  };
}

const SUBSCHEMA_MAPS = ["properties", "$defs", "definitions", "patternProperties"] as const;
const SUBSCHEMA_LISTS = ["anyOf", "oneOf", "allOf", "prefixItems"] as const;
const SUBSCHEMAS = ["items", "additionalProperties", "not", "propertyNames", "contains"] as const;

/**
 * A library's *output* JSON schema restated as flytekit writes a dataclass's (mashumaro's
 * `build_json_schema`), so that both mean the same and bind to each other:
 * - a property with a `default` is not `required` (an output schema lists every field, since parsing
 *   fills defaults in; mashumaro lists only the fields without one, and leaves out `required` when
 *   none is left);
 * - a type list (`type: ["number", "null"]`) becomes `anyOf: [{type: "number"}, {type: "null"}]`,
 *   as mashumaro writes `Optional[float]`.
 */
export function asMashumaroWrites(schema: JsonSchema): JsonSchema {
  const out: JsonSchema = { ...schema };
  for (const key of SUBSCHEMA_MAPS) {
    const map = out[key];
    if (isSchemaObject(map)) out[key] = Object.fromEntries(Object.entries(map).map(([k, v]) => [k, isSchemaObject(v) ? asMashumaroWrites(v) : v]));
  }
  for (const key of SUBSCHEMA_LISTS) {
    const list = out[key];
    if (Array.isArray(list)) out[key] = list.map((v: unknown) => (isSchemaObject(v) ? asMashumaroWrites(v) : v));
  }
  for (const key of SUBSCHEMAS) {
    const sub = out[key];
    if (isSchemaObject(sub)) out[key] = asMashumaroWrites(sub);
  }
  const properties = out["properties"];
  if (Array.isArray(out["required"]) && isSchemaObject(properties)) {
    const required = (out["required"] as unknown[]).filter((name) => {
      const property = properties[name as string];
      return !(isSchemaObject(property) && Object.hasOwn(property, "default"));
    });
    if (required.length) out["required"] = required;
    else delete out["required"];
  }
  const type = out["type"];
  if (Array.isArray(type) && type.length > 1) {
    // Keywords about the value (title, description, default) stay outside; those about one type go with it.
    const { type: _types, default: dflt, title, description, ...perType } = out;
    const branches = (type as string[]).map((t) => (t === "null" ? { type: t } : { type: t, ...perType }));
    return {
      ...(title !== undefined ? { title } : {}),
      ...(description !== undefined ? { description } : {}),
      anyOf: branches,
      ...(Object.hasOwn(out, "default") ? { default: dflt } : {}),
    };
  }
  return out;
}

const isSchemaObject = (v: unknown): v is JsonSchema => typeof v === "object" && v !== null && !Array.isArray(v);

function issuesFromResult(result: StandardSchemaV1.Result<unknown>, path: readonly (string | number)[], name: string): ValueIssue[] {
  if (!result.issues) return [];
  return result.issues.map((issue) => ({
    path: [...path, ...(issue.path ?? []).map((p) => (typeof p === "object" ? String(p.key) : typeof p === "symbol" ? String(p) : p))],
    expected: `${name}: ${issue.message}`,
    got: "a value that does not fit",
  }));
}

/**
 * A built-in object that is a value of another Flyte type, never a record of fields: a `Date` (a
 * datetime), bytes, a `Map`/`Set`, a `RegExp` or a `Promise`. Schema libraries accept any object for
 * a record whose fields all have defaults (zod fills the defaults in), so without this check
 * `union(struct(allDefaults), datetime())` would write a `Date` as a default-filled dataclass.
 */
function builtInNonRecord(value: unknown): boolean {
  return (
    value instanceof Date ||
    value instanceof ArrayBuffer ||
    ArrayBuffer.isView(value) ||
    value instanceof Map ||
    value instanceof Set ||
    value instanceof RegExp ||
    value instanceof Promise
  );
}

/**
 * A structured object described by any Standard JSON Schema (zod ≥ 4.2, valibot, arktype) — what a
 * Python dataclass or pydantic model is. The literal type is STRUCT with the JSON schema in
 * `metadata`, the fields in `structure.dataclass_type` and flytekit's msgpack cache-key annotation;
 * values are msgpack `Binary{tag: "msgpack"}` with float fields written as float64, exactly as
 * flytekit ≥ 1.14 writes them. Values are validated (and defaults applied) by the schema itself.
 */
export function struct<T>(schema: StructSchema<T>, options: StructOptions = {}): TypeDescriptor<T> {
  const { $schema: _dialect, ...output } = schema["~standard"].jsonSchema.output({ target: "draft-2020-12" }) as JsonSchema;
  const jsonSchema = asMashumaroWrites(output);
  if (options.title !== undefined) jsonSchema["title"] = options.title;
  const name = `struct<${options.title ?? (jsonSchema["title"] as string | undefined) ?? "object"}>`;
  const writer = new SchemaMsgpackWriter(jsonSchema);
  const validate = schema["~standard"].validate;

  const notARecord = (value: unknown, path: readonly (string | number)[]): ValueIssue[] =>
    builtInNonRecord(value) ? [{ path: [...path], expected: `${name}: an object of its fields`, got: describeValue(value) }] : [];

  const validated = (value: unknown, onValue: (v: T) => Literal | T): Literal | T | Promise<Literal | T> => {
    const result = validate(value);
    const finish = (r: StandardSchemaV1.Result<T>): Literal | T => {
      if (r.issues) throw new ValueTypeError(issuesFromResult(r, [], name));
      return onValue(r.value);
    };
    return result instanceof Promise ? result.then(finish) : finish(result);
  };

  return defineType<T>({
    name,
    tag: options.tag ?? "Object-Dataclass-Transformer",
    literalType: literalTypeFromJsonSchema(jsonSchema),
    check(value, path, issues) {
      const wrongKind = notARecord(value, path);
      if (wrongKind.length) {
        issues.push(...wrongKind);
        return;
      }
      const result = validate(value);
      // An async schema cannot be checked synchronously; conversion validates it.
      if (!(result instanceof Promise)) issues.push(...issuesFromResult(result, path, name));
    },
    toLiteral(value) {
      const wrongKind = notARecord(value, []);
      if (wrongKind.length) throw new ValueTypeError(wrongKind);
      return validated(value, (v) => binaryLiteral(writer.encode(v))) as Literal | Promise<Literal>;
    },
    fromLiteral(literal) {
      const payload = structPayload(literal);
      if (payload === undefined) throw new LiteralTypeError(`expected a msgpack binary or struct literal for ${name}, got ${describeLiteral(literal)}`);
      try {
        return validated(payload, (v) => v) as T | Promise<T>;
      } catch (error) {
        if (error instanceof ValueTypeError) throw new LiteralTypeError(`literal does not fit ${name}: ${error.message}`);
        throw error;
      }
    },
  });
}

/** A JSON object: what `t.json()` values are (a `Dict[str, Any]`-like value without a schema). */
export type JsonObject = { [key: string]: JsonValue };

function checkJson(value: unknown, path: (string | number)[], issues: ValueIssue[]): void {
  if (value === null || typeof value === "string" || typeof value === "boolean") return;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) issues.push({ path, expected: "a finite JSON number", got: describeValue(value) });
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => checkJson(v, [...path, i], issues));
    return;
  }
  if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [k, v] of Object.entries(value)) {
      if (k === "__proto__") issues.push({ path: [...path, k], expected: "a key other than __proto__ (readers would set a prototype)", got: "__proto__" });
      else checkJson(v, [...path, k], issues);
    }
    return;
  }
  issues.push({ path, expected: "a JSON value", got: describeValue(value) });
}

const untypedWriter = new SchemaMsgpackWriter(undefined);

// Made on first use: its literal type holds a protobuf Struct, and building one at import would load
// protobuf's JSON machinery into every task process.
let jsonType: TypeDescriptor<JsonObject> | undefined;
const makeJsonType = (): TypeDescriptor<JsonObject> => defineType<JsonObject>({
  name: "dict",
  tag: "Typed Dict",
  literalType: { ...simpleType("STRUCT"), annotation: { annotations: toStruct(CACHE_KEY_ANNOTATION) } },
  check(value, path, issues) {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      issues.push({ path, expected: "a JSON object", got: describeValue(value) });
      return;
    }
    checkJson(value, [...path], issues);
  },
  toLiteral(value) {
    const issues: ValueIssue[] = [];
    json().check(value, [], issues);
    if (issues.length) throw new ValueTypeError(issues);
    return binaryLiteral(untypedWriter.encode(value));
  },
  fromLiteral(literal) {
    const payload = structPayload(literal);
    if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
      throw new LiteralTypeError(`expected a msgpack binary or struct literal holding an object, got ${describeLiteral(literal)}`);
    }
    return payload as JsonObject;
  },
});

/** An untyped JSON object — Python's plain `dict`: STRUCT, msgpack `Binary` (or the older JSON `Struct`). */
export const json = (): TypeDescriptor<JsonObject> => (jsonType ??= makeJsonType());
