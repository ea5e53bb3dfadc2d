import $protobuf from "protobufjs/light.js";
import { ensureLoadedFor, root } from "./generated/flyteidl.js";

/**
 * What every generated message class offers; enough for code that is generic over message types
 * (decoding a file whose type is known only by name, proto3 JSON, gRPC serialisers).
 */
export interface MessageClass<T extends object = object> {
  // T is inferred from decode alone: it returns the full message type (class & shape).
  /** The message from its protobuf bytes. */
  decode(reader: Uint8Array | $protobuf.Reader, length?: number): T;
  /** Writes the message's protobuf bytes; `.finish()` on the result gives them. */
  encode(message: NoInfer<T>, writer?: $protobuf.Writer): $protobuf.Writer;
  /** A message from a plain object, converting what it can (strings to Longs, enum names to numbers). */
  fromObject(object: { [k: string]: unknown }): object;
  /** The message as a plain object, converted as the options say. */
  toObject(message: NoInfer<T>, options?: $protobuf.IConversionOptions): { [k: string]: unknown };
  /** Why a plain object is not a valid message, or `null` when it is. */
  verify(message: { [k: string]: unknown }): string | null;
  /** The message's type URL for a `google.protobuf.Any` (default prefix `type.googleapis.com`). */
  getTypeUrl(prefix?: string): string;
}

/** The reflected protobufjs type behind a generated message class. */
export function reflectedType(messageClass: MessageClass): $protobuf.Type {
  const type = (messageClass as { $type?: unknown }).$type;
  if (type instanceof $protobuf.Type) return type;
  if ((messageClass as unknown) instanceof $protobuf.Type) return messageClass as unknown as $protobuf.Type;
  throw new TypeError("expected a message class of @flytekit-ts/idl, such as flyteidl.admin.TaskSpec");
}

/**
 * The message class for a fully qualified protobuf name, e.g. `"flyteidl.admin.TaskSpec"` (a leading
 * dot is allowed). Throws, naming the type, when the IDL has no such message.
 */
export function messageClass(fullName: string): MessageClass {
  const name = fullName.startsWith(".") ? fullName.slice(1) : fullName;
  ensureLoadedFor(name);
  const found = root.lookup(name);
  if (!(found instanceof $protobuf.Type)) {
    throw new Error(`no protobuf message named "${name}" in flyteidl`);
  }
  return found.ctor as unknown as MessageClass;
}

/** Encodes a message to bytes: `X.encode(m).finish()` in one call. */
export function encodeMessage<T extends object>(cls: MessageClass<T>, message: T): Uint8Array {
  return cls.encode(message).finish();
}

/**
 * A new protobuf writer: for writing several messages, or a message field by field, into one buffer
 * (`X.encode(m, writer)`, `X.encodeDelimited(m, writer)`, then `writer.finish()` once).
 */
export function createWriter(): $protobuf.Writer {
  return $protobuf.Writer.create();
}
