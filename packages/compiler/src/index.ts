/**
 * @flytekit-ts/compiler — tasks, workflows and dynamic workflows: typed declarations, compilation to
 * Flyte's IDL with Flyte's checks, and the run-time compiler of dynamic workflows.
 */
export { task, dynamic, workflow, isEntity, entityKind, ENTITY } from "./entities.js";
export type {
  Task,
  DynamicTask,
  Workflow,
  AnyEntity,
  AnyTask,
  TaskLike,
  DynamicLike,
  WorkflowLike,
  Variables,
  CallInputs,
  BoundOutputs,
  InputRefs,
  FailurePolicy,
  TaskDeclaration,
  DynamicDeclaration,
  WorkflowDeclaration,
  EntityKind,
} from "./entities.js";
export { NODE, type NodeOutputs, type NodeRecord } from "./builder.js";
export { REF, isRef, type Ref, type Bindable, type RefData } from "./refs.js";
export { CompileError, WorkflowUsageError, formatProblem, type Problem, type ProblemKind } from "./problems.js";
export {
  serializationContext,
  encodeRegistrationContext,
  decodeRegistrationContext,
  REGISTRATION_CONTEXT_ENV,
  SDK_VERSION,
  type SerializationContext,
  type EntityLocation,
  type RegistrationContext,
} from "./context.js";
export { entityId, taskTemplate, taskSpec, typedInterface, entrypointArgs } from "./serialize.js";
export { WorkflowCompiler, workflowSpec, defaultLaunchPlan, type CompiledWorkflow, type WorkflowTemplate } from "./workflow-compiler.js";
export { compileDynamic, FUTURES_SIZE_LIMIT, type DynamicResult, type DynamicCompileOptions } from "./dynamic-compiler.js";
export { registrationBundle, checkBundle, encodeEntry, entryFileName, contentVersion, type BundleEntry } from "./bundle.js";
export {
  compileWorkflowClosure,
  compileDynamicJobSpec,
  compileTask,
  getRequirements,
  launchPlanInterface,
  toCompileInput,
  ClosureCompileError,
  CompileErrorCode,
  formatCompileIssue,
  START_NODE_ID,
  END_NODE_ID,
  type ClosureSource,
  type CompileWorkflowInput,
  type CompileExtras,
  type CompileOptions,
  type CompileIssue,
  type CompileErrorKind,
  type LaunchPlanInterface,
  type WorkflowRequirements,
} from "./closure/index.js";
export { renderGraph, type GraphFormat, type RenderableGraph } from "./render.js";
