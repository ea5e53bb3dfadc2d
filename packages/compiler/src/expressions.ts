import { Comparison, Condition, asCondition, type ComparisonOperator } from "./condition.js";
import { WorkflowUsageError } from "./problems.js";
import { REF, type Bindable, type Ref } from "./vocabulary.js";

/*
 * Building conditions: the comparison methods every reference to a primitive value answers
 * (`x.gt(3)`), and the functions `eq` … `lte`, `and`, `or`.
 */

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
  return typeof value === "object" && value !== null && (value as { [REF]?: unknown })[REF] !== undefined;
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
  return rest.reduce<Condition>((acc, c) => acc.and(c), asCondition(first, "and"));
}

/** At least one condition holds (nested `OR` conjunctions, left to right). */
export function or(first: Condition, ...rest: Condition[]): Condition {
  return rest.reduce<Condition>((acc, c) => acc.or(c), asCondition(first, "or"));
}
