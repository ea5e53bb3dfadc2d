/**
 * The s3:// storage against a real S3 server — the MinIO of the local Flyte control plane (`pnpm
 * flyte:up`) — instead of the loopback fake in cloud.test.ts. Run by `pnpm test:integration`.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { fromLiteral, localContext, t, toLiteral, type Storage } from "@flytekit-ts/types";
import { defaultCloudFactories, RoutingStorage, s3Storage } from "../src/index.js";
import { sandbox } from "../../../integration/test/support/sandbox.js";

const bucket = `runtime-${Date.now().toString(36)}`;
let storage: Storage;
let dir: string;

beforeAll(async () => {
  const { s3 } = sandbox();
  const options = { endpoint: s3.endpoint, region: s3.region, forcePathStyle: true, credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } };
  await new S3Client(options).send(new CreateBucketCommand({ Bucket: bucket }));
  storage = await s3Storage(options);
  dir = mkdtempSync(join(tmpdir(), "flyte-ts-minio-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("s3:// on a real S3 server (MinIO)", () => {
  it("writes, reads and lists objects; a missing key is a StorageError naming the URI", async () => {
    await storage.write(`s3://${bucket}/a/inputs.pb`, Uint8Array.of(1, 2, 3));
    await storage.write(`s3://${bucket}/a/b/outputs.pb`, new Uint8Array(3 * 1024 * 1024).fill(7));
    expect([...(await storage.read(`s3://${bucket}/a/inputs.pb`))]).toEqual([1, 2, 3]);
    expect((await storage.read(`s3://${bucket}/a/b/outputs.pb`)).byteLength).toBe(3 * 1024 * 1024);
    expect((await storage.list(`s3://${bucket}/a/`)).sort()).toEqual([`s3://${bucket}/a/b/outputs.pb`, `s3://${bucket}/a/inputs.pb`]);
    await expect(storage.read(`s3://${bucket}/missing`)).rejects.toThrow(new RegExp(`s3: cannot access s3://${bucket}/missing`));
  });

  it("reaches the store from flytekit's FLYTE_AWS_* settings alone, as in the Flyte sandbox's task pods", async () => {
    const { s3 } = sandbox();
    // The sandbox gives task pods FLYTE_AWS_ENDPOINT / _ACCESS_KEY_ID / _SECRET_ACCESS_KEY and nothing else.
    const saved = { ...process.env };
    for (const name of Object.keys(process.env)) if (name.startsWith("AWS_")) delete process.env[name];
    Object.assign(process.env, { FLYTE_AWS_ENDPOINT: s3.endpoint, FLYTE_AWS_ACCESS_KEY_ID: s3.accessKeyId, FLYTE_AWS_SECRET_ACCESS_KEY: s3.secretAccessKey, AWS_SHARED_CREDENTIALS_FILE: join(dir, "none"), AWS_CONFIG_FILE: join(dir, "none") });
    try {
      const fromEnv = await defaultCloudFactories.s3();
      await fromEnv.write(`s3://${bucket}/env/outputs.pb`, Uint8Array.of(4, 2));
      expect([...(await storage.read(`s3://${bucket}/env/outputs.pb`))]).toEqual([4, 2]);
      expect([...(await fromEnv.read(`s3://${bucket}/a/inputs.pb`))]).toEqual([1, 2, 3]);
    } finally {
      for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
      Object.assign(process.env, saved);
    }
  });

  it("lists past one page (more than 1000 keys)", async () => {
    const { s3 } = sandbox();
    const client = new S3Client({ endpoint: s3.endpoint, region: s3.region, forcePathStyle: true, credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } });
    const keys = Array.from({ length: 1005 }, (_, i) => `many/${String(i).padStart(4, "0")}`);
    for (let i = 0; i < keys.length; i += 50) {
      await Promise.all(keys.slice(i, i + 50).map((Key) => client.send(new PutObjectCommand({ Bucket: bucket, Key, Body: "x" }))));
    }
    const listed = await storage.list(`s3://${bucket}/many/`);
    expect(listed).toHaveLength(1005);
    expect(new Set(listed)).toEqual(new Set(keys.map((k) => `s3://${bucket}/${k}`)));
  });

  it("carries files and directories for the type engine", async () => {
    mkdirSync(join(dir, "data", "sub"), { recursive: true });
    writeFileSync(join(dir, "data", "x.txt"), "X");
    writeFileSync(join(dir, "data", "sub", "y.txt"), "Y");
    const ctx = localContext({ storage: new RoutingStorage({ s3: async () => storage }), rawOutputPrefix: `s3://${bucket}/raw`, workDir: join(dir, "work") });
    const literal = await toLiteral(t.directory(), { path: join(dir, "data") }, ctx);
    const uri = literal.scalar?.blob?.uri ?? "";
    expect(uri).toMatch(new RegExp(`^s3://${bucket}/raw/[0-9a-f]{32}/data$`));
    expect((await storage.list(`${uri}/`)).sort()).toEqual([`${uri}/sub/y.txt`, `${uri}/x.txt`]);
    const back = await fromLiteral(t.directory(), literal, ctx);
    const local = join(dir, "down");
    await ctx.storage.download(back.path, local);
    expect(readFileSync(join(local, "sub", "y.txt"), "utf8")).toBe("Y");
    expect(readFileSync(join(local, "x.txt"), "utf8")).toBe("X");

    const file = await toLiteral(t.file(), { path: join(dir, "data", "x.txt") }, ctx);
    const fileBack = await fromLiteral(t.file(), file, ctx);
    await ctx.storage.download(fileBack.path, join(dir, "x-back.txt"));
    expect(readFileSync(join(dir, "x-back.txt"), "utf8")).toBe("X");
  });
});
