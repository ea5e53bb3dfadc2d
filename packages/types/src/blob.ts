import { basename, join } from "node:path";
import { flyteidl } from "@flytekit-ts/idl";
import type { TypeContext } from "./context.js";
import type { Literal, LiteralType, TypeDescriptor } from "./descriptor.js";
import { defineType } from "./define.js";
import { LiteralTypeError, describeValue, mismatch } from "./errors.js";
import { simpleType } from "./literal-types.js";
import { describeLiteral } from "./scalars.js";
import { isRemoteUri, localPathOf } from "./storage.js";


/** A file or directory: a local path (uploaded when it becomes a literal) or a remote URI (passed through). */
export interface FlytePath {
  readonly path: string;
}
/** A single file (`FlyteFile` in flytekit): what `t.file()` values are. */
export type FlyteFile = FlytePath;
/** A directory of files (`FlyteDirectory` in flytekit): what `t.directory()` values are. */
export type FlyteDirectory = FlytePath;

/** A structured dataset by reference: where its files are and their format. */
export interface StructuredDatasetRef {
  readonly uri: string;
  readonly format?: string;
}

const isPathValue = (v: unknown): v is FlytePath =>
  typeof v === "object" && v !== null && typeof (v as FlytePath).path === "string" && (v as FlytePath).path !== "";

/**
 * Random hex for unique upload paths, from the Web Crypto global: importing node:crypto would cost every
 * task process start-up time whether or not it moves a file.
 */
const randomHex = (bytes: number): string => Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(bytes))).toString("hex");

/** Where a local file or directory goes under the raw output prefix: `<prefix>/<random>/<name>`, as flytekit does. */
function uploadTarget(ctx: TypeContext, localPath: string): string {
  const prefix = ctx.rawOutputPrefix.replace(/\/+$/, "");
  return `${prefix}/${randomHex(16)}/${basename(localPath)}`;
}

async function ensureRemote(ctx: TypeContext, path: string): Promise<string> {
  if (isRemoteUri(path)) return path;
  const target = uploadTarget(ctx, path);
  await ctx.storage.upload(localPathOf(path), target);
  return target;
}

function blobType(format: string, dimensionality: number): LiteralType {
  return { blob: { format, dimensionality } };
}

function blobDescriptor(kind: "file" | "directory", format: string): TypeDescriptor<FlytePath> {
  const { SINGLE, MULTIPART } = flyteidl.core.BlobType.BlobDimensionality;
  const dimensionality = kind === "file" ? SINGLE : MULTIPART;
  const name = format ? `${kind}<${format}>` : kind;
  const expected = `a ${kind} ({ path: string })`;
  return defineType<FlytePath>({
    name,
    tag: kind === "file" ? "FlyteFilePath" : "FlyteDirectory",
    literalType: blobType(format, dimensionality),
    check(value, path, issues) {
      if (!isPathValue(value)) issues.push({ path, expected, got: describeValue(value) });
    },
    async toLiteral(value, ctx) {
      if (!isPathValue(value)) throw mismatch(expected, value);
      const uri = await ensureRemote(ctx, value.path);
      return { scalar: { blob: { metadata: { type: { format, dimensionality } }, uri } } };
    },
    fromLiteral(literal) {
      const blob = literal.scalar?.blob;
      if (!blob?.uri) throw new LiteralTypeError(`expected a ${kind} (blob) literal, got ${describeLiteral(literal)}`);
      return { path: blob.uri };
    },
  });
}

/** `FlyteFile` / `FlyteFile[format]`: a SINGLE blob. */
export const file = (options: { format?: string } = {}): TypeDescriptor<FlyteFile> => blobDescriptor("file", options.format ?? "");
/** `FlyteDirectory`: a MULTIPART blob whose URI is a prefix. */
export const directory = (options: { format?: string } = {}): TypeDescriptor<FlyteDirectory> =>
  blobDescriptor("directory", options.format ?? "");

/** Downloads a file or directory value to a local path under the context's work directory. */
export async function download(value: FlytePath, ctx: TypeContext): Promise<string> {
  // Local paths and file:// URIs are already on this machine.
  if (!isRemoteUri(value.path)) return localPathOf(value.path);
  const local = join(ctx.workDir, randomHex(8), basename(value.path.replace(/\/+$/, "")) || "data");
  await ctx.storage.download(value.path, local);
  return local;
}

/**
 * `StructuredDataset` (a dataframe by reference): the literal carries the URI, format and columns.
 * Columns are `{ name: descriptor }`; an empty set accepts any columns, as in flytekit.
 */
export function structuredDataset(
  options: { format?: string; columns?: Record<string, TypeDescriptor<unknown>> } = {},
): TypeDescriptor<StructuredDatasetRef> {
  const format = options.format ?? "";
  const columns = Object.entries(options.columns ?? {}).map(([name, d]) => ({ name, literalType: d.literalType }));
  const sdType = { columns, format };
  const expected = "a structured dataset ({ uri: string, format?: string })";
  const accepts = (v: unknown): v is StructuredDatasetRef =>
    typeof v === "object" && v !== null && typeof (v as StructuredDatasetRef).uri === "string" && (v as StructuredDatasetRef).uri !== "";
  return defineType<StructuredDatasetRef>({
    name: format ? `structured-dataset<${format}>` : "structured-dataset",
    tag: "StructuredDataset Transformer",
    literalType: { structuredDatasetType: sdType },
    check(value, path, issues) {
      if (!accepts(value)) issues.push({ path, expected, got: describeValue(value) });
    },
    async toLiteral(value, ctx) {
      if (!accepts(value)) throw mismatch(expected, value);
      const uri = await ensureRemote(ctx, value.uri);
      const literalFormat = value.format ?? format;
      return { scalar: { structuredDataset: { uri, metadata: { structuredDatasetType: { columns, format: literalFormat } } } } };
    },
    fromLiteral(literal) {
      const sd = literal.scalar?.structuredDataset;
      if (!sd?.uri) throw new LiteralTypeError(`expected a structured dataset literal, got ${describeLiteral(literal)}`);
      const f = sd.metadata?.structuredDatasetType?.format ?? "";
      return f ? { uri: sd.uri, format: f } : { uri: sd.uri };
    },
  });
}

const bytesType = defineType<Uint8Array>({
  name: "bytes",
  tag: "bytes",
  literalType: simpleType("BINARY"),
  check(value, path, issues) {
    if (!(value instanceof Uint8Array)) issues.push({ path, expected: "a Uint8Array", got: describeValue(value) });
  },
  toLiteral(value): Literal {
    if (!(value instanceof Uint8Array)) throw mismatch("a Uint8Array", value);
    return { scalar: { binary: { value, tag: "" } } };
  },
  fromLiteral(literal) {
    const binary = literal.scalar?.binary;
    if (!binary || (binary.tag ?? "") !== "") throw new LiteralTypeError(`expected an untagged binary literal, got ${describeLiteral(literal)}`);
    const value = binary.value ?? new Uint8Array();
    // protobufjs hands out Buffers on Node; users get a plain Uint8Array view of the same bytes.
    return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  },
});

/** Raw bytes: SimpleType BINARY, an untagged `Binary` scalar. */
export const bytes = (): TypeDescriptor<Uint8Array> => bytesType;
