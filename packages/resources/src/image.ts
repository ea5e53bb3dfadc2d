import { checkKnownKeys, isPlainObject, show, type ProblemList } from "./problems.js";

/**
 * A reference to an image that already exists (building images is not this package's job):
 * `{ registry: "ghcr.io/acme", name: "app", tag: "abc123" }` → `"ghcr.io/acme/app:abc123"`.
 */
export interface ImageReference {
  /** Registry and optional namespace, e.g. `"ghcr.io/acme"` or `"123.dkr.ecr.us-east-1.amazonaws.com"`. */
  readonly registry?: string;
  /** Repository name, e.g. `"app"` or `"team/app"`. */
  readonly name: string;
  /** Tag, e.g. `"abc123"`; Kubernetes pulls `latest` when neither tag nor digest is given. */
  readonly tag?: string;
  /** Content digest, e.g. `"sha256:…"`; pins the image exactly (may be combined with a tag). */
  readonly digest?: string;
}

/** A full image name (`"ghcr.io/acme/app:abc123"`) or an {@link ImageReference}. */
export type ContainerImage = string | ImageReference;

// From the OCI distribution spec (reference grammar), simplified to what a single check needs.
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[A-Za-z0-9=_-]{32,}$/;
const NAME = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

/** The image string for a container: strings as given, references joined as `registry/name[:tag][@digest]`. */
export function imageName(image: ContainerImage): string {
  if (typeof image === "string") return image;
  const registry = image.registry?.replace(/\/+$/, "");
  return `${registry ? `${registry}/` : ""}${image.name}${image.tag ? `:${image.tag}` : ""}${image.digest ? `@${image.digest}` : ""}`;
}

export function checkContainerImage(problems: ProblemList, path: string, image: unknown): void {
  if (image === undefined) return;
  if (typeof image === "string") {
    // Strings may be flytekit-style placeholders ({{.image.default.fqn}}) resolved at registration,
    // so only what can never be an image is refused.
    if (image.trim() === "" || /\s/.test(image)) problems.add(path, image, `${show(image)} is not an image name (empty or contains whitespace)`);
    return;
  }
  if (!isPlainObject(image)) {
    problems.add(path, image, `must be an image name or { registry?, name, tag?, digest? }, got ${show(image)}`);
    return;
  }
  checkKnownKeys(problems, path, image, ["registry", "name", "tag", "digest"], "image field");
  const { registry, name, tag, digest } = image;
  if (typeof name !== "string" || !NAME.test(name)) {
    problems.add(`${path}.name`, name, `${show(name)} is not a repository name (lower-case letters, digits, separators . _ - and /)`);
  }
  if (registry !== undefined && (typeof registry !== "string" || registry.trim() === "" || /\s/.test(registry))) {
    problems.add(`${path}.registry`, registry, `${show(registry)} is not a registry (non-empty, no whitespace)`);
  }
  if (tag !== undefined && (typeof tag !== "string" || !TAG.test(tag))) {
    problems.add(`${path}.tag`, tag, `${show(tag)} is not an image tag (letters, digits, _ . -, at most 128, not starting with . or -)`);
  }
  if (digest !== undefined && (typeof digest !== "string" || !DIGEST.test(digest))) {
    problems.add(`${path}.digest`, digest, `${show(digest)} is not a digest such as "sha256:<64 hex digits>"`);
  }
}
