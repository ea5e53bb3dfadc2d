import { createServer, type Server } from "node:http";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StorageError, fromLiteral, localContext, t, toLiteral } from "@flytekit-ts/types";
import { RoutingStorage, gcsStorage, s3OptionsFromEnv, s3Storage, type GcsClientLike } from "../src/index.js";
import { confinedTarget } from "../src/object-keys.js";

/** Just enough of the S3 REST API (path-style PUT, GET, ListObjectsV2) to exercise the real AWS SDK, on 127.0.0.1. */
function fakeS3(): Promise<{ server: Server; endpoint: string; objects: Map<string, Buffer>; contentTypes: Map<string, string | undefined> }> {
  const objects = new Map<string, Buffer>();
  const contentTypes = new Map<string, string | undefined>();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const [, bucket, ...rest] = url.pathname.split("/");
    const key = decodeURIComponent(rest.join("/"));
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (req.method === "PUT") {
        objects.set(`${bucket}/${key}`, Buffer.concat(chunks));
        contentTypes.set(`${bucket}/${key}`, req.headers["content-type"]);
        res.writeHead(200, { ETag: '"x"' }).end();
      } else if (req.method === "GET" && url.searchParams.get("list-type") === "2") {
        const prefix = url.searchParams.get("prefix") ?? "";
        const keys = [...objects.keys()].filter((k) => k.startsWith(`${bucket}/${prefix}`)).map((k) => k.slice(`${bucket}/`.length)).sort();
        const contents = keys.map((k) => `<Contents><Key>${k}</Key><Size>${objects.get(`${bucket}/${k}`)?.length ?? 0}</Size></Contents>`).join("");
        res.writeHead(200, { "Content-Type": "application/xml" }).end(`<?xml version="1.0"?><ListBucketResult><Name>${bucket}</Name><Prefix>${prefix}</Prefix><KeyCount>${keys.length}</KeyCount><IsTruncated>false</IsTruncated>${contents}</ListBucketResult>`);
      } else if (req.method === "GET") {
        const body = objects.get(`${bucket}/${key}`);
        if (!body) res.writeHead(404, { "Content-Type": "application/xml" }).end("<Error><Code>NoSuchKey</Code><Message>missing</Message></Error>");
        else res.writeHead(200, { "Content-Length": body.length }).end(body);
      } else res.writeHead(405).end();
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => {
    const address = server.address();
    resolve({ server, endpoint: `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`, objects, contentTypes });
  }));
}

let s3: Awaited<ReturnType<typeof fakeS3>>;
beforeAll(async () => {
  s3 = await fakeS3();
});
afterAll(() => new Promise<void>((resolve) => s3.server.close(() => resolve())));

const client = () => s3Storage({ endpoint: s3.endpoint, forcePathStyle: true, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });

// The first test loads the AWS SDK, which takes seconds on a loaded machine.
describe("s3:// through the AWS SDK", { timeout: 60_000 }, () => {
  it("reads, writes and lists objects", async () => {
    const storage = await client();
    await storage.write("s3://bucket/a/inputs.pb", Uint8Array.of(1, 2, 3));
    expect([...(await storage.read("s3://bucket/a/inputs.pb"))]).toEqual([1, 2, 3]);
    expect(await storage.list("s3://bucket/a/")).toEqual(["s3://bucket/a/inputs.pb"]);
    await expect(storage.read("s3://bucket/missing")).rejects.toThrow(/s3: cannot access s3:\/\/bucket\/missing/);
  });

  it("stores deck.html as text/html, as flytekit does, so that the console shows it", async () => {
    const storage = await client();
    await storage.write("s3://bucket/n0/data/0/deck.html", new TextEncoder().encode("<p>deck</p>"));
    expect(s3.contentTypes.get("bucket/n0/data/0/deck.html")).toBe("text/html");
  });

  it("carries files and directories for the type engine", async () => {
    const storage = await client();
    const dir = mkdtempSync(join(tmpdir(), "flyte-ts-s3-"));
    mkdirSync(join(dir, "data", "sub"), { recursive: true });
    writeFileSync(join(dir, "data", "x.txt"), "X");
    writeFileSync(join(dir, "data", "sub", "y.txt"), "Y");
    const ctx = localContext({ storage: new RoutingStorage({ s3: async () => storage }), rawOutputPrefix: "s3://bucket/raw", workDir: join(dir, "work") });
    const literal = await toLiteral(t.directory(), { path: join(dir, "data") }, ctx);
    const uri = literal.scalar?.blob?.uri ?? "";
    expect(uri).toMatch(/^s3:\/\/bucket\/raw\/[0-9a-f]{32}\/data$/);
    expect(s3.objects.has(`${uri.slice("s3://".length)}/sub/y.txt`)).toBe(true);
    const back = await fromLiteral(t.directory(), literal, ctx);
    const local = join(dir, "down");
    await ctx.storage.download(back.path, local);
    expect(readFileSync(join(local, "sub", "y.txt"), "utf8")).toBe("Y");
  });
});

describe("gs:// through the Google Cloud SDK's client", () => {
  it("maps reads, writes and listing onto the client", async () => {
    const files = new Map<string, Buffer>();
    const types = new Map<string, string | undefined>();
    const fake: GcsClientLike = {
      bucket: (name) => ({
        file: (key) => ({
          download: async () => {
            const data = files.get(`${name}/${key}`);
            if (!data) throw new Error("No such object");
            return [data];
          },
          save: async (data, options) => {
            files.set(`${name}/${key}`, Buffer.from(data));
            types.set(`${name}/${key}`, options?.contentType);
          },
        }),
        getFiles: async ({ prefix }) => [[...files.keys()].filter((k) => k.startsWith(`${name}/${prefix}`)).map((k) => ({ name: k.slice(name.length + 1) }))],
      }),
    };
    const storage = await gcsStorage(fake);
    await storage.write("gs://b/x/outputs.pb", Uint8Array.of(9));
    expect([...(await storage.read("gs://b/x/outputs.pb"))]).toEqual([9]);
    expect(await storage.list("gs://b/x")).toEqual(["gs://b/x/outputs.pb"]);
    await expect(storage.read("gs://b/nope")).rejects.toThrow(StorageError);
    await storage.write("gs://b/x/deck.html", Uint8Array.of(60));
    expect([types.get("b/x/deck.html"), types.get("b/x/outputs.pb")]).toEqual(["text/html", undefined]);
  });
});

describe("routing", () => {
  it("names the scheme it has no backend for", async () => {
    await expect(new RoutingStorage({}).read("abfs://c/x")).rejects.toThrow(/no storage for abfs:\/\/ URIs/);
  });
});

/** Keys a hostile or careless bucket may hold under a directory's prefix, and why each is refused. */
const escapingKeys = [
  ["../escaped.txt", /a '\.\.' segment/],
  ["sub/../../escaped.txt", /a '\.\.' segment/],
  ["/etc/escaped.txt", /empty path segment/],
  ["a//b.txt", /empty path segment/],
  ["./a.txt", /a '\.' segment/],
  ["..\\escaped.txt", /backslash/],
] as const;

describe("object keys of a downloaded directory stay inside it", () => {
  it.each(escapingKeys)("s3: refuses the key %j before writing anything", async (bad, why) => {
    const storage = await client();
    const id = Math.random().toString(16).slice(2);
    // Set on the fake directly: the SDK and HTTP would normalise such a key on the way in.
    s3.objects.set(`bucket/evil-${id}/ok.txt`, Buffer.from("ok"));
    s3.objects.set(`bucket/evil-${id}/${bad}`, Buffer.from("pwned"));
    const root = mkdtempSync(join(tmpdir(), "flyte-ts-s3-keys-"));
    const target = join(root, "a", "b", "dir");
    const error = await storage.download(`s3://bucket/evil-${id}`, target).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as Error).message).toMatch(why);
    expect((error as Error).message).toContain(`s3://bucket/evil-${id}/${bad}`);
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(root, { recursive: true }).filter((f) => String(f).includes("escaped"))).toEqual([]);
  });

  it.each(escapingKeys)("gs: refuses the key %j", async (bad, why) => {
    const objects = new Map<string, Buffer>([
      ["dir/ok.txt", Buffer.from("ok")],
      [`dir/${bad}`, Buffer.from("pwned")],
    ]);
    const fake: GcsClientLike = {
      bucket: () => ({
        file: (key) => ({ download: async () => [objects.get(key) ?? Buffer.alloc(0)], save: async () => undefined }),
        getFiles: async ({ prefix }) => [[...objects.keys()].filter((k) => k.startsWith(prefix)).map((name) => ({ name }))],
      }),
    };
    const storage = await gcsStorage(fake);
    const target = join(mkdtempSync(join(tmpdir(), "flyte-ts-gs-keys-")), "dir");
    await expect(storage.download("gs://b/dir", target)).rejects.toThrow(why);
    expect(existsSync(target)).toBe(false);
  });

  it("downloads ordinary keys and skips directory markers", async () => {
    const storage = await client();
    s3.objects.set("bucket/markers/", Buffer.alloc(0));
    s3.objects.set("bucket/markers/sub/", Buffer.alloc(0));
    s3.objects.set("bucket/markers/sub/x.txt", Buffer.from("X"));
    const target = join(mkdtempSync(join(tmpdir(), "flyte-ts-s3-keys-")), "dir");
    await storage.download("s3://bucket/markers", target);
    expect(readFileSync(join(target, "sub", "x.txt"), "utf8")).toBe("X");
    expect(readdirSync(target, { recursive: true }).map(String).sort()).toEqual(["sub", join("sub", "x.txt")]);
  });

  it("confinedTarget resolves keys under the root only", () => {
    expect(confinedTarget("/tmp/root", "a/b.txt", "s3://b/k")).toBe(join("/tmp/root", "a", "b.txt"));
    expect(confinedTarget("/tmp/root", "a/", "s3://b/k")).toBeUndefined();
    expect(() => confinedTarget("/tmp/root", "a/\u0000b", "s3://b/k")).toThrow(/NUL/);
  });
});

describe("s3OptionsFromEnv: flytekit's FLYTE_AWS_* settings of a pod", () => {
  it("reads the Flyte sandbox's: an S3-compatible endpoint by path, its keys, a region the SDK needs", () => {
    const env = { FLYTE_AWS_ENDPOINT: "http://flyte-sandbox-minio.flyte:9000", FLYTE_AWS_ACCESS_KEY_ID: "minio", FLYTE_AWS_SECRET_ACCESS_KEY: "miniostorage" };
    expect(s3OptionsFromEnv(env)).toEqual({
      endpoint: "http://flyte-sandbox-minio.flyte:9000",
      forcePathStyle: true,
      region: "us-east-1",
      credentials: { accessKeyId: "minio", secretAccessKey: "miniostorage" },
    });
  });

  it("keeps the pod's own region and a virtual addressing style when they are given", () => {
    expect(s3OptionsFromEnv({ FLYTE_AWS_ENDPOINT: "https://s3.example.com", FLYTE_AWS_ADDRESSING_STYLE: "virtual", AWS_REGION: "eu-west-1" })).toEqual({
      endpoint: "https://s3.example.com",
      forcePathStyle: false,
    });
  });

  it("leaves everything to the AWS SDK when flytekit's settings are absent", () => {
    expect(s3OptionsFromEnv({ AWS_REGION: "us-west-2", AWS_ACCESS_KEY_ID: "a", AWS_SECRET_ACCESS_KEY: "b" })).toEqual({});
  });

  it("refuses half a pair of keys, naming both variables", () => {
    expect(() => s3OptionsFromEnv({ FLYTE_AWS_ACCESS_KEY_ID: "minio" })).toThrow("FLYTE_AWS_ACCESS_KEY_ID is set but FLYTE_AWS_SECRET_ACCESS_KEY is not");
    expect(() => s3OptionsFromEnv({ FLYTE_AWS_SECRET_ACCESS_KEY: "x" })).toThrow("FLYTE_AWS_SECRET_ACCESS_KEY is set but FLYTE_AWS_ACCESS_KEY_ID is not");
  });
});
