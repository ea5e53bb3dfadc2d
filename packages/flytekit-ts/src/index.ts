/**
 * flytekit-ts — everything a workflow file needs, from one import:
 *
 * ```ts
 * import { task, workflow, dynamic, t, T4 } from "flytekit-ts";
 * ```
 */
export {
  task,
  dynamic,
  workflow,
  isEntity,
  CompileError,
  WorkflowUsageError,
  type Task,
  type DynamicTask,
  type Workflow,
  type AnyEntity,
  type Ref,
  type Bindable,
  type NodeOutputs,
} from "@flytekit-ts/compiler";
export {
  t,
  defineType,
  ValueTypeError,
  LiteralTypeError,
  type Infer,
  type InferValues,
  type TypeDescriptor,
  type FlyteFile,
  type FlyteDirectory,
  type StructuredDatasetRef,
  type JsonObject,
} from "@flytekit-ts/types";
export {
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
  gpuAccelerator,
  quantity,
  InvalidSettingsError,
  type TaskSettings,
  type PodTemplate,
  type SecretRequest,
  type Accelerator,
} from "@flytekit-ts/resources";
