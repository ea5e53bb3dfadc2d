import { Decoder } from "@msgpack/msgpack";
import { MsgpackDecodeError } from "./errors.js";

/**
 * A JSON schema, as Standard JSON Schema libraries produce it; only the keywords that decide how a
 * value is written are read here.
 */
export type JsonSchema = { [key: string]: unknown };

const encoder = new TextEncoder();

/**
 * A MessagePack writer directed by a JSON schema. It exists because msgpack libraries write every
 * integral number as an integer, while flytekit writes a dataclass's `float` fields as float64 even
 * when integral (`2.0` → `cb 40 00 …`); Python readers and cache keys see the difference. Where the
 * schema says `number`, numbers are written as float64; `integer` and unknown integral numbers as
 * the smallest integer format, as msgpack-python does. Reading uses @msgpack/msgpack.
 */
export class SchemaMsgpackWriter {
  private buffer = new Uint8Array(4096);
  private view = new DataView(this.buffer.buffer);
  private pos = 0;

  constructor(private readonly root: JsonSchema | undefined) {}

  encode(value: unknown): Uint8Array {
    this.pos = 0;
    this.write(value, this.root);
    return this.buffer.slice(0, this.pos);
  }

  private ensure(extra: number): void {
    if (this.pos + extra <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.pos + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buffer.subarray(0, this.pos));
    this.buffer = next;
    this.view = new DataView(next.buffer);
  }

  private byte(b: number): void {
    this.ensure(1);
    this.buffer[this.pos++] = b;
  }

  private write(value: unknown, schema: JsonSchema | undefined): void {
    const s = schema ? this.resolve(schema, value) : undefined;
    if (value === null || value === undefined) return this.byte(0xc0);
    if (typeof value === "boolean") return this.byte(value ? 0xc3 : 0xc2);
    if (typeof value === "number") {
      const declared = s?.["type"];
      const wantsFloat = declared === "number" || (Array.isArray(declared) && declared.includes("number") && !declared.includes("integer"));
      if (!wantsFloat && Number.isSafeInteger(value)) return this.writeInt(value);
      return this.writeFloat(value);
    }
    if (typeof value === "bigint") return this.writeBigInt(value);
    if (typeof value === "string") return this.writeString(value);
    if (value instanceof Uint8Array) return this.writeBinary(value);
    if (Array.isArray(value)) {
      this.writeHeader(value.length, 0x90, 0xdc, 0xdd, 16);
      const items = s?.["items"] as JsonSchema | undefined;
      const prefix = s?.["prefixItems"] as JsonSchema[] | undefined;
      value.forEach((item, i) => this.write(item, prefix?.[i] ?? items));
      return;
    }
    if (typeof value === "object") return this.writeObject(value as Record<string, unknown>, s);
    throw new TypeError(`cannot write ${typeof value} as msgpack`);
  }

  private writeObject(value: Record<string, unknown>, schema: JsonSchema | undefined): void {
    const properties = (schema?.["properties"] ?? {}) as Record<string, JsonSchema>;
    const additional = schema?.["additionalProperties"];
    // Own properties only: a key such as "valueOf" or "constructor" must not find Object.prototype's.
    // Fields in the schema's order (a dataclass's field order), then any others in the value's order.
    const keys = Object.keys(properties).filter((k) => Object.hasOwn(value, k) && value[k] !== undefined);
    for (const key of Object.keys(value)) if (!Object.hasOwn(properties, key) && value[key] !== undefined) keys.push(key);
    this.writeHeader(keys.length, 0x80, 0xde, 0xdf, 16);
    for (const key of keys) {
      this.writeString(key);
      const sub = Object.hasOwn(properties, key)
        ? properties[key]
        : typeof additional === "object" && additional !== null
          ? (additional as JsonSchema)
          : undefined;
      this.write(value[key], sub);
    }
  }

  /** Follows `$ref` and picks the `anyOf`/`oneOf` branch whose type matches the value. */
  private resolve(schema: JsonSchema, value: unknown): JsonSchema {
    let s = schema;
    for (let hops = 0; typeof s["$ref"] === "string" && hops < 32; hops++) s = this.lookup(s["$ref"]);
    const branches = (s["anyOf"] ?? s["oneOf"]) as JsonSchema[] | undefined;
    if (!branches) return s;
    const jsType = value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
    const fits = (b: JsonSchema): boolean => {
      const t = this.resolve(b, value)["type"];
      const types = Array.isArray(t) ? t : [t];
      if (jsType === "number") return types.includes("number") || types.includes("integer");
      if (jsType === "object") return types.includes("object");
      return types.includes(jsType);
    };
    const chosen = branches.find(fits);
    return chosen ? this.resolve(chosen, value) : s;
  }

  private lookup(ref: string): JsonSchema {
    const match = /^#\/(\$defs|definitions)\/(.+)$/.exec(ref);
    const defs = match ? ((this.root?.[match[1] as string] ?? {}) as Record<string, JsonSchema>) : {};
    return (match ? defs[decodeURIComponent(match[2] as string)] : undefined) ?? {};
  }

  private writeHeader(length: number, fix: number, short: number, long: number, fixLimit: number): void {
    if (length < fixLimit) return this.byte(fix | length);
    this.ensure(5);
    if (length < 0x10000) {
      this.buffer[this.pos++] = short;
      this.view.setUint16(this.pos, length);
      this.pos += 2;
    } else {
      this.buffer[this.pos++] = long;
      this.view.setUint32(this.pos, length);
      this.pos += 4;
    }
  }

  private writeInt(n: number): void {
    this.ensure(9);
    if (n >= 0) {
      if (n < 0x80) this.buffer[this.pos++] = n;
      else if (n < 0x100) {
        this.buffer[this.pos++] = 0xcc;
        this.buffer[this.pos++] = n;
      } else if (n < 0x10000) {
        this.buffer[this.pos++] = 0xcd;
        this.view.setUint16(this.pos, n);
        this.pos += 2;
      } else if (n < 0x100000000) {
        this.buffer[this.pos++] = 0xce;
        this.view.setUint32(this.pos, n);
        this.pos += 4;
      } else {
        this.buffer[this.pos++] = 0xcf;
        this.view.setBigUint64(this.pos, BigInt(n));
        this.pos += 8;
      }
    } else if (n >= -0x20) this.buffer[this.pos++] = n & 0xff;
    else if (n >= -0x80) {
      this.buffer[this.pos++] = 0xd0;
      this.view.setInt8(this.pos++, n);
    } else if (n >= -0x8000) {
      this.buffer[this.pos++] = 0xd1;
      this.view.setInt16(this.pos, n);
      this.pos += 2;
    } else if (n >= -0x80000000) {
      this.buffer[this.pos++] = 0xd2;
      this.view.setInt32(this.pos, n);
      this.pos += 4;
    } else {
      this.buffer[this.pos++] = 0xd3;
      this.view.setBigInt64(this.pos, BigInt(n));
      this.pos += 8;
    }
  }

  private writeBigInt(n: bigint): void {
    if (n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER)) return this.writeInt(Number(n));
    this.ensure(9);
    if (n > 0n) {
      if (n >= 2n ** 64n) throw new RangeError(`${n} does not fit in msgpack's uint64`);
      this.buffer[this.pos++] = 0xcf;
      this.view.setBigUint64(this.pos, n);
    } else {
      if (n < -(2n ** 63n)) throw new RangeError(`${n} does not fit in msgpack's int64`);
      this.buffer[this.pos++] = 0xd3;
      this.view.setBigInt64(this.pos, n);
    }
    this.pos += 8;
  }

  private writeFloat(n: number): void {
    this.ensure(9);
    this.buffer[this.pos++] = 0xcb;
    this.view.setFloat64(this.pos, n);
    this.pos += 8;
  }

  private writeString(s: string): void {
    // UTF-8 needs at most 3 bytes per UTF-16 unit: write after a header sized for that, then close the
    // gap if the real length needs a smaller header (msgpack-python always uses the smallest).
    const max = s.length * 3;
    this.ensure(max + 5);
    const reserved = stringHeaderSize(max);
    const start = this.pos + reserved;
    const { written } = encoder.encodeInto(s, this.buffer.subarray(start));
    const actual = stringHeaderSize(written);
    if (actual !== reserved) this.buffer.copyWithin(this.pos + actual, start, start + written);
    if (actual === 1) this.buffer[this.pos++] = 0xa0 | written;
    else if (actual === 2) {
      this.buffer[this.pos++] = 0xd9;
      this.buffer[this.pos++] = written;
    } else if (actual === 3) {
      this.buffer[this.pos++] = 0xda;
      this.view.setUint16(this.pos, written);
      this.pos += 2;
    } else {
      this.buffer[this.pos++] = 0xdb;
      this.view.setUint32(this.pos, written);
      this.pos += 4;
    }
    this.pos += written;
  }

  private writeBinary(bytes: Uint8Array): void {
    const n = bytes.length;
    this.ensure(n + 5);
    if (n < 0x100) {
      this.buffer[this.pos++] = 0xc4;
      this.buffer[this.pos++] = n;
    } else if (n < 0x10000) {
      this.buffer[this.pos++] = 0xc5;
      this.view.setUint16(this.pos, n);
      this.pos += 2;
    } else {
      this.buffer[this.pos++] = 0xc6;
      this.view.setUint32(this.pos, n);
      this.pos += 4;
    }
    this.buffer.set(bytes, this.pos);
    this.pos += n;
  }
}

const stringHeaderSize = (length: number): number => (length < 32 ? 1 : length < 0x100 ? 2 : length < 0x10000 ? 3 : 5);

const decoder = new Decoder({ useBigInt64: true });

/** Writes any JSON-like value as msgpack, integral numbers in the smallest integer format (msgpack-python's choice). */
export function encodeMsgpack(value: unknown): Uint8Array {
  return new SchemaMsgpackWriter(undefined).encode(value);
}

/**
 * Reads msgpack; 64-bit integers that fit a JS number exactly become numbers, the rest stay bigints.
 * Bytes that are not msgpack (truncated, trailing bytes, bad headers) throw a `MsgpackDecodeError`.
 */
export function decodeMsgpack(bytes: Uint8Array): unknown {
  let value: unknown;
  try {
    value = decoder.decode(bytes);
  } catch (cause) {
    throw new MsgpackDecodeError(bytes.byteLength, cause);
  }
  return normaliseIntegers(value);
}

function normaliseIntegers(value: unknown): unknown {
  if (typeof value === "bigint") {
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = normaliseIntegers(value[i]);
    return value;
  }
  if (typeof value === "object" && value !== null && !(value instanceof Uint8Array)) {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) record[key] = normaliseIntegers(record[key]);
  }
  return value;
}
