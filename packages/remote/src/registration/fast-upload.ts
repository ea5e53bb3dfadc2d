/** Fast registration's first step: package the source, upload it through the data proxy, reporting progress. */
import type { AdminClient } from "../client.js";
import { uploadThroughDataProxy, type HttpFetch } from "../data.js";
import { packageSource } from "../fast.js";
import type { RegisterOptions, RegisterResult } from "../remote-types.js";

export async function uploadSourcePackage(
  client: AdminClient,
  fetch: HttpFetch | undefined,
  target: { project: string; domain: string; org: string | undefined },
  fast: NonNullable<RegisterOptions["fast"]>,
  options: Pick<RegisterOptions, "onProgress" | "signal">,
): Promise<NonNullable<RegisterResult["distribution"]>> {
  const { project, domain, org } = target;
  const pkg = await packageSource(fast);
  options.onProgress?.({ stage: "package", files: pkg.files.length, bytes: pkg.archive.byteLength, fileName: pkg.fileName });
  options.onProgress?.({ stage: "upload", fileName: pkg.fileName, bytes: pkg.archive.byteLength, done: false });
  const uploaded = await uploadThroughDataProxy(
    client,
    { project, domain, filename: pkg.fileName, bytes: pkg.archive, ...(org ? { org } : {}), ...(options.signal ? { signal: options.signal } : {}) },
    fetch,
  );
  const distribution = { distribution: uploaded.nativeUrl, destDir: fast.destDir ?? ".", md5: pkg.md5.toString("hex"), fileName: pkg.fileName };
  options.onProgress?.({ stage: "upload", fileName: pkg.fileName, bytes: pkg.archive.byteLength, nativeUrl: uploaded.nativeUrl, done: true });
  return distribution;
}
