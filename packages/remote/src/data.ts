import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { basename, dirname } from "node:path";
import { durationFromMillis } from "@flytekit-ts/idl";
import { LocalStorage, StorageError, isRemoteUri, type Storage } from "@flytekit-ts/types";
import type { AdminClient } from "./client.js";
import { SignedUrlError } from "./remote-errors.js";

/** What uploads and downloads through signed URLs use; the global `fetch` unless one is passed. */
export type HttpFetch = (url: string, init: { method: string; headers?: Record<string, string>; body?: Uint8Array; signal?: AbortSignal }) => Promise<Response>;

const defaultFetch: HttpFetch = (url, init) => fetch(url, init as RequestInit);

/** The raw MD5 digest of the bytes: what the data proxy's signed URLs are keyed and checked by. */
export const md5 = (bytes: Uint8Array): Buffer => createHash("md5").update(bytes).digest();

/** What `uploadThroughDataProxy` uploads, and where (project and domain pick the bucket prefix). */
export interface UploadRequest {
  project: string;
  domain: string;
  /** The object's file name; with `content_md5` and no `filenameRoot` it lands under a prefix derived from the MD5. */
  filename: string;
  bytes: Uint8Array;
  /** A fixed prefix instead of the MD5-derived one. */
  filenameRoot?: string;
  org?: string;
  /** How long the signed URL is valid; the server caps it. */
  expiresInMs?: number;
  signal?: AbortSignal;
}

/** Where an upload landed. */
export interface UploadResult {
  /** The storage-native URL (`s3://…`) the object now has: what task pods and literals refer to. */
  nativeUrl: string;
  md5: Buffer;
}

/**
 * Uploads bytes the way flytekit does: `DataProxyService.CreateUploadLocation` with the raw MD5
 * (and `add_content_md5_metadata`), then a PUT of the bytes to the signed URL with `Content-Length`,
 * `Content-MD5` (base64) and every header the server asked for; 200 and 201 are success. The signed
 * URL is a credential and appears in no error message.
 */
export async function uploadThroughDataProxy(client: AdminClient, request: UploadRequest, httpFetch: HttpFetch = defaultFetch): Promise<UploadResult> {
  const digest = md5(request.bytes);
  const location = await client.dataProxy.createUploadLocation(
    {
      project: request.project,
      domain: request.domain,
      filename: request.filename,
      contentMd5: digest,
      addContentMd5Metadata: true,
      ...(request.filenameRoot ? { filenameRoot: request.filenameRoot } : {}),
      ...(request.org ? { org: request.org } : {}),
      ...(request.expiresInMs ? { expiresIn: durationFromMillis(request.expiresInMs) } : {}),
    },
    request.signal ? { signal: request.signal } : {},
  );
  if (!location.signedUrl || !location.nativeUrl) throw new SignedUrlError(`uploading ${request.filename}`, undefined, "the server returned no signed URL");
  const headers: Record<string, string> = {
    "Content-Length": String(request.bytes.byteLength),
    "Content-MD5": digest.toString("base64"),
    // Azure's blob API needs the blob type on a PUT (flytekit adds it the same way).
    ...(/^abfss?:\/\//.test(location.nativeUrl) ? { "x-ms-blob-type": "BlockBlob" } : {}),
    // Never the server's Content-Length: flyteadmin on S3 answers the length of the base64 MD5 there
    // (flyteorg/stow's signer), which Python's requests silently replaces with the body's own.
    ...Object.fromEntries(Object.entries(location.headers ?? {}).filter(([name]) => name.toLowerCase() !== "content-length")),
  };
  let response: Response;
  try {
    response = await httpFetch(location.signedUrl, { method: "PUT", headers, body: request.bytes, ...(request.signal ? { signal: request.signal } : {}) });
  } catch (error) {
    throw new SignedUrlError(`uploading ${request.filename} to ${location.nativeUrl}`, undefined, networkReason(error));
  }
  if (response.status !== 200 && response.status !== 201) {
    const body = (await response.text().catch(() => "")).slice(0, 300);
    throw new SignedUrlError(`uploading ${request.filename} to ${location.nativeUrl}`, response.status, body);
  }
  return { nativeUrl: location.nativeUrl, md5: digest };
}

/** Reads an object through a signed URL from `DataProxyService.CreateDownloadLocation`. */
export async function downloadThroughDataProxy(client: AdminClient, nativeUrl: string, httpFetch: HttpFetch = defaultFetch, signal?: AbortSignal): Promise<Uint8Array> {
  const location = await client.dataProxy.createDownloadLocation({ nativeUrl, expiresIn: durationFromMillis(10 * 60_000) }, signal ? { signal } : {});
  if (!location.signedUrl) throw new SignedUrlError(`downloading ${nativeUrl}`, undefined, "the server returned no signed URL");
  return fetchBytes(location.signedUrl, `downloading ${nativeUrl}`, httpFetch, signal);
}

/** GETs a (signed) URL; the URL is not shown in errors. */
export async function fetchBytes(url: string, what: string, httpFetch: HttpFetch = defaultFetch, signal?: AbortSignal): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await httpFetch(url, { method: "GET", ...(signal ? { signal } : {}) });
  } catch (error) {
    throw new SignedUrlError(what, undefined, networkReason(error));
  }
  if (!response.ok) throw new SignedUrlError(what, response.status, (await response.text().catch(() => "")).slice(0, 300));
  return new Uint8Array(await response.arrayBuffer());
}

/**
 * Storage for reading what an execution produced, from a machine without cloud credentials: local
 * paths directly, remote objects (`s3://`, `gs://`, `abfs://` …) through signed download URLs
 * FlyteAdmin's data proxy creates. Reading offloaded literals, output maps too large to inline, and
 * downloading file outputs work; directories (which need a listing) and writes to a chosen URI do not
 * — use `FlyteRemote.upload` to send a local file.
 */
export class DataProxyStorage implements Storage {
  private readonly local = new LocalStorage();

  constructor(
    private readonly client: AdminClient,
    private readonly httpFetch: HttpFetch = defaultFetch,
  ) {}

  handles(): boolean {
    return true;
  }

  async read(uri: string): Promise<Uint8Array> {
    return isRemoteUri(uri) ? downloadThroughDataProxy(this.client, uri, this.httpFetch) : this.local.read(uri);
  }

  async download(uri: string, localPath: string): Promise<void> {
    if (!isRemoteUri(uri)) return this.local.download(uri, localPath);
    const bytes = await this.read(uri);
    await mkdir(dirname(localPath), { recursive: true });
    await writeFile(localPath, bytes);
  }

  async write(uri: string): Promise<void> {
    throw new StorageError(`cannot write ${uri} through the data proxy: it chooses upload locations itself (use FlyteRemote.upload)`);
  }

  async upload(_localPath: string, uri: string): Promise<void> {
    throw new StorageError(`cannot upload to ${uri} through the data proxy: it chooses upload locations itself (use FlyteRemote.upload)`);
  }

  async list(prefix: string): Promise<string[]> {
    if (!isRemoteUri(prefix)) return this.local.list(prefix);
    throw new StorageError(`cannot list ${prefix} through the data proxy (directories need cloud credentials)`);
  }
}

/** Uploads a local file for use as an input; returns its native URL (`<prefix>/<project>/<domain>/<md5>/<name>`). */
export async function uploadFile(client: AdminClient, path: string, coords: { project: string; domain: string; org?: string }, httpFetch?: HttpFetch): Promise<string> {
  const bytes = await readFile(path);
  const result = await uploadThroughDataProxy(client, { ...coords, filename: basename(path) || randomBytes(8).toString("hex"), bytes }, httpFetch);
  return result.nativeUrl;
}

/** fetch's "fetch failed" with the reason under it (refused, reset, a body that does not fit its length…). */
function networkReason(error: unknown): string {
  const message = (error as Error).message;
  const cause = (error as { cause?: { message?: unknown; code?: unknown } }).cause;
  const detail = typeof cause?.message === "string" ? cause.message : typeof cause?.code === "string" ? cause.code : "";
  return detail && detail !== message ? `${message}: ${detail}` : message;
}
