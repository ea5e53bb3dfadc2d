import { FlytekitError } from "@flytekit-ts/idl";

/**
 * The error codes of FlytePropeller's compiler (flytepropeller/pkg/compiler/errors), keyed by the Go
 * constant's name, valued by the code string propeller prints ("Code: DuplicateId, Node Id: …"). The
 * two differ for a few codes (DuplicateNodeID → "DuplicateId"), so issues carry both.
 */
export const CompileErrorCode = {
  CycleDetected: "CycleDetected",
  BranchNodeIDNotFound: "BranchNodeIdNotFound",
  BranchNodeHasNoCondition: "BranchNodeHasNoCondition",
  BranchNodeHasNoDefault: "BranchNodeHasNoDefault",
  ValueRequired: "ValueRequired",
  InvalidValue: "InvalidValue",
  NodeReferenceNotFound: "NodeReferenceNotFound",
  TaskReferenceNotFound: "TaskReferenceNotFound",
  WorkflowReferenceNotFound: "WorkflowReferenceNotFound",
  VariableNameNotFound: "VariableNameNotFound",
  DuplicateAlias: "DuplicateAlias",
  DuplicateNodeID: "DuplicateId",
  MismatchingTypes: "MismatchingTypes",
  MismatchingBindings: "MismatchingBindings",
  MismatchingInterfaces: "MismatchingInterfaces",
  InconsistentTypes: "InconsistentTypes",
  ParameterBoundMoreThanOnce: "ParameterBoundMoreThanOnce",
  ParameterNotBound: "ParameterNotBound",
  NoEntryNodeFound: "NoEntryNodeFound",
  UnreachableNodes: "UnreachableNodes",
  UnrecognizedValue: "UnrecognizedValue",
  WorkflowBuildError: "WorkflowBuildError",
  ValueCollision: "ValueCollision",
  SyntaxError: "SyntaxError",
  NoNodesFound: "NoNodesFound",
  IllegalEnumValue: "IllegalEnumValue",
  AmbiguousBindingUnionValue: "AmbiguousBindingUnionValue",
  IncompatibleBindingUnionValue: "IncompatibleBindingUnionValue",
  NoConditionFound: "NoConditionFound",
  FieldNotFoundError: "FieldNotFound",
  IDLNotFoundError: "IDLTypeNotFound",
} as const;

/** The Go constant name of a compiler error kind, e.g. `"DuplicateNodeID"`. */
export type CompileErrorKind = keyof typeof CompileErrorCode;
/** The code string propeller reports, e.g. `"DuplicateId"`. */
export type CompileErrorCodeString = (typeof CompileErrorCode)[CompileErrorKind];

/** One problem found while compiling, as FlytePropeller's compiler would report it. */
export interface CompileIssue {
  /** The Go constant name of the error kind (`MismatchingTypes`, `DuplicateNodeID`, …). */
  readonly kind: CompileErrorKind;
  /** The code string propeller prints for this kind (`MismatchingTypes`, `DuplicateId`, …). */
  readonly code: CompileErrorCodeString;
  /**
   * The node the problem is attributed to: a node id (`n0`, `n1-n0` for a branch case), `start-node`
   * or `end-node` for workflow-level problems, or a pseudo location (`root`, `container`,
   * `resources.CPU`) the way the Go compiler names them.
   */
  readonly nodeId: string;
  /** The input/output variable (or field) concerned, where there is one. */
  readonly variable?: string;
  /** What is wrong, worded like propeller's description. */
  readonly message: string;
}

/** Renders an issue the way propeller's CompileError.Error() does. */
export function formatCompileIssue(issue: CompileIssue): string {
  return `Code: ${issue.code}, Node Id: ${issue.nodeId}, Description: ${issue.message}`;
}

/**
 * Everything wrong with a workflow closure (or task, or dynamic job spec), reported at once, sorted
 * the way propeller lists them (by code, then by rendered text) and without duplicates.
 */
export class ClosureCompileError extends FlytekitError {
  readonly issues: readonly CompileIssue[];

  constructor(what: string, issues: readonly CompileIssue[]) {
    super(
      "CLOSURE_COMPILE",
      `${what} failed to compile: ${issues.length} error${issues.length === 1 ? "" : "s"}\n` +
        issues.map((issue, i) => `\tError ${i}: ${formatCompileIssue(issue)}`).join("\n"),
    );
    this.issues = issues;
  }

  /** The issues of one kind (Go constant name), e.g. `error.ofKind("CycleDetected")`. */
  ofKind(kind: CompileErrorKind): CompileIssue[] {
    return this.issues.filter((i) => i.kind === kind);
  }
}

export function issue(kind: CompileErrorKind, nodeId: string, message: string, variable?: string): CompileIssue {
  return variable === undefined
    ? { kind, code: CompileErrorCode[kind], nodeId, message }
    : { kind, code: CompileErrorCode[kind], nodeId, variable, message };
}

/**
 * A scoped error collector with the semantics of propeller's CompileErrors: every issue lands in
 * one shared, de-duplicated set, and each scope knows whether anything was reported inside it
 * (or its child scopes). The compiler's control flow depends on those per-scope answers, so the
 * scopes are kept rather than a single flat list.
 */
export class Errors {
  private readonly root: Map<string, CompileIssue>;
  private readonly parent: Errors | undefined;
  private count = 0;

  constructor(parent?: Errors) {
    this.parent = parent;
    this.root = parent ? parent.root : new Map();
  }

  scope(): Errors {
    return new Errors(this);
  }

  collect(item: CompileIssue): void {
    const key = `${item.code}\u0000${item.nodeId}\u0000${item.message}`;
    if (!this.root.has(key)) this.root.set(key, item);
    for (let s: Errors | undefined = this; s; s = s.parent) s.count++;
  }

  hasErrors(): boolean {
    return this.count > 0;
  }

  /** All issues collected anywhere, sorted by code then by rendered text (as propeller lists them). */
  list(): CompileIssue[] {
    return [...this.root.values()].sort((a, b) => {
      if (a.code !== b.code) return a.code < b.code ? -1 : 1;
      const x = formatCompileIssue(a);
      const y = formatCompileIssue(b);
      return x < y ? -1 : x > y ? 1 : 0;
    });
  }
}
