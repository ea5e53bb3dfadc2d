import { WorkflowUsageError } from "./problems.js";

/*
 * Conditions as data: what a conditional's case holds. They sit below the vocabulary (which names
 * `Condition` in a branch case and in a reference's comparison methods) and know nothing of
 * references; expressions.ts builds them from references and constants.
 */

/** Flyte's comparison operators (`ComparisonExpression.Operator`). */
export type ComparisonOperator = "EQ" | "NEQ" | "GT" | "GTE" | "LT" | "LTE";

/**
 * A condition of a conditional's case: a comparison of a workflow input or node output with a
 * constant or another one (`x.gt(3)`, `eq(a, b)`), or conditions joined with `and` / `or`.
 */
export abstract class Condition {
  /** Both conditions hold (Flyte's `AND` conjunction). */
  and(other: Condition): Condition {
    return new Conjunction("AND", this, asCondition(other, "and"));
  }
  /** Either condition holds (Flyte's `OR` conjunction). */
  or(other: Condition): Condition {
    return new Conjunction("OR", this, asCondition(other, "or"));
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

/** `value` as a condition, or a usage error naming `where` (a plain boolean gets a hint). */
export function asCondition(value: unknown, where: string): Condition {
  if (value instanceof Condition) return value;
  throw new WorkflowUsageError(
    `${where}(…) takes conditions such as x.gt(3) or eq(a, b), got ${typeof value === "boolean" ? `the plain boolean ${value}` : typeof value}` +
      (typeof value === "boolean" ? " — a comparison of references with < or === cannot be built in JavaScript; use the comparison functions" : ""),
  );
}
