import { durationFromMillis, flyteidl } from "@flytekit-ts/idl";
import type { CachePolicy } from "./cache.js";
import { extendedResourcesMessage, checkExtendedResources, type ExtendedResourceSettings } from "./extended-resources.js";
import { checkContainerImage, imageName, type ContainerImage } from "./image.js";
import { checkPodTemplate, nodeK8sPod, type PodTemplate } from "./pod-template.js";
import { checkKnownKeys, InvalidSettingsError, isPlainObject, ProblemList, show, type SettingProblem } from "./problems.js";
import { checkResourceSettings, hasNoResources, OVERRIDE_RESOURCE_ORDER, resolveResources, resourcesMessage, type ResourceSettings } from "./resources.js";
import { checkOptionalBoolean, checkRetries, validateTaskSettings, type TaskSettings } from "./task-settings.js";
import { checkTimeout, timeoutDuration, timeoutMillis, type Timeout } from "./timeout.js";

/**
 * Settings one call site of a task overrides (flytekit's `with_overrides`): the compiler applies them
 * to that node only. Anything left out keeps the task's value.
 */
export interface NodeOverrideSettings extends ResourceSettings, ExtendedResourceSettings {
  /** The node's display name (`NodeMetadata.name`). */
  readonly name?: string;
  readonly retries?: number;
  /** Replaces the task's timeout for this node; `0` removes it. */
  readonly timeout?: Timeout;
  readonly interruptible?: boolean;
  /** Turns caching on or off for this node, optionally with a version and serialization. */
  readonly cache?: boolean | Omit<CachePolicy, "ignoredInputs">;
  readonly cacheVersion?: string;
  readonly cacheSerialize?: boolean;
  /** A pod template for this node; propeller merges the task's container into it. */
  readonly podTemplate?: PodTemplate;
  readonly containerImage?: ContainerImage;
}

/** The keys `withOverrides` accepts, so a misspelt key is reported with a suggestion instead of ignored. */
export const NODE_OVERRIDE_KEYS = [
  "name",
  "requests",
  "limits",
  "resources",
  "accelerator",
  "sharedMemory",
  "retries",
  "timeout",
  "interruptible",
  "cache",
  "cacheVersion",
  "cacheSerialize",
  "podTemplate",
  "containerImage",
] as const satisfies readonly (keyof NodeOverrideSettings)[];

type MissingKeys = Exclude<keyof NodeOverrideSettings, (typeof NODE_OVERRIDE_KEYS)[number]>;
const everyOverrideListed: [MissingKeys] extends [never] ? true : MissingKeys = true;
void everyOverrideListed;

/** Node overrides as IDL data for the compiler to put on the node. */
export interface NodeOverrides {
  /** Only the `NodeMetadata` fields that were overridden; merge them over the node's own metadata. */
  readonly metadata: flyteidl.core.NodeMetadata.$Properties;
  /** `TaskNode.overrides`; flytekit sends it on every task node, empty when nothing is overridden. */
  readonly overrides: flyteidl.core.TaskNodeOverrides;
}

/** Every problem in the overrides (empty when they are valid). */
export function validateNodeOverrides(settings: NodeOverrideSettings): SettingProblem[] {
  const problems = new ProblemList();
  const raw: unknown = settings;
  if (!isPlainObject(raw)) {
    problems.add("", raw, `node overrides must be an object, got ${show(raw)}`);
    return problems.problems;
  }
  checkKnownKeys(problems, "", raw, NODE_OVERRIDE_KEYS, "node override");
  if (settings.name !== undefined && (typeof settings.name !== "string" || settings.name.trim() === "")) {
    problems.add("name", settings.name, `${show(settings.name)} must be a non-empty node name`);
  }
  checkResourceSettings(problems, settings);
  checkExtendedResources(problems, settings);
  checkRetries(problems, "retries", settings.retries);
  checkTimeout(problems, "timeout", settings.timeout);
  checkOptionalBoolean(problems, "interruptible", settings.interruptible);
  checkNodeCache(problems, settings);
  checkPodTemplate(problems, "podTemplate", settings.podTemplate);
  checkContainerImage(problems, "containerImage", settings.containerImage);
  return problems.problems;
}

function checkNodeCache(problems: ProblemList, settings: NodeOverrideSettings): void {
  const { cache, cacheVersion, cacheSerialize } = settings;
  if (cache !== undefined && typeof cache !== "boolean") {
    if (!isPlainObject(cache)) {
      problems.add("cache", cache, `must be true, false or { version?, serialize? }, got ${show(cache)}`);
      return;
    }
    checkKnownKeys(problems, "cache", cache, ["version", "serialize"], "node cache option");
    if (cacheVersion !== undefined) problems.add("cacheVersion", cacheVersion, "cannot be combined with a cache object; put it in cache: { version: ... }");
    if (cacheSerialize !== undefined) problems.add("cacheSerialize", cacheSerialize, "cannot be combined with a cache object; put it in cache: { serialize: ... }");
  }
  if (cache === false && cacheSerialize === true) problems.add("cacheSerialize", cacheSerialize, "cannot be true while cache is false");
  const version = isPlainObject(cache) ? cache["version"] : cacheVersion;
  const versionPath = isPlainObject(cache) ? "cache.version" : "cacheVersion";
  if (version !== undefined && (typeof version !== "string" || version.trim() === "")) problems.add(versionPath, version, `${show(version)} must be a non-empty string`);
  const serialize = isPlainObject(cache) ? cache["serialize"] : cacheSerialize;
  checkOptionalBoolean(problems, isPlainObject(cache) ? "cache.serialize" : "cacheSerialize", serialize);
}

/**
 * The overrides as IDL data. Throws {@link InvalidSettingsError} with every problem when they are
 * invalid.
 */
export function nodeOverrides(settings: NodeOverrideSettings, subject = "node overrides"): NodeOverrides {
  const problems = validateNodeOverrides(settings);
  if (problems.length > 0) throw new InvalidSettingsError(subject, problems);

  const metadata: flyteidl.core.NodeMetadata.$Properties = {};
  if (settings.name !== undefined) metadata.name = settings.name;
  if (settings.timeout !== undefined) metadata.timeout = durationFromMillis(timeoutMillis(settings.timeout));
  if (settings.retries !== undefined) metadata.retries = flyteidl.core.RetryStrategy.create({ retries: settings.retries });
  if (settings.interruptible !== undefined) metadata.interruptible = settings.interruptible;
  const { cache } = settings;
  if (cache !== undefined) metadata.cacheable = cache !== false;
  const version = typeof cache === "object" ? cache.version : settings.cacheVersion;
  if (version !== undefined) metadata.cacheVersion = version;
  const serialize = typeof cache === "object" ? cache.serialize : settings.cacheSerialize;
  if (serialize !== undefined) metadata.cacheSerializable = serialize;

  const resources = resolveResources(settings);
  const extendedResources = extendedResourcesMessage(settings);
  const overrides = flyteidl.core.TaskNodeOverrides.create({
    ...(hasNoResources(resources) ? {} : { resources: resourcesMessage(resources, OVERRIDE_RESOURCE_ORDER) }),
    ...(extendedResources ? { extendedResources } : {}),
    containerImage: settings.containerImage === undefined ? "" : imageName(settings.containerImage),
    ...(settings.podTemplate ? { podTemplate: nodeK8sPod(settings.podTemplate) } : {}),
  });
  return { metadata, overrides };
}

/**
 * A task node's complete `NodeMetadata`, as flytekit's `construct_node_metadata` derives it from the
 * task (name, timeout only when non-zero, retries always, interruptible only when set), with the
 * node's overrides applied on top.
 */
export function taskNodeMetadata(
  nodeName: string,
  task: Pick<TaskSettings, "timeout" | "retries" | "interruptible">,
  overrides?: NodeOverrideSettings,
): flyteidl.core.NodeMetadata {
  const problems = validateTaskSettings({
    ...(task.timeout !== undefined ? { timeout: task.timeout } : {}),
    ...(task.retries !== undefined ? { retries: task.retries } : {}),
    ...(task.interruptible !== undefined ? { interruptible: task.interruptible } : {}),
  });
  if (problems.length > 0) throw new InvalidSettingsError(`task settings of node "${nodeName}"`, problems);
  const timeout = timeoutDuration(task.timeout);
  const base: flyteidl.core.NodeMetadata.$Properties = {
    name: nodeName,
    ...(timeout ? { timeout } : {}),
    retries: flyteidl.core.RetryStrategy.create({ retries: task.retries ?? 0 }),
    ...(task.interruptible !== undefined ? { interruptible: task.interruptible } : {}),
  };
  const overridden = overrides ? nodeOverrides(overrides, `overrides of node "${nodeName}"`).metadata : {};
  return flyteidl.core.NodeMetadata.create({ ...base, ...overridden });
}
