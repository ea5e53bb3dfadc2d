/**
 * `@flytekit-ts/compiler` — tasks, workflows and dynamic workflows: typed declarations, compilation to
 * Flyte's IDL with Flyte's checks, and the run-time compiler of dynamic workflows.
 *
 * @module \@flytekit-ts/compiler
 */
export { task, dynamic, workflow, isEntity, entityKind, nameExports } from "./entities.js";
export { BUILD_DIR, moduleName, defaultEntityName, nameEntity, nameEntityAs, isNamed } from "./entity-naming.js";
export type {
  Task,
  DynamicTask,
  Workflow,
  OptionalInputKeys,
  CallInputs,
  BoundOutputs,
  InputRefs,
  TaskDeclaration,
  DynamicDeclaration,
  WorkflowDeclaration,
} from "./entities.js";
export {
  ENTITY,
  NODE,
  REF,
  type AnyEntity,
  type AnyTask,
  type TaskLike,
  type DynamicLike,
  type WorkflowLike,
  type MapTaskLike,
  type LaunchPlanLike,
  type ReferenceLike,
  type Variables,
  type FailurePolicy,
  type EntityKind,
  type NodeOutputs,
  type NodeRecord,
  type NodeTarget,
  type BranchTarget,
  type BranchCase,
  type GateTarget,
  type NodeOverrideOptions,
  type Ref,
  type Bindable,
  type RefData,
  type Comparisons,
  type LaunchPlanOptions,
  type Schedule,
  type Notification,
  type NotificationPhase,
  type LaunchPlanSecurityContext,
  type ReferenceId,
  type ReferenceSpec,
  type ReferencedWorkflowTemplates,
} from "./vocabulary.js";
export { mapTask, mapTaskName, type MapTask, type MapTaskOptions, type MappedInputs, type MappedOutputs, type ToleratesFailures } from "./map-task.js";
export {
  conditional,
  type BranchOutputs,
  type CommonOutputs,
  type ConditionalStart,
  type FirstCase,
  type NextCase,
  type ConditionalChain,
  type ElseCase,
} from "./conditional.js";
export { Condition, Comparison, Conjunction, type ComparisonOperator } from "./condition.js";
export { eq, ne, gt, gte, lt, lte, and, or } from "./expressions.js";
export { launchPlan, isDefaultLaunchPlan, type LaunchPlan, type LaunchPlanDeclaration, type LaunchPlanCallInputs } from "./launch-plan.js";
export { launchPlanSpec } from "./launch-plan-spec.js";
export { referenceTask, referenceWorkflow, referenceLaunchPlan, type ReferenceTask, type ReferenceWorkflow, type ReferenceLaunchPlan } from "./references.js";
export { withOverrides, runsBefore, dnsify, type NodeLike } from "./nodes.js";
export { sleep, approve, waitForInput, type GateOptions } from "./gates.js";
export { flyteError, type FlyteError } from "./flyte-error.js";
export { isRef } from "./refs.js";
export { CompileError, WorkflowUsageError, formatProblem, type Problem, type ProblemKind } from "./problems.js";
export {
  serializationContext,
  fastExecutePrefix,
  type FastDistribution,
  encodeRegistrationContext,
  decodeRegistrationContext,
  REGISTRATION_CONTEXT_ENV,
  SDK_VERSION,
  type SerializationContext,
  type EntityLocation,
  type RegistrationContext,
} from "./context.js";
export { entityId, taskTemplate, taskSpec, typedInterface, entrypointArgs, mapTaskArgs } from "./serialize.js";
export { WorkflowCompiler, workflowSpec, defaultLaunchPlan, type CompiledWorkflow, type WorkflowCompilerOptions, type WorkflowTemplate, type Dependencies } from "./workflow-compiler.js";
export { calledEntities } from "./graph/compile.js";
export { compileDynamic, DYNAMIC_NODE_PREFIX, FUTURES_SIZE_LIMIT, type DynamicResult, type DynamicCompileOptions } from "./dynamic-compiler.js";
export { registrationBundle, compileRegistration, checkBundle, encodeEntry, entryFileName, contentVersion, type BundleEntry, type CompiledRegistration } from "./bundle.js";
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
export {
  containerTask,
  isContainerTask,
  containerTaskTemplate,
  ContainerTaskError,
  type ContainerTask,
  type ContainerTaskDeclaration,
  type ContainerSpec,
  type MetadataFormat,
} from "./container-task.js";
export { renderGraph, promiseSources, type GraphFormat, type RenderableGraph } from "./render.js";
