import type { CacheSettings } from "./cache.js";
import { checkCacheSettings } from "./cache.js";
import { checkDocs, type TaskDocs } from "./docs.js";
import { checkExtendedResources, type ExtendedResourceSettings } from "./extended-resources.js";
import { checkContainerImage, type ContainerImage } from "./image.js";
import { checkAnnotations, checkDnsSubdomain, checkLabels, checkStringMap, type Annotations, type Labels } from "./k8s-metadata.js";
import { checkPodTemplate, type PodTemplate } from "./pod-template.js";
import { checkKnownKeys, isPlainObject, ProblemList, show, type SettingProblem } from "./problems.js";
import { checkResourceSettings, type ResourceSettings } from "./resources.js";
import { checkSecretRequests, type SecretRequest } from "./secrets.js";
import { checkTimeout, type Timeout } from "./timeout.js";

/**
 * Everything a task declares about how it runs, named after the parameters of flytekit's `@task` /
 * `@dynamic` (camelCase). Plain data: the compiler turns it into the task template.
 */
export interface TaskSettings extends ResourceSettings, CacheSettings, ExtendedResourceSettings {
  /** Retries after a recoverable or system failure; default 0. */
  readonly retries?: number;
  /** May run on interruptible (spot/preemptible) nodes. Unset: the workflow's default applies. */
  readonly interruptible?: boolean;
  /** Marks the task deprecated with this message (shown when it is used). */
  readonly deprecated?: string;
  /** Maximum run time per attempt; seconds or `{ minutes: 30 }`. 0 or unset: none. */
  readonly timeout?: Timeout;
  /** The image to run; default: the project's default image. */
  readonly containerImage?: ContainerImage;
  /** Environment variables for the task's container. */
  readonly environment?: Readonly<Record<string, string>>;
  /** Secrets the task reads at run time. */
  readonly secretRequests?: readonly SecretRequest[];
  /** Console documentation; a string is the short description. */
  readonly docs?: string | TaskDocs;
  /** Whether the task produces a Flyte Deck; default false. */
  readonly enableDeck?: boolean;
  /** The inverse of `enableDeck` (flytekit's deprecated spelling); give one of the two. */
  readonly disableDeck?: boolean;
  /** A pod to run in (sidecars, volumes, tolerations, …); the task's container becomes its primary container. */
  readonly podTemplate?: PodTemplate;
  /** Name of a PodTemplate resource on the cluster to start from. */
  readonly podTemplateName?: string;
  /** Labels for the task's pods (`TaskMetadata.metadata`). */
  readonly labels?: Labels;
  /** Annotations for the task's pods (`TaskMetadata.metadata`). */
  readonly annotations?: Annotations;
}

/**
 * The keys of {@link TaskSettings}: lets the compiler separate them from its own options (name,
 * inputs, outputs) when a user writes both in one object.
 */
export const TASK_SETTING_KEYS = [
  "requests",
  "limits",
  "resources",
  "cache",
  "cacheVersion",
  "cacheSerialize",
  "cacheIgnoredInputs",
  "accelerator",
  "sharedMemory",
  "retries",
  "interruptible",
  "deprecated",
  "timeout",
  "containerImage",
  "environment",
  "secretRequests",
  "docs",
  "enableDeck",
  "disableDeck",
  "podTemplate",
  "podTemplateName",
  "labels",
  "annotations",
] as const satisfies readonly (keyof TaskSettings)[];

// A compile-time check that the list above names every setting.
type MissingKeys = Exclude<keyof TaskSettings, (typeof TASK_SETTING_KEYS)[number]>;
const everySettingListed: [MissingKeys] extends [never] ? true : MissingKeys = true;
void everySettingListed;

/** What validation needs from the compiler, all optional: checks that need it are skipped without it. */
export interface ValidationContext {
  /** The project's default image; when given, a task without `containerImage` must have one here. */
  readonly defaultImage?: string | undefined;
  /** A cache version the compiler computed; satisfies "caching needs a version". */
  readonly cacheVersion?: string | undefined;
  /** The task's input names, to check `cacheIgnoredInputs` against. */
  readonly inputNames?: readonly string[] | undefined;
}

// RetryStrategy.retries is a uint32.
const MAX_RETRIES = 2 ** 32 - 1;

/** Every problem in the settings (empty when they are valid), each naming the setting and the value. */
export function validateTaskSettings(settings: TaskSettings, context: ValidationContext = {}): SettingProblem[] {
  const problems = new ProblemList();
  const raw: unknown = settings;
  if (!isPlainObject(raw)) {
    problems.add("", raw, `task settings must be an object, got ${show(raw)}`);
    return problems.problems;
  }
  checkKnownKeys(problems, "", raw, TASK_SETTING_KEYS, "task setting");
  checkResourceSettings(problems, settings);
  checkCacheSettings(problems, settings, context);
  checkExtendedResources(problems, settings);
  checkRetries(problems, "retries", settings.retries);
  checkOptionalBoolean(problems, "interruptible", settings.interruptible);
  if (settings.deprecated !== undefined && typeof settings.deprecated !== "string") {
    problems.add("deprecated", settings.deprecated, `must be the deprecation message (a string), got ${show(settings.deprecated)}`);
  }
  checkTimeout(problems, "timeout", settings.timeout);
  checkContainerImage(problems, "containerImage", settings.containerImage);
  if (settings.containerImage === undefined && context.defaultImage !== undefined) {
    // The project's default image stands in; report it under the setting that would fix it.
    if (typeof context.defaultImage !== "string" || context.defaultImage.trim() === "") {
      problems.add("containerImage", undefined, "is required: the task sets no image and the project has no default image");
    } else {
      checkContainerImage(problems, "containerImage", context.defaultImage);
    }
  }
  checkEnvironment(problems, "environment", settings.environment);
  checkSecretRequests(problems, "secretRequests", settings.secretRequests);
  checkDocs(problems, "docs", settings.docs);
  checkOptionalBoolean(problems, "enableDeck", settings.enableDeck);
  checkOptionalBoolean(problems, "disableDeck", settings.disableDeck);
  if (settings.enableDeck !== undefined && settings.disableDeck !== undefined) {
    problems.add("disableDeck", settings.disableDeck, "cannot be combined with enableDeck; use enableDeck alone");
  }
  checkPodTemplate(problems, "podTemplate", settings.podTemplate);
  if (settings.podTemplateName !== undefined) {
    checkDnsSubdomain(problems, "podTemplateName", settings.podTemplateName, "PodTemplate name");
  }
  checkLabels(problems, "labels", settings.labels);
  checkAnnotations(problems, "annotations", settings.annotations);
  return problems.problems;
}

export function checkRetries(problems: ProblemList, path: string, retries: unknown): void {
  if (retries === undefined) return;
  if (typeof retries !== "number" || !Number.isInteger(retries) || retries < 0 || retries > MAX_RETRIES) {
    problems.add(path, retries, `${show(retries)} must be a whole number of retries, 0 or more`);
  }
}

export function checkOptionalBoolean(problems: ProblemList, path: string, value: unknown): void {
  if (value !== undefined && typeof value !== "boolean") problems.add(path, value, `${show(value)} must be true or false`);
}

export function checkEnvironment(problems: ProblemList, path: string, env: unknown): void {
  checkStringMap(problems, path, env, "environment", (name) => {
    // Kubernetes accepts any printable name without "="; an empty one can never be set.
    if (name === "" || name.includes("=") || /[\x00-\x1f]/.test(name)) {
      problems.add(`${path}.${name}`, name, `${show(name)} is not a usable environment variable name (empty, or contains "=" or control characters)`);
    }
  });
}
