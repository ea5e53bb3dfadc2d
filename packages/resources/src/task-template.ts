import { flyteidl, google } from "@flytekit-ts/idl";
import { resolveCache } from "./cache.js";
import { checkDocs, descriptionMessage } from "./docs.js";
import { extendedResourcesMessage } from "./extended-resources.js";
import { imageName } from "./image.js";
import { k8sObjectMetadataMessage } from "./k8s-metadata.js";
import { PRIMARY_CONTAINER_NAME_FIELD, primaryContainerName, taskK8sPod, type PrimaryContainerParts } from "./pod-template.js";
import { InvalidSettingsError, ProblemList } from "./problems.js";
import { CONTAINER_RESOURCE_ORDER, resolveResources, resourcesMessage } from "./resources.js";
import { runtimeMetadata, runtimeVersion } from "./runtime-metadata.js";
import { securityContextMessage } from "./secrets.js";
import { checkEnvironment, validateTaskSettings, type TaskSettings } from "./task-settings.js";
import { timeoutDuration } from "./timeout.js";

/** What the compiler knows and the settings do not. */
export interface TaskTemplateContext {
  /** The container's arguments (entrypoint, I/O template variables, resolver): the compiler's business. */
  readonly args: readonly string[];
  /** The container's command; default empty, as flytekit puts everything into `args`. */
  readonly command?: readonly string[];
  /** The project's default image, used when the task sets no `containerImage`. */
  readonly defaultImage: string;
  /** This SDK's version (semver), recorded in `TaskMetadata.runtime`; see {@link runtimeVersion}. */
  readonly sdkVersion: string;
  /**
   * Environment the compiler adds (flytekit's serialization-settings env, e.g. `_F_SS_C` for dynamic
   * tasks). Comes first; the task's `environment` overrides equal names.
   */
  readonly env?: Readonly<Record<string, string>>;
  /** A cache version the compiler computed, used when caching is on and the settings give none. */
  readonly cacheVersion?: string;
  /** The task's input names, to check `cacheIgnoredInputs` against. */
  readonly inputNames?: readonly string[];
  /** Names the task in error messages, e.g. `task "my_pkg.flows.t1"`; default `task settings`. */
  readonly subject?: string;
}

/**
 * The `TaskTemplate` fields decided by task settings; the compiler adds `id`, `type`, `interface` and
 * `taskTypeVersion`. Exactly one of `container` and `k8sPod` is set. Optional fields are absent (not
 * `undefined`) when flytekit would leave them unset, so the object can be spread into
 * `TaskTemplate.create`.
 */
export interface TaskTemplateParts {
  readonly metadata: flyteidl.core.TaskMetadata;
  readonly container?: flyteidl.core.Container;
  readonly k8sPod?: flyteidl.core.K8sPod;
  readonly config: { [key: string]: string };
  readonly securityContext?: flyteidl.core.SecurityContext;
  readonly extendedResources?: flyteidl.core.ExtendedResources;
}

/**
 * Builds the task template's parts from validated settings. Throws {@link InvalidSettingsError} with
 * every problem when the settings are invalid, and TypeError when the context is (a compiler bug).
 */
export function taskTemplateParts(settings: TaskSettings, context: TaskTemplateContext): TaskTemplateParts {
  checkContext(context);
  const problems = validateTaskSettings(settings, context);
  if (problems.length > 0) throw new InvalidSettingsError(context.subject ?? "task settings", problems);

  const resources = resolveResources(settings);
  const image = imageName(settings.containerImage ?? context.defaultImage);
  const command = context.command ?? [];
  const env = mergedEnvironment(context.env, settings.environment);

  const metadata = taskMetadata(settings, context);
  const securityContext = securityContextMessage(settings.secretRequests);
  const extendedResources = extendedResourcesMessage(settings);
  const optional = {
    ...(securityContext ? { securityContext } : {}),
    ...(extendedResources ? { extendedResources } : {}),
  };

  if (settings.podTemplate) {
    const primary: PrimaryContainerParts = { image, command, args: context.args, resources, env };
    return {
      metadata,
      k8sPod: taskK8sPod(settings.podTemplate, primary),
      config: { [PRIMARY_CONTAINER_NAME_FIELD]: primaryContainerName(settings.podTemplate) },
      ...optional,
    };
  }
  return {
    metadata,
    container: flyteidl.core.Container.create({
      image,
      command: [...command],
      args: [...context.args],
      // flytekit always sends a Resources message, empty when nothing was asked for.
      resources: resourcesMessage(resources, CONTAINER_RESOURCE_ORDER),
      env: env.map(([key, value]) => flyteidl.core.KeyValuePair.create({ key, value })),
    }),
    config: {},
    ...optional,
  };
}

/** `TaskMetadata` as flytekit's `TaskMetadata.to_taskmetadata_model` fills it. Settings must be valid. */
function taskMetadata(settings: TaskSettings, context: TaskTemplateContext): flyteidl.core.TaskMetadata {
  const cache = resolveCache(settings, context);
  const timeout = timeoutDuration(settings.timeout);
  return flyteidl.core.TaskMetadata.create({
    discoverable: cache.enabled,
    runtime: runtimeMetadata(context.sdkVersion),
    ...(timeout ? { timeout } : {}),
    retries: flyteidl.core.RetryStrategy.create({ retries: settings.retries ?? 0 }),
    discoveryVersion: cache.version,
    deprecatedErrorMessage: settings.deprecated ?? "",
    // A oneof: set only when the task says, so that an unset value inherits the workflow's default.
    ...(settings.interruptible !== undefined ? { interruptible: settings.interruptible } : {}),
    cacheSerializable: cache.serialize,
    podTemplateName: settings.podTemplateName ?? "",
    cacheIgnoreInputVars: [...cache.ignoredInputs],
    generatesDeck: google.protobuf.BoolValue.create({ value: deckEnabled(settings) }),
    metadata: k8sObjectMetadataMessage(settings.labels, settings.annotations),
  });
}

/** flytekit: decks are off unless `enable_deck=True` (or the deprecated `disable_deck=False`). */
function deckEnabled(settings: TaskSettings): boolean {
  if (settings.enableDeck !== undefined) return settings.enableDeck;
  if (settings.disableDeck !== undefined) return !settings.disableDeck;
  return false;
}

/** The compiler's env, then the task's; a later equal name replaces the value but keeps its place. */
function mergedEnvironment(...sources: (Readonly<Record<string, string>> | undefined)[]): [string, string][] {
  const merged = new Map<string, string>();
  for (const source of sources) for (const [name, value] of Object.entries(source ?? {})) merged.set(name, value);
  return [...merged];
}

function checkContext(context: TaskTemplateContext): void {
  const isStringList = (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === "string");
  if (!isStringList(context.args)) throw new TypeError("TaskTemplateContext.args must be a list of strings");
  if (context.command !== undefined && !isStringList(context.command)) {
    throw new TypeError("TaskTemplateContext.command must be a list of strings");
  }
  if (typeof context.defaultImage !== "string") throw new TypeError("TaskTemplateContext.defaultImage must be a string");
  const problems = new ProblemList();
  checkEnvironment(problems, "env", context.env);
  if (!problems.isEmpty) throw new TypeError(`TaskTemplateContext.env is invalid: ${problems.problems.map((p) => `${p.setting}: ${p.message}`).join("; ")}`);
  runtimeVersion(context.sdkVersion); // throws TypeError unless it is a semantic version
}

/**
 * `TaskSpec.description` for the task's `docs` (flytekit always registers one). Throws
 * {@link InvalidSettingsError} when the docs are invalid.
 */
export function taskDescription(settings: Pick<TaskSettings, "docs">, subject = "task settings"): flyteidl.admin.DescriptionEntity {
  const problems = new ProblemList();
  checkDocs(problems, "docs", settings.docs);
  if (!problems.isEmpty) throw new InvalidSettingsError(subject, problems.problems);
  return descriptionMessage(settings.docs);
}
