import { toProtoJson, type JsonValue, type MessageClass } from "@flytekit-ts/idl";

/**
 * A message as proto3 JSON with defaults left out, so that two messages compare equal exactly when
 * they carry the same content — whatever the field or map order of the bytes they came from.
 */
export function canonicalJson<T extends object>(cls: MessageClass<T>, message: object): JsonValue {
  return toProtoJson(cls, cls.fromObject(message as { [k: string]: unknown }) as T);
}

/** The JSON paths at which two values differ (maps compared by key, lists by position), at most `limit`. */
export function jsonDifferences(a: JsonValue | undefined, b: JsonValue | undefined, limit = 20, path = ""): string[] {
  const out: string[] = [];
  walk(a, b, path, out, limit);
  return out;
}

function walk(a: JsonValue | undefined, b: JsonValue | undefined, path: string, out: string[], limit: number): void {
  if (out.length >= limit) return;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) out.push(`${path || "."} (${a.length} vs ${b.length} items)`);
    for (let i = 0; i < Math.min(a.length, b.length); i++) walk(a[i], b[i], `${path}[${i}]`, out, limit);
    return;
  }
  if (isObject(a) && isObject(b)) {
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) walk(a[key], b[key], path ? `${path}.${key}` : key, out, limit);
    return;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) out.push(path || ".");
}

const isObject = (v: JsonValue | undefined): v is { [key: string]: JsonValue } => typeof v === "object" && v !== null && !Array.isArray(v);
