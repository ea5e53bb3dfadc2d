/**
 * A local FlytePropeller compiler: WorkflowClosure (workflow template + tasks + sub-workflows +
 * launch plan interfaces) → CompiledWorkflowClosure, with propeller's checks and error kinds; task
 * compilation; and compilation of dynamic job specs (`futures.pb`).
 */
export {
  compileWorkflowClosure,
  toCompileInput,
  launchPlanInterface,
  type ClosureSource,
  type CompileWorkflowInput,
  type CompileExtras,
  type CompileOptions,
} from "./compile.js";
export { compileDynamicJobSpec, type DynamicCompileOptions } from "./dynamic.js";
export { compileTask, type TaskLike } from "./task.js";
export { getRequirements, type WorkflowRequirements } from "./requirements.js";
export { START_NODE_ID, END_NODE_ID, type LaunchPlanInterface } from "./builder.js";
export {
  ClosureCompileError,
  CompileErrorCode,
  formatCompileIssue,
  type CompileIssue,
  type CompileErrorKind,
  type CompileErrorCodeString,
} from "./errors.js";
export { formatId as formatIdentifierText } from "./ids.js";
