import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { serializationContext } from "@flytekit-ts/compiler";
import { downloadThroughDataProxy, readTar, type AdminClient, type FlyteRemote } from "@flytekit-ts/remote";
import { IMAGE, adminClient, echo, remote, uniqueVersion } from "./support/remote.js";
import { sandbox } from "./support/sandbox.js";

let client: AdminClient;
let flyte: FlyteRemote;
let source: string;
beforeAll(() => {
  client = adminClient();
  flyte = remote(client);
  source = mkdtempSync(join(tmpdir(), "flyte-ts-fast-"));
  mkdirSync(join(source, "lib"));
  writeFileSync(join(source, "main.ts"), "export const answer = 42;\n");
  writeFileSync(join(source, "lib", "data.json"), JSON.stringify({ bytes: [...Array(2048).keys()] }));
});
afterAll(() => {
  client.close();
  rmSync(source, { recursive: true, force: true });
});

function s3(): S3Client {
  const { s3: store } = sandbox();
  return new S3Client({
    endpoint: store.endpoint,
    region: store.region,
    forcePathStyle: true,
    credentials: { accessKeyId: store.accessKeyId, secretAccessKey: store.secretAccessKey },
  });
}

describe("fast registration through the real data proxy", () => {
  it("uploads the source archive to a signed URL in the object store; it reads back identical, and the tasks fetch it", async () => {
    const version = uniqueVersion("fast");
    const result = await flyte.register([echo], serializationContext({ image: IMAGE }), { version, fast: { root: source, destDir: "/root" } });
    const distribution = result.distribution;
    expect(distribution?.distribution).toMatch(new RegExp(`^s3://${sandbox().s3.bucket}/`));
    expect(distribution?.fileName).toMatch(/^fast[0-9a-f]{32}\.tar\.gz$/);

    // Straight from MinIO, with the S3 API…
    const url = new URL(distribution?.distribution ?? "");
    const object = await s3().send(new GetObjectCommand({ Bucket: url.host, Key: url.pathname.slice(1) }));
    const stored = await object.Body?.transformToByteArray();
    // …and through the data proxy's signed download link: the same bytes, an archive of the source.
    const viaProxy = await downloadThroughDataProxy(client, distribution?.distribution ?? "");
    expect(Buffer.from(viaProxy).equals(Buffer.from(stored ?? []))).toBe(true);
    const files = readTar(viaProxy);
    expect(files.map((f) => f.path).sort()).toEqual(["lib/data.json", "main.ts"]);
    expect(Buffer.from(files.find((f) => f.path === "main.ts")?.data ?? []).toString()).toBe("export const answer = 42;\n");

    // The registered task fetches exactly that archive before it runs.
    const task = await client.admin.getTask({ id: result.entities[0]?.id ?? {} });
    const args = task.closure?.compiledTask?.template?.container?.args ?? [];
    expect(args.slice(0, 6)).toEqual(["flyte-ts", "fast-execute", "--additional-distribution", distribution?.distribution, "--dest-dir", "/root"]);
  });

  it("uploads the same archive to the same place (content-addressed) and registers under the same derived version", async () => {
    const a = await flyte.register([echo], serializationContext({ image: IMAGE }), { fast: { root: source } });
    const b = await flyte.register([echo], serializationContext({ image: IMAGE }), { fast: { root: source } });
    expect(b.distribution?.distribution).toBe(a.distribution?.distribution);
    expect(b.version).toBe(a.version);
    expect(b.entities.map((e) => e.status)).toEqual(["exists"]);
  });
});
