import { mkdir, readFile, readdir, stat, writeFile } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { confinedTarget } from "./object-keys.js";
import { StorageError, type Storage } from "@flytekit-ts/types";

/** `s3://bucket/key` or `gs://bucket/key` → bucket and key. */
export function splitBucketUri(uri: string): { bucket: string; key: string } {
  const match = /^[a-z0-9]+:\/\/([^/]+)\/?(.*)$/i.exec(uri);
  if (!match) throw new StorageError(`not an object-store URI: ${uri}`);
  return { bucket: match[1] as string, key: match[2] as string };
}

async function localFiles(root: string): Promise<string[]> {
  if (!(await stat(root)).isDirectory()) return [root];
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)).sort();
}

/** The few object operations both stores offer; each adapter maps them onto its SDK. */
interface ObjectStore {
  get(bucket: string, key: string): Promise<Uint8Array>;
  put(bucket: string, key: string, data: Uint8Array): Promise<void>;
  list(bucket: string, prefix: string): Promise<string[]>;
}

/** Files and directories on top of objects: a directory is every object under a prefix. */
class ObjectStorage implements Storage {
  constructor(
    private readonly scheme: string,
    private readonly store: ObjectStore,
  ) {}

  handles(uri: string): boolean {
    return uri.toLowerCase().startsWith(`${this.scheme}://`);
  }

  private guard<T>(uri: string, work: () => Promise<T>): Promise<T> {
    return work().catch((cause: unknown) => {
      throw new StorageError(`${this.scheme}: cannot access ${uri}: ${(cause as Error).message}`, { cause });
    });
  }

  read(uri: string): Promise<Uint8Array> {
    const { bucket, key } = splitBucketUri(uri);
    return this.guard(uri, () => this.store.get(bucket, key));
  }

  write(uri: string, data: Uint8Array): Promise<void> {
    const { bucket, key } = splitBucketUri(uri);
    return this.guard(uri, () => this.store.put(bucket, key, data));
  }

  async list(prefix: string): Promise<string[]> {
    const { bucket, key } = splitBucketUri(prefix);
    const keys = await this.guard(prefix, () => this.store.list(bucket, key));
    return keys.map((k) => `${this.scheme}://${bucket}/${k}`);
  }

  async upload(localPath: string, uri: string): Promise<void> {
    const { bucket, key } = splitBucketUri(uri);
    const isDirectory = (await stat(localPath)).isDirectory();
    for (const file of await localFiles(localPath)) {
      const objectKey = isDirectory ? `${key.replace(/\/+$/, "")}/${relative(localPath, file).split(sep).join("/")}` : key;
      await this.guard(uri, async () => this.store.put(bucket, objectKey, await readFile(file)));
    }
  }

  async download(uri: string, localPath: string): Promise<void> {
    const { bucket, key } = splitBucketUri(uri);
    const prefix = key.endsWith("/") ? key : `${key}/`;
    const under = await this.guard(uri, () => this.store.list(bucket, prefix));
    // A prefix with objects under it is a directory; otherwise the URI names one object.
    const keys = under.length > 0 ? under : [key];
    // Keys come from the bucket, not from us: each must name a file inside the target directory, and
    // all are checked before anything is written.
    const targets = keys.map((objectKey) => ({
      objectKey,
      target: under.length > 0 ? confinedTarget(localPath, objectKey.slice(prefix.length), `${this.scheme}://${bucket}/${objectKey}`) : localPath,
    }));
    for (const { objectKey, target } of targets) {
      if (target === undefined) continue;
      const data = await this.guard(uri, () => this.store.get(bucket, objectKey));
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, data);
    }
  }
}

function missingSdk(pkg: string, scheme: string, cause: unknown): never {
  throw new StorageError(`${scheme}:// URIs need the ${pkg} package: install it next to @flytekit-ts/runtime`, { cause });
}

/** The S3 client options this adapter uses (endpoint and path style for S3-compatible stores such as MinIO). */
export interface S3StorageOptions {
  region?: string;
  endpoint?: string;
  forcePathStyle?: boolean;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/**
 * The S3 client options flytekit's environment gives a pod, read as flytekit reads them
 * (`FLYTE_{SECTION}_{OPTION}` of its `[aws]` section): `FLYTE_AWS_ENDPOINT`, an S3-compatible store such
 * as the Flyte sandbox's MinIO (addressed by path, unless `FLYTE_AWS_ADDRESSING_STYLE` is `virtual`), and
 * `FLYTE_AWS_ACCESS_KEY_ID` with `FLYTE_AWS_SECRET_ACCESS_KEY`. Flyte deployments set these for task pods
 * (the sandbox sets nothing else). What is unset is left to the AWS SDK's own defaults (`AWS_*`
 * variables, profiles, pod identity).
 */
export function s3OptionsFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): S3StorageOptions {
  const options: S3StorageOptions = {};
  const endpoint = env["FLYTE_AWS_ENDPOINT"]?.trim();
  if (endpoint) {
    options.endpoint = endpoint;
    options.forcePathStyle = env["FLYTE_AWS_ADDRESSING_STYLE"]?.trim().toLowerCase() !== "virtual";
    // The AWS SDK does not start without a region, and an S3-compatible store ignores it.
    if (!env["AWS_REGION"]) options.region = "us-east-1";
  }
  const accessKeyId = env["FLYTE_AWS_ACCESS_KEY_ID"];
  const secretAccessKey = env["FLYTE_AWS_SECRET_ACCESS_KEY"];
  if (accessKeyId && secretAccessKey) options.credentials = { accessKeyId, secretAccessKey };
  else if (accessKeyId || secretAccessKey) {
    const [set, unset] = accessKeyId ? ["FLYTE_AWS_ACCESS_KEY_ID", "FLYTE_AWS_SECRET_ACCESS_KEY"] : ["FLYTE_AWS_SECRET_ACCESS_KEY", "FLYTE_AWS_ACCESS_KEY_ID"];
    throw new StorageError(`${set} is set but ${unset} is not: the S3 credentials of a pod's environment go together`);
  }
  return options;
}

/** `s3://` through the official AWS SDK (`@aws-sdk/client-s3`), imported on first use. */
export async function s3Storage(options: S3StorageOptions = {}): Promise<Storage> {
  const sdk = await import("@aws-sdk/client-s3").catch((cause: unknown) => missingSdk("@aws-sdk/client-s3", "s3", cause));
  const client = new sdk.S3Client({
    ...(options.region ? { region: options.region } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.forcePathStyle === undefined ? {} : { forcePathStyle: options.forcePathStyle }),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    // Checksums only where S3 requires them: plain bodies work with every S3-compatible store.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
  return new ObjectStorage("s3", {
    async get(bucket, key) {
      const response = await client.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: key }));
      if (!response.Body) throw new Error("empty response body");
      return response.Body.transformToByteArray();
    },
    async put(bucket, key, data) {
      const contentType = contentTypeOf(key);
      await client.send(new sdk.PutObjectCommand({ Bucket: bucket, Key: key, Body: data, ...(contentType ? { ContentType: contentType } : {}) }));
    },
    async list(bucket, prefix) {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(new sdk.ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }));
        for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return keys;
    },
  });
}

/**
 * The content type an object is stored with, where it matters: the console shows a task's deck.html
 * in the browser only when it is served as HTML (flytekit uploads it as `text/html`).
 */
const contentTypeOf = (key: string): string | undefined => (key.endsWith(".html") ? "text/html" : undefined);

/** The part of `@google-cloud/storage`'s client this adapter uses. */
export interface GcsClientLike {
  /** A bucket by name. */
  bucket(name: string): {
    /** An object of the bucket by key. */
    file(key: string): {
      /** The object's bytes (as the first element, as the SDK returns them). */
      download(): Promise<[Buffer]>;
      /** Writes the object. */
      save(data: Uint8Array, options?: { contentType?: string }): Promise<void>;
    };
    /** The objects whose keys start with the prefix. */
    getFiles(options: { prefix: string }): Promise<[{ name: string }[]]>;
  };
}

/** `gs://` through the official Google Cloud SDK (`@google-cloud/storage`), imported on first use unless a client is given. */
export async function gcsStorage(client?: GcsClientLike): Promise<Storage> {
  let gcs = client;
  if (!gcs) {
    const moduleName = "@google-cloud/storage";
    const sdk = (await import(moduleName).catch((cause: unknown) => missingSdk(moduleName, "gs", cause))) as { Storage: new () => GcsClientLike };
    gcs = new sdk.Storage();
  }
  const store = gcs;
  return new ObjectStorage("gs", {
    async get(bucket, key) {
      const [data] = await store.bucket(bucket).file(key).download();
      return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    },
    async put(bucket, key, data) {
      const contentType = contentTypeOf(key);
      await store.bucket(bucket).file(key).save(data, contentType ? { contentType } : {});
    },
    async list(bucket, prefix) {
      const [files] = await store.bucket(bucket).getFiles({ prefix });
      return files.map((f) => f.name).sort();
    },
  });
}

/** The cloud backends a task process can reach: each SDK is imported only when a URI of its scheme shows up. */
export const defaultCloudFactories = {
  /**
   * `s3://` through the AWS SDK: flytekit's `FLYTE_AWS_*` settings where the pod has them, else the SDK's
   * default credentials and region (environment, profile, pod identity).
   */
  s3: () => s3Storage(s3OptionsFromEnv()),
  /** `gs://` through the Google Cloud SDK, with its default credentials. */
  gs: () => gcsStorage(),
};
