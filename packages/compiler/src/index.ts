/**
 * @flytekit-ts/compiler — tasks, workflows and dynamic workflows: typed declarations, compilation to
 * Flyte's IDL with Flyte's checks, and the run-time compiler of dynamic workflows.
 */
export { task, dynamic, workflow, isEntity, entityKind, ENTITY } from "./entities.js";
export { BUILD_DIR, moduleName, defaultEntityName, nameEntity, nameEntityAs, isNamed } from "./entity-naming.js";
export type {
  Task,
  DynamicTask,
  Workflow,
  AnyEntity,
  AnyTask,
  TaskLike,
  DynamicLike,
  WorkflowLike,
  MapTaskLike,
  LaunchPlanLike,
  ReferenceLike,
  OptionalInputKeys,
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
export { NODE, type NodeOutputs, type NodeRecord, type NodeTarget } from "./builder.js";
export { mapTask, mapTaskName, type MapTask, type MapTaskOptions, type MappedInputs, type MappedOutputs, type ToleratesFailures } from "./map-task.js";
export {
  conditional,
  type BranchTarget,
  type BranchCase,
  type BranchOutputs,
  type CommonOutputs,
  type ConditionalStart,
  type FirstCase,
  type NextCase,
  type ConditionalChain,
  type ElseCase,
} from "./conditional.js";
export { Condition, Comparison, Conjunction, eq, ne, gt, gte, lt, lte, and, or, type ComparisonOperator, type Comparisons } from "./expressions.js";
export {
  launchPlan,
  launchPlanSpec,
  isDefaultLaunchPlan,
  type LaunchPlan,
  type LaunchPlanDeclaration,
  type LaunchPlanOptions,
  type LaunchPlanCallInputs,
  type Schedule,
  type Notification,
  type NotificationPhase,
  type LaunchPlanSecurityContext,
} from "./launch-plan.js";
export {
  referenceTask,
  referenceWorkflow,
  referenceLaunchPlan,
  type ReferenceId,
  type ReferenceSpec,
  type ReferenceTask,
  type ReferenceWorkflow,
  type ReferenceLaunchPlan,
  type ReferencedWorkflowTemplates,
} from "./references.js";
export { withOverrides, runsBefore, dnsify, type NodeOverrideOptions, type NodeLike } from "./nodes.js";
export { sleep, approve, waitForInput, type GateTarget, type GateOptions } from "./gates.js";
export { flyteError, type FlyteError } from "./flyte-error.js";
export { REF, isRef, type Ref, type Bindable, type RefData } from "./refs.js";
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
export { calledEntities } from "./graph.js";
export { compileDynamic, DYNAMIC_NODE_PREFIX, FUTURES_SIZE_LIMIT, type DynamicResult, type DynamicCompileOptions } from "./dynamic-compiler.js";
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
