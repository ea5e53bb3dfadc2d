import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { flyteidl, toProtoJson } from "@flytekit-ts/idl";
import { LocalStorage, StorageError, download, fromLiteral, fromLiteralMap, localContext, t, toLiteral, type Literal, type Storage } from "../src/index.js";

const scratch = () => mkdtempSync(join(tmpdir(), "flytekit-ts-types-"));

describe("files, directories and datasets", () => {
  it("upload a local file under the raw output prefix and read back its URI", async () => {
    const dir = scratch();
    const local = join(dir, "data.csv");
    writeFileSync(local, "a,b\n1,2\n");
    const ctx = localContext({ rawOutputPrefix: join(dir, "raw"), workDir: join(dir, "work") });
    const literal = await toLiteral(t.file({ format: "csv" }), { path: local }, ctx);
    const uri = literal.scalar?.blob?.uri ?? "";
    expect(uri).toMatch(new RegExp(`^${join(dir, "raw")}/[0-9a-f]{32}/data\\.csv$`));
    expect(readFileSync(uri, "utf8")).toBe("a,b\n1,2\n");
    expect(toProtoJson(flyteidl.core.BlobMetadata, flyteidl.core.BlobMetadata.fromObject(literal.scalar?.blob?.metadata as { [k: string]: unknown }))).toEqual({
      type: { format: "csv" },
    });
    const back = await fromLiteral(t.file({ format: "csv" }), literal, ctx);
    expect(back).toEqual({ path: uri });
  });

  it("pass remote URIs through untouched", async () => {
    const literal = await toLiteral(t.file(), { path: "s3://bucket/key.txt" });
    expect(literal.scalar?.blob?.uri).toBe("s3://bucket/key.txt");
  });

  it("upload directories recursively as MULTIPART blobs and download them again", async () => {
    const dir = scratch();
    mkdirSync(join(dir, "in", "sub"), { recursive: true });
    writeFileSync(join(dir, "in", "a.txt"), "A");
    writeFileSync(join(dir, "in", "sub", "b.txt"), "B");
    const ctx = localContext({ rawOutputPrefix: join(dir, "raw"), workDir: join(dir, "work") });
    const literal = await toLiteral(t.directory(), { path: join(dir, "in") }, ctx);
    expect(literal.scalar?.blob?.metadata?.type?.dimensionality).toBe(flyteidl.core.BlobType.BlobDimensionality.MULTIPART);
    const listed = await ctx.storage.list(literal.scalar?.blob?.uri ?? "");
    expect(listed.map((p) => p.split("/").slice(-2).join("/"))).toEqual(["in/a.txt", "sub/b.txt"]);
    const local = await download({ path: `file://${literal.scalar?.blob?.uri ?? ""}` }, ctx);
    expect(local).toBe(literal.scalar?.blob?.uri);
    expect(readFileSync(join(local, "sub", "b.txt"), "utf8")).toBe("B");
    // A remote URI is copied into the work directory through the context's storage.
    const copied = await download({ path: `s3://bucket${literal.scalar?.blob?.uri ?? ""}` }, {
      ...ctx,
      storage: Object.assign(new LocalStorage(), {
        download: (uri: string, to: string) => new LocalStorage().download(uri.replace("s3://bucket", ""), to),
      }),
    });
    expect(copied.startsWith(join(dir, "work"))).toBe(true);
    expect(readFileSync(join(copied, "sub", "b.txt"), "utf8")).toBe("B");
  });

  it("carry structured datasets by reference with format and columns", async () => {
    const type = t.structuredDataset({ format: "parquet", columns: { a: t.int() } });
    const literal = await toLiteral(type, { uri: "gs://b/df" });
    expect(literal.scalar?.structuredDataset?.metadata?.structuredDatasetType?.columns?.[0]?.name).toBe("a");
    expect(await fromLiteral(type, literal)).toEqual({ uri: "gs://b/df", format: "parquet" });
  });

  it("explain a storage failure, naming the URI", async () => {
    await expect(new LocalStorage().read("/definitely/not/here")).rejects.toThrow(StorageError);
    await expect(new LocalStorage().read("/definitely/not/here")).rejects.toThrow(/cannot access \/definitely\/not\/here/);
  });
});

describe("offloaded literals", () => {
  it("are fetched through storage and read as the literal they stand for", async () => {
    const dir = scratch();
    const big = await toLiteral(t.list(t.int()), [1, 2, 3]);
    const uri = join(dir, "offloaded.pb");
    writeFileSync(uri, flyteidl.core.Literal.encode(flyteidl.core.Literal.fromObject(big as { [k: string]: unknown })).finish());
    const offloaded: Literal = { offloadedMetadata: { uri, sizeBytes: 30, inferredType: t.list(t.int()).literalType } };
    expect(await fromLiteral(t.list(t.int()), offloaded)).toEqual([1, 2, 3]);
    expect(await fromLiteralMap({ xs: t.list(t.int()) }, { literals: { xs: offloaded } })).toEqual({ xs: [1, 2, 3] });
  });

  it("go through the context's storage, so any backend works", async () => {
    const reads: string[] = [];
    const memory: Storage = {
      handles: () => true,
      read: async (uri) => {
        reads.push(uri);
        return flyteidl.core.Literal.encode({ scalar: { primitive: { stringValue: "from memory" } } }).finish();
      },
      write: async () => undefined,
      upload: async () => undefined,
      download: async () => undefined,
      list: async () => [],
    };
    const ctx = { ...localContext(), storage: memory };
    expect(await fromLiteral(t.string(), { offloadedMetadata: { uri: "mem://x" } }, ctx)).toBe("from memory");
    expect(reads).toEqual(["mem://x"]);
  });
});
