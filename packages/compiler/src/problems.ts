import { FlytekitError } from "@flytekit-ts/idl";

/**
 * The kinds of problem Flyte's own compiler reports (flytepropeller/pkg/compiler/errors), so that a
 * problem found here reads the same as the one a cluster would return.
 */
export type ProblemKind =
  | "MismatchingTypes"
  | "ParameterNotBound"
  | "VariableNameNotFound"
  | "DuplicateNodeID"
  | "CycleDetected"
  | "IllegalValue"
  | "InvalidSettings"
  | "NoNodesFound"
  | "MismatchingInterfaces"
  | "BranchNodeHasNoDefault"
  | "TaskReferenceNotFound"
  | "WorkflowReferenceNotFound";

/** One thing wrong with a graph, as FlytePropeller's compiler reports it: the error kind, where, and why. */
export interface Problem {
  kind: ProblemKind;
  /** The node the problem is in (`n0`, `dn3`), `end-node` for workflow outputs, or the entity for settings. */
  nodeId: string;
  /** The input or output variable, where there is one. */
  variable?: string;
  message: string;
}

/** A problem as one line: `[MismatchingTypes] node n0, variable "b": …`. */
export function formatProblem(p: Problem): string {
  return `[${p.kind}] node ${p.nodeId}${p.variable === undefined ? "" : `, variable "${p.variable}"`}: ${p.message}`;
}

/** Everything wrong with a workflow or dynamic graph, reported at once. */
export class CompileError extends FlytekitError {
  readonly problems: readonly Problem[];
  readonly entity: string;

  constructor(entity: string, problems: readonly Problem[]) {
    super(
      "COMPILE",
      `${entity} does not compile (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map((p) => `  - ${formatProblem(p)}`).join("\n"),
    );
    this.problems = problems;
    this.entity = entity;
  }
}

/** A mistake in how a workflow body uses the SDK, thrown where it happens so the stack points at the line. */
export class WorkflowUsageError extends FlytekitError {
  constructor(message: string) {
    super("WORKFLOW_USAGE", message);
  }
}
