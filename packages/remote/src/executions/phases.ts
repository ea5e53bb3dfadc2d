import { flyteidl } from "@flytekit-ts/idl";

const { WorkflowExecution, NodeExecution } = flyteidl.core;

/** `WorkflowExecution.Phase` names (flyteidl/core/execution.proto). */
export type ExecutionPhase = "UNDEFINED" | "QUEUED" | "RUNNING" | "SUCCEEDING" | "SUCCEEDED" | "FAILING" | "FAILED" | "ABORTED" | "TIMED_OUT" | "ABORTING";
/** `NodeExecution.Phase` names. */
export type NodePhase = "UNDEFINED" | "QUEUED" | "RUNNING" | "SUCCEEDED" | "FAILING" | "FAILED" | "ABORTED" | "SKIPPED" | "TIMED_OUT" | "DYNAMIC_RUNNING" | "RECOVERED";

/** The name of an execution's phase number as FlyteAdmin sends it (`UNDEFINED` for one this SDK does not know). */
export function executionPhaseName(phase: number | null | undefined): ExecutionPhase {
  return ((WorkflowExecution.Phase as unknown as Record<number, string>)[phase ?? 0] ?? "UNDEFINED") as ExecutionPhase;
}

/** The name of a node execution's phase number (`UNDEFINED` for one this SDK does not know). */
export function nodePhaseName(phase: number | null | undefined): NodePhase {
  return ((NodeExecution.Phase as unknown as Record<number, string>)[phase ?? 0] ?? "UNDEFINED") as NodePhase;
}

/** The phases an execution never leaves (flytekit's `is_done`); SUCCEEDING, FAILING and ABORTING are on their way. */
export const TERMINAL_EXECUTION_PHASES: ReadonlySet<ExecutionPhase> = new Set(["SUCCEEDED", "FAILED", "ABORTED", "TIMED_OUT"]);
/** The phases a node execution never leaves. */
export const TERMINAL_NODE_PHASES: ReadonlySet<NodePhase> = new Set(["SUCCEEDED", "FAILED", "ABORTED", "SKIPPED", "TIMED_OUT", "RECOVERED"]);

/** Whether an execution in this phase is done (one of `TERMINAL_EXECUTION_PHASES`). */
export const isTerminalExecutionPhase = (phase: number | null | undefined): boolean => TERMINAL_EXECUTION_PHASES.has(executionPhaseName(phase));
