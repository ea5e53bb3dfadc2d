import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import Long from "long";
import $protobuf from "protobufjs/light.js";
import { describe, expect, it, vi } from "vitest";
import { closeBuiltTypes, precompiledCodecs } from "../src/generated/flyteidl.js";
import { ensureLoadedFor, flyteidl, messageClass, messageTypeForFile, reflectedType, root } from "../src/index.js";
import { conformanceIndex, conformancePath, sharedDir } from "./shared.js";

// The codecs generated ahead of time (decision 0090) must be exactly what protobufjs generates at run time
// for the types as this module builds them, and must read and write exactly the same bytes and messages.
const { Type, Enum, Reader, Writer, util, encoder, decoder } = $protobuf;
const hot = Object.keys(precompiledCodecs);

/** protobufjs' own constructor generator (the runtime prefers the precompiled constructors). */
const generateConstructor = (Type.generateConstructor as { protobufjs?: (type: $protobuf.Type) => $protobuf.Codegen }).protobufjs;

/** A type as the runtime sets it up (its chunk and those its fields refer to built), features resolved. */
function setUp(name: string): $protobuf.Type {
  ensureLoadedFor(name);
  const type = root.lookupType(name);
  type.setup();
  // protobufjs resolves the root's features before it generates a codec (precompiled ones were generated
  // after it); resolving it needs what every built type refers to.
  closeBuiltTypes();
  root.resolveAll();
  return type;
}

interface Codec {
  encode(message: object, writer?: $protobuf.Writer, depth?: number): $protobuf.Writer;
  decode(reader: $protobuf.Reader, length?: number): object;
}

/**
 * The codecs protobufjs generates at run time for a type and, through its `types`, for every message type
 * it reaches: none of them precompiled, the reference the precompiled ones are held to.
 */
function runTimeCodecs(type: $protobuf.Type, made = new Map<$protobuf.Type, Codec>()): Codec {
  const known = made.get(type);
  if (known) return known;
  const codec = {} as Codec;
  made.set(type, codec);
  setUp(type.fullName.slice(1));
  const types = type.fieldsArray.map((field) => {
    const resolved = field.resolve().resolvedType;
    return resolved instanceof Type ? runTimeCodecs(resolved, made) : resolved;
  });
  codec.encode = encoder(type)({ Writer, types, util }) as Codec["encode"];
  codec.decode = decoder(type)({ Reader, types, util, C: type.ctor }) as Codec["decode"];
  return codec;
}

/** A reader that keeps unknown fields, as the message classes' `decode` does. */
function reader(bytes: Uint8Array): $protobuf.Reader {
  const r = Reader.create(bytes);
  r.discardUnknown = false;
  return r;
}

/**
 * Decodes with the installed codecs and with run-time generated ones, and re-encodes what each decoded:
 * the messages, and the bytes written and read, must all be the same.
 */
function expectSameCodecs(typeName: string, bytes: Uint8Array): void {
  const type = setUp(typeName);
  const generated = runTimeCodecs(type);
  const installed = type.decode(reader(bytes));
  const reference = generated.decode(reader(bytes));
  expect(installed).toStrictEqual(reference);
  const written = type.encode(installed).finish();
  expect(Buffer.from(written).equals(Buffer.from(generated.encode(reference).finish()))).toBe(true);
  expect(Buffer.from(written).equals(Buffer.from(bytes))).toBe(true);
}

/**
 * A message of the type with every field set: maps and lists with two entries, nested messages to the
 * given depth, and of each oneof the member `variant` picks (one, so that the message re-encodes as is).
 */
function everyFieldSet(type: $protobuf.Type, depth: number, variant: number, seed = 1): Record<string, unknown> {
  const message: Record<string, unknown> = {};
  for (const field of type.fieldsArray) {
    const oneof = field.partOf;
    if (oneof && oneof.fieldsArray[variant % oneof.fieldsArray.length] !== field) continue;
    const value = (n: number): unknown => {
      const resolved = field.resolve().resolvedType;
      if (resolved instanceof Type) return depth > 0 ? everyFieldSet(resolved, depth - 1, variant, seed + n + 1) : {};
      if (resolved instanceof Enum) return Object.values(resolved.values).at(-1);
      return scalar(field.type, seed * 31 + field.id + n);
    };
    if (field.map) {
      const keyType = (field as unknown as $protobuf.MapField).keyType;
      const keys = keyType === "string" ? ["k1", "k2"] : keyType === "bool" ? ["true", "false"] : ["7", "11"];
      message[field.name] = Object.fromEntries(keys.map((key, n) => [key, value(n)]));
    } else if (field.repeated) message[field.name] = [value(0), value(1)];
    else message[field.name] = value(0);
  }
  return message;
}

function scalar(type: string, n: number): unknown {
  switch (type) {
    case "string":
      return `s${n}-é`;
    case "bytes":
      return Uint8Array.of(n & 255, 0, 255);
    case "bool":
      return true;
    case "double":
      return n + 0.25;
    case "float":
      return n + 0.5;
    case "int64":
    case "sint64":
    case "sfixed64":
      return Long.fromNumber(-n * 1_000_003_000_001);
    case "uint64":
    case "fixed64":
      return Long.fromNumber(n * 1_000_003_000_001, true);
    case "int32":
    case "sint32":
    case "sfixed32":
      return -n;
    default:
      return n;
  }
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

// First in the file, before anything resolves the root's features itself.
describe("codecs protobufjs generates at run time", () => {
  it("see the protos' features, resolved just before they are generated: bytes as the official protobuf writes them", () => {
    // proto3: a scalar at its default is not written (implicit presence); repeated enums are packed.
    expect([...flyteidl.core.RetryStrategy.encode({ retries: 0 }).finish()]).toEqual([]);
    expect([...flyteidl.core.RetryStrategy.encode({ retries: 3 }).finish()]).toEqual([40, 3]);
    expect([...flyteidl.admin.Notification.encode({ phases: [1, 2] }).finish()]).toEqual([10, 2, 1, 2]);
  });
});

describe("precompiled codecs", () => {
  // Early in the file: this file's module graph is fresh, so no hot type has been set up yet.
  it("are what a task's literals are read and written with: nothing is generated at run time", () => {
    const codegen = vi.spyOn(util, "codegen");
    try {
      const { LiteralMap, ErrorDocument } = flyteidl.core;
      const inputs = { literals: { a: { scalar: { primitive: { integer: 1 } } }, b: { collection: { literals: [{ scalar: { primitive: { stringValue: "x" } } }] } } } };
      const decoded = LiteralMap.decode(LiteralMap.encode(inputs).finish());
      expect(decoded.literals["b"]?.collection?.literals?.[0]?.scalar?.primitive?.stringValue).toBe("x");
      ErrorDocument.encode({ error: { code: "USER", message: "boom", kind: flyteidl.core.ContainerError.Kind.NON_RECOVERABLE } }).finish();
      expect(codegen).not.toHaveBeenCalled();
      // A type without precompiled codecs falls back to protobufjs generating them.
      const template = flyteidl.core.TaskTemplate.decode(flyteidl.core.TaskTemplate.encode({ id: { name: "t" } }).finish());
      expect(template.id?.name).toBe("t");
      expect(codegen).toHaveBeenCalled();
    } finally {
      codegen.mockRestore();
    }
  });

  it("cover the entrypoint's messages and every message type they reach", () => {
    expect(hot).toEqual(expect.arrayContaining(["flyteidl.core.LiteralMap", "flyteidl.core.Literal", "flyteidl.core.Scalar", "flyteidl.core.Primitive", "flyteidl.core.ErrorDocument", "google.protobuf.Struct"]));
    for (const name of hot) {
      for (const field of setUp(name).fieldsArray) {
        const resolved = field.resolve().resolvedType;
        if (resolved instanceof Type) expect(hot, `${name}.${field.name}`).toContain(resolved.fullName.slice(1));
      }
    }
    expect(precompiledCodecs["flyteidl.core.LiteralMap"]?.decode).toBeTypeOf("function");
    expect(precompiledCodecs["flyteidl.core.ErrorDocument"]?.encode).toBeTypeOf("function");
  });

  // A drift here means the generated module no longer matches protobufjs or the descriptor: regenerate it.
  // (The module's text is read: the functions the tests import have been through vitest's transform.)
  const moduleText = readFileSync(new URL("../src/generated/flyteidl.js", import.meta.url), "utf8");
  const table = moduleText.slice(moduleText.indexOf("export const precompiledCodecs = {"));
  it.each(hot)("%s: each is the source protobufjs generates for the type as built at run time", (name) => {
    const type = setUp(name);
    const codecs = precompiledCodecs[name];
    if (!codecs || !generateConstructor) throw new Error(`no precompiled codecs for ${name}, or protobufjs' generator is not reachable`);
    const start = table.indexOf(`\n${JSON.stringify(name)}: {\n`);
    expect(start).toBeGreaterThan(0);
    const entry = table.slice(start + 1, table.indexOf("\n},", start) + 3);
    const expected = [
      `${JSON.stringify(name)}: {`,
      `  ctor: function () { return ${generateConstructor(type).toString()}; },`,
      ...(codecs.encode ? [`  encode: function (Writer, types, util) { return ${encoder(type).toString()}; },`] : []),
      ...(codecs.decode ? [`  decode: function (Reader, types, util, C) { return ${decoder(type).toString()}; },`] : []),
      "},",
    ].join("\n");
    expect(entry).toBe(expected);
    expect(codecs.encode ?? codecs.decode).toBeDefined();
  });

  it.each(hot)("%s: messages with every field set (each oneof member in turn) read and write as with run-time generated codecs", (name) => {
    const type = setUp(name);
    const generated = runTimeCodecs(type);
    const variants = Math.max(1, ...type.oneofsArray.map((oneof) => oneof.fieldsArray.length));
    for (let variant = 0; variant < variants; variant++) {
      const message = everyFieldSet(type, 2, variant);
      const bytes = type.encode(message).finish();
      if (type.fieldsArray.length > 0) expect(bytes.length).toBeGreaterThan(0);
      expect(Buffer.from(bytes).equals(Buffer.from(generated.encode(message).finish()))).toBe(true);
      expectSameCodecs(name, bytes);
    }
  });

  const binaries = conformanceIndex.filter((e) => e.format === "pb");
  it.each(binaries.map((e) => [e.file, e.messageType] as const))("%s reads and writes as with run-time generated codecs", (file, typeName) => {
    expectSameCodecs(typeName, readFileSync(conformancePath(file)));
  });

  const goldenDir = join(sharedDir, "golden", "flytekit");
  const goldens = walk(goldenDir).filter((p) => p.endsWith(".pb"));
  it.each(goldens.map((p) => [p.slice(goldenDir.length + 1), p] as const))("flytekit's %s reads and writes as with run-time generated codecs", (_, path) => {
    const typeName = messageTypeForFile(path);
    if (!typeName) throw new Error(`no known message type for ${path}`);
    expectSameCodecs(typeName, readFileSync(path));
  });

  it("are used only for this module's own types", () => {
    // Another root on the same protobufjs with a type of the same name but other fields keeps its own codecs.
    const other = $protobuf.Root.fromJSON({ nested: { flyteidl: { nested: { core: { nested: { LiteralMap: { fields: { note: { type: "string", id: 1 } } } } } } } } });
    const LiteralMap = other.lookupType("flyteidl.core.LiteralMap");
    const bytes = LiteralMap.encode({ note: "x" }).finish();
    expect([...bytes]).toEqual([10, 1, 120]);
    expect(LiteralMap.decode(bytes)).toMatchObject({ note: "x" });
    expect(reflectedType(messageClass("flyteidl.core.LiteralMap")).root).toBe(root);
  });
});
