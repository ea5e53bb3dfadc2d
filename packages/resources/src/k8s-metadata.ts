import { flyteidl } from "@flytekit-ts/idl";
import { isPlainObject, show, type ProblemList } from "./problems.js";

/** Kubernetes labels: keys and values follow the Kubernetes rules (values at most 63 characters). */
export type Labels = Readonly<Record<string, string>>;
/** Kubernetes annotations: keys follow the label-key rules, values are free text. */
export type Annotations = Readonly<Record<string, string>>;

// k8s.io/apimachinery/pkg/util/validation: qualified names and label values.
const NAME_PART = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Why `key` is not a Kubernetes qualified name (`[prefix/]name`), or undefined if it is one. */
function qualifiedNameError(key: string): string | undefined {
  const slash = key.lastIndexOf("/");
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) {
    return "its prefix must be a lower-case DNS subdomain (at most 253 characters)";
  }
  if (name.length > 63 || !NAME_PART.test(name)) {
    return "its name must be at most 63 characters of letters, digits, - _ . beginning and ending with a letter or digit";
  }
  return undefined;
}

export function checkLabels(problems: ProblemList, path: string, labels: unknown): void {
  checkStringMap(problems, path, labels, "labels", (key, value) => {
    const keyError = qualifiedNameError(key);
    if (keyError) problems.add(`${path}.${key}`, key, `label key ${show(key)} is invalid: ${keyError}`);
    if (value.length > 63 || !LABEL_VALUE.test(value)) {
      problems.add(
        `${path}.${key}`,
        value,
        `label value ${show(value)} is invalid: at most 63 characters of letters, digits, - _ . beginning and ending with a letter or digit`,
      );
    }
  });
}

export function checkAnnotations(problems: ProblemList, path: string, annotations: unknown): void {
  checkStringMap(problems, path, annotations, "annotations", (key) => {
    const keyError = qualifiedNameError(key);
    if (keyError) problems.add(`${path}.${key}`, key, `annotation key ${show(key)} is invalid: ${keyError}`);
  });
}

/** A Kubernetes object name that must be a DNS-1123 label: containers, for instance. */
export function checkDnsLabel(problems: ProblemList, path: string, value: unknown, what: string): void {
  if (typeof value !== "string" || value.length > 63 || !DNS_LABEL.test(value)) {
    problems.add(path, value, `${show(value)} is not a valid ${what}: at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit`);
  }
}

/** A Kubernetes object name that must be a DNS-1123 subdomain: PodTemplate resources, for instance. */
export function checkDnsSubdomain(problems: ProblemList, path: string, value: unknown, what: string): void {
  if (typeof value !== "string" || value.length > 253 || !DNS_SUBDOMAIN.test(value)) {
    problems.add(path, value, `${show(value)} is not a valid ${what}: a lower-case DNS subdomain such as "gpu-pods" (at most 253 characters)`);
  }
}

/** Checks a `Record<string, string>`; `each` checks the entries that are strings. */
export function checkStringMap(
  problems: ProblemList,
  path: string,
  map: unknown,
  what: string,
  each?: (key: string, value: string) => void,
): void {
  if (map === undefined) return;
  if (!isPlainObject(map)) {
    problems.add(path, map, `${what} must be an object of string values, got ${show(map)}`);
    return;
  }
  for (const [key, value] of Object.entries(map)) {
    if (typeof value !== "string") problems.add(`${path}.${key}`, value, `must be a string, got ${show(value)}`);
    else each?.(key, value);
  }
}

/** `K8sObjectMetadata{labels, annotations}`; flytekit always sends the message, empty or not. */
export function k8sObjectMetadataMessage(labels?: Labels, annotations?: Annotations): flyteidl.core.K8sObjectMetadata {
  return flyteidl.core.K8sObjectMetadata.create({ labels: { ...labels }, annotations: { ...annotations } });
}
