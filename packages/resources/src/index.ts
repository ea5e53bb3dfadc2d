/**
 * `@flytekit-ts/resources` — how a task runs, as Flyte's IDL carries it: resources, accelerators, pod
 * templates, secrets, images, task metadata (retries, timeout, cache, …) and node-level overrides.
 *
 * Authors write plain, typed `TaskSettings`; the compiler calls `taskTemplateParts` (and
 * `taskDescription`, `taskNodeMetadata`, `nodeOverrides`) to get the IDL messages, exactly as flytekit
 * 1.16 would write them.
 *
 * @module \@flytekit-ts/resources
 */
export { taskTemplateParts, taskDescription, type TaskTemplateContext, type TaskTemplateParts } from "./task-template.js";
export { validateTaskSettings, TASK_SETTING_KEYS, type TaskSettings, type ValidationContext } from "./task-settings.js";
export {
  nodeOverrides,
  taskNodeMetadata,
  validateNodeOverrides,
  NODE_OVERRIDE_KEYS,
  type NodeOverrideSettings,
  type NodeOverrides,
} from "./node-overrides.js";
export { InvalidSettingsError, isInvalidSettingsError, type SettingProblem } from "./problems.js";

export {
  quantity,
  parseQuantity,
  compareQuantities,
  type Quantity,
  type QuantityString,
  type QuantitySuffix,
  type ParsedQuantity,
} from "./quantity.js";
export type { ResourceName, ResourceValues, RequestAndLimit, CombinedResources, ResourceSettings } from "./resources.js";

export {
  gpuAccelerator,
  A10G,
  L4,
  L4_VWS,
  L40S,
  K80,
  M60,
  P4,
  P100,
  T4,
  V100,
  H100,
  H200,
  RTX_PRO_6000,
  A100,
  A100_80GB,
  V5E,
  V5P,
  V6E,
  type Accelerator,
  type AcceleratorPartition,
  type PartitionedAccelerator,
} from "./accelerators.js";
export { SHARED_MEMORY_MOUNT_NAME, SHARED_MEMORY_MOUNT_PATH, type SharedMemory, type ExtendedResourceSettings } from "./extended-resources.js";

export {
  DEFAULT_PRIMARY_CONTAINER_NAME,
  PRIMARY_CONTAINER_NAME_FIELD,
  type PodTemplate,
  type PodTemplateSpec,
} from "./pod-template.js";
export type { SecretRequest, SecretMount } from "./secrets.js";
export { imageName, type ContainerImage, type ImageReference } from "./image.js";
export type { Labels, Annotations } from "./k8s-metadata.js";
export type { Timeout, DurationParts } from "./timeout.js";
export type { CachePolicy, CacheSettings } from "./cache.js";
export type { TaskDocs, DescriptionFormat } from "./docs.js";
export { runtimeVersion, runtimeMetadata, SDK_FLAVOR } from "./runtime-metadata.js";
