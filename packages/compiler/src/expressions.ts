import { WorkflowUsageError } from "./problems.js";
import type { Bindable, Ref } from "./refs.js";

/** Flyte's comparison operators (`ComparisonExpression.Operator`). */
export type ComparisonOperator = "EQ" | "NEQ" | "GT" | "GTE" | "LT" | "LTE";

/**
 * A condition of a conditional's case: a comparison of a workflow input or node output with a
 * constant or another one (`x.gt(3)`, `eq(a, b)`), or conditions joined with `and` / `or`.
 */
export abstract class Condition {
  /** Both conditions hold (Flyte's `AND` conjunction). */
  and(other: Condition): Condition {
    return new Conjunction("AND", this, checkCondition(other, "and"));
  }
  /** Either condition holds (Flyte's `OR` conjunction). */
  or(other: Condition): Condition {
    return new Conjunction("OR", this, checkCondition(other, "or"));
  }
}

/** `left <operator> right`; at least one side is a reference. */
export class Comparison extends Condition {
  constructor(
    readonly operator: ComparisonOperator,
    readonly left: unknown,
    readonly right: unknown,
  ) {
    super();
  }
}

/** `left AND right`, `left OR right`. */
export class Conjunction extends Condition {
  constructor(
    readonly operator: "AND" | "OR",
    readonly left: Condition,
    readonly right: Condition,
  ) {
    super();
  }
}

/** Comparison methods of a reference to a primitive value (a workflow input or node output). */
export interface Comparisons<T> {
  /** Equal to (`==`). */
  eq(other: Bindable<T>): Condition;
  /** Not equal to (`!=`). */
  ne(other: Bindable<T>): Condition;
  /** Greater than. */
  gt(other: Bindable<NonNullable<T>>): Condition;
  /** Greater than or equal to. */
  gte(other: Bindable<NonNullable<T>>): Condition;
  /** Less than. */
  lt(other: Bindable<NonNullable<T>>): Condition;
  /** Less than or equal to. */
  lte(other: Bindable<NonNullable<T>>): Condition;
  /** Equal to `true` (flytekit's `is_true()`). */
  isTrue(): Condition;
  /** Equal to `false` (flytekit's `is_false()`). */
  isFalse(): Condition;
}

const OPERATORS: Readonly<Record<string, ComparisonOperator>> = { eq: "EQ", ne: "NEQ", gt: "GT", gte: "GTE", lt: "LT", lte: "LTE" };
const CONSTANTS: Readonly<Record<string, unknown>> = { isTrue: true, isFalse: false };

/** The names a reference answers with a comparison method (unless its value has an attribute of that name). */
export const COMPARISON_METHODS: ReadonlySet<string> = new Set([...Object.keys(OPERATORS), ...Object.keys(CONSTANTS)]);

/** The comparison method `name` of the reference `ref`. */
export function comparisonMethod(name: string, ref: Ref<unknown>): (other?: unknown) => Condition {
  const operator = OPERATORS[name];
  if (operator) return (other?: unknown) => compare(operator, ref, other, name);
  const constant = CONSTANTS[name];
  return () => new Comparison("EQ", ref, constant);
}

function isRefLike(value: unknown): boolean {
  return typeof value === "object" && value !== null && (value as { [k: symbol]: unknown })[Symbol.for("flytekit-ts.node-output")] !== undefined;
}

const isConstant = (value: unknown): boolean =>
  value === null ||
  typeof value === "number" ||
  typeof value === "bigint" ||
  typeof value === "string" ||
  typeof value === "boolean" ||
  value instanceof Date;

function compare(operator: ComparisonOperator, left: unknown, right: unknown, how: string): Comparison {
  for (const side of [left, right]) {
    if (!isRefLike(side) && !isConstant(side)) {
      throw new WorkflowUsageError(
        `${how}(…) compares a ${side === undefined ? "missing value" : typeof side}; compare a workflow input or node output with a number, string, boolean, Date, null or another reference`,
      );
    }
  }
  if (!isRefLike(left) && !isRefLike(right)) {
    throw new WorkflowUsageError(
      `${how}(${String(left)}, ${String(right)}) compares two plain values, which needs no condition: at least one side must be a workflow input or node output. ` +
        "In a dynamic workflow, whose inputs are real values, use a plain if.",
    );
  }
  return new Comparison(operator, left, right);
}

function checkCondition(value: unknown, where: string): Condition {
  if (value instanceof Condition) return value;
  throw new WorkflowUsageError(
    `${where}(…) takes conditions such as x.gt(3) or eq(a, b), got ${typeof value === "boolean" ? `the plain boolean ${value}` : typeof value}` +
      (typeof value === "boolean" ? " — a comparison of references with < or === cannot be built in JavaScript; use the comparison functions" : ""),
  );
}

/** Validates a case's condition. */
export function asCondition(value: unknown, where: string): Condition {
  return checkCondition(value, where);
}

/** `a == b`. */
export const eq = <T>(a: Bindable<T>, b: Bindable<T>): Condition => compare("EQ", a, b, "eq");
/** `a != b`. */
export const ne = <T>(a: Bindable<T>, b: Bindable<T>): Condition => compare("NEQ", a, b, "ne");
/** `a > b`. */
export const gt = <T>(a: Bindable<T>, b: Bindable<T>): Condition => compare("GT", a, b, "gt");
/** `a >= b`. */
export const gte = <T>(a: Bindable<T>, b: Bindable<T>): Condition => compare("GTE", a, b, "gte");
/** `a < b`. */
export const lt = <T>(a: Bindable<T>, b: Bindable<T>): Condition => compare("LT", a, b, "lt");
/** `a <= b`. */
export const lte = <T>(a: Bindable<T>, b: Bindable<T>): Condition => compare("LTE", a, b, "lte");

/** Every condition holds (nested `AND` conjunctions, left to right). */
export function and(first: Condition, ...rest: Condition[]): Condition {
  return rest.reduce<Condition>((acc, c) => acc.and(c), checkCondition(first, "and"));
}

/** At least one condition holds (nested `OR` conjunctions, left to right). */
export function or(first: Condition, ...rest: Condition[]): Condition {
  return rest.reduce<Condition>((acc, c) => acc.or(c), checkCondition(first, "or"));
}
