import * as http from "node:http";
import * as https from "node:https";
import { rootCertificates } from "node:tls";

/** The body types oauth4webapi hands to `fetch`. */
export type FetchBody = string | URLSearchParams | Uint8Array | ArrayBuffer | ReadableStream | null | undefined;

/** The subset of `fetch` the OAuth flows use, so tests and custom TLS setups can supply their own. */
export type FetchLike = (
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: FetchBody; redirect?: string; signal?: AbortSignal | null },
) => Promise<Response>;

/** TLS settings for the HTTP requests of the auth flows, from the config's `admin` section. */
export interface NodeFetchTls {
  /** Extra trusted CA certificates (PEM), added to the system's roots. */
  ca?: Buffer;
  /** `false` accepts any certificate (admin.insecureSkipVerify). */
  rejectUnauthorized?: boolean;
}

const MAX_RESPONSE_BYTES = 1024 * 1024;

/**
 * A `fetch` over node:http/https that honours a private CA and insecureSkipVerify, which the global
 * fetch cannot without an extra dependency. The OAuth endpoints are small JSON APIs: no redirects are
 * followed (oauth4webapi asks for none) and responses over 1 MiB are refused.
 */
export function createNodeFetch(tls: NodeFetchTls = {}): FetchLike {
  const ca = tls.ca ? [...rootCertificates, tls.ca.toString("utf8")] : undefined;
  return async (url, init) => {
    const target = new URL(url);
    const body = await bodyBytes(init.body);
    const headers: Record<string, string> = { ...init.headers };
    if (body) headers["content-length"] = String(body.byteLength);
    const transport = target.protocol === "https:" ? https : target.protocol === "http:" ? http : undefined;
    if (!transport) throw new TypeError(`unsupported protocol ${target.protocol} in ${target.origin}`);
    return new Promise<Response>((resolve, reject) => {
      const request = transport.request(
        target,
        {
          method: init.method ?? "GET",
          headers,
          ...(init.signal ? { signal: init.signal } : {}),
          ...(target.protocol === "https:" ? { ca, rejectUnauthorized: tls.rejectUnauthorized ?? true } : {}),
        },
        (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on("data", (chunk: Buffer) => {
            size += chunk.byteLength;
            if (size > MAX_RESPONSE_BYTES) {
              response.destroy(new Error(`response from ${target.origin} exceeds ${MAX_RESPONSE_BYTES} bytes`));
            } else chunks.push(chunk);
          });
          response.on("error", reject);
          response.on("end", () => {
            const status = response.statusCode ?? 500;
            const responseHeaders = new Headers();
            for (const [key, value] of Object.entries(response.headers)) {
              if (Array.isArray(value)) for (const v of value) responseHeaders.append(key, v);
              else if (value !== undefined) responseHeaders.set(key, value);
            }
            const nullBody = status === 204 || status === 304 || (init.method ?? "GET").toUpperCase() === "HEAD";
            try {
              resolve(new Response(nullBody ? null : Buffer.concat(chunks), { status, statusText: response.statusMessage ?? "", headers: responseHeaders }));
            } catch (error) {
              reject(error);
            }
          });
        },
      );
      request.on("error", reject);
      request.end(body);
    });
  };
}

async function bodyBytes(body: FetchBody): Promise<Buffer | undefined> {
  if (body === null || body === undefined) return undefined;
  if (typeof body === "string") return Buffer.from(body);
  if (body instanceof URLSearchParams) return Buffer.from(body.toString());
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  return Buffer.from(await new Response(body).arrayBuffer());
}
