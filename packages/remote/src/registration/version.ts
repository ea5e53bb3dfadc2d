/** The version registration derives from the content when none is given: same content, same version. */
import { createHash } from "node:crypto";
import { contentVersion, type BundleEntry } from "@flytekit-ts/compiler";
import type { RegisterResult } from "../remote-types.js";
import type { RegistrationEntry } from "./entries.js";

/** A version from the content: the entries' bytes (before coordinates are filled in) and the uploaded source. */
export function derivedVersion(entries: readonly RegistrationEntry[], distribution: RegisterResult["distribution"]): string {
  const hash = createHash("sha256");
  hash.update(contentVersion(entries.map((e) => ({ kind: e.kind, name: e.name, spec: e.spec }) as BundleEntry)));
  if (distribution) hash.update("\0fast\0").update(distribution.md5).update("\0").update(distribution.destDir);
  return hash.digest("base64url").slice(0, 22);
}
