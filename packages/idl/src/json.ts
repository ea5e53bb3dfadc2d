import protojson from "protobufjs/ext/protojson.js";
import { anyTypeBuilt, closeBuiltTypes, loadAllPackages } from "./generated/flyteidl.js";
import { reflectedType, type MessageClass } from "./message.js";

/**
 * The reflected type of a message about to be converted. protojson resolves every built type first, so
 * what they refer to is built too; a `google.protobuf.Any` can hold any message, so once a type that may
 * hold one exists, all are built.
 */
function jsonType(cls: MessageClass) {
  const type = reflectedType(cls);
  closeBuiltTypes();
  if (anyTypeBuilt()) loadAllPackages();
  return type;
}

/** A value that proto3 JSON can produce: what `JSON.parse` returns. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** How strictly `fromProtoJson` reads. */
export interface FromProtoJsonOptions {
  /** Skip object members and enum names the schema does not know instead of failing (default false). */
  ignoreUnknownFields?: boolean;
}

/**
 * Parses proto3 JSON (https://protobuf.dev/programming-guides/json/) into a message: camelCase or
 * original field names, enum names or numbers, 64-bit integers as strings, well-known types in their
 * JSON forms (`"3.5s"`, RFC 3339 timestamps, Struct as plain JSON). Unknown fields are an error unless
 * `ignoreUnknownFields` is set.
 */
export function fromProtoJson<T extends object>(cls: MessageClass<T>, json: unknown, options: FromProtoJsonOptions = {}): T {
  return protojson.fromJson(jsonType(cls), json, options) as unknown as T;
}

/** Like {@link fromProtoJson}, from JSON text. */
export function fromProtoJsonString<T extends object>(cls: MessageClass<T>, text: string, options: FromProtoJsonOptions = {}): T {
  return protojson.fromJsonString(jsonType(cls), text, options) as unknown as T;
}

/** Renders a message as proto3 JSON (defaults omitted, camelCase names, int64 as strings). */
export function toProtoJson<T extends object>(cls: MessageClass<T>, message: T): JsonValue {
  return protojson.toJson(jsonType(cls), message) as JsonValue;
}

/** Like {@link toProtoJson}, as JSON text. */
export function toProtoJsonString<T extends object>(cls: MessageClass<T>, message: T): string {
  return protojson.toJsonString(jsonType(cls), message);
}
