import { FlytekitError, durationToMillis, flyteidl, timestampToEpochNanos, toBigInt } from "@flytekit-ts/idl";
import { isSet, type LiteralMap } from "@flytekit-ts/types";

type BooleanExpression = flyteidl.core.BooleanExpression.$Properties;
type Operand = flyteidl.core.Operand.$Properties;
type Primitive = flyteidl.core.Primitive.$Properties;
type Node = flyteidl.core.Node.$Properties;


type Comparable = bigint | number | string | boolean | null;

function primitiveValue(p: Primitive): Comparable {
  if (isSet(p, "integer")) return toBigInt(p.integer as number);
  if (isSet(p, "floatValue")) return p.floatValue as number;
  if (isSet(p, "stringValue")) return p.stringValue as string;
  if (isSet(p, "boolean")) return p.boolean as boolean;
  if (isSet(p, "datetime")) return timestampToEpochNanos(p.datetime ?? {});
  if (isSet(p, "duration")) return durationToMillis(p.duration ?? {});
  return null;
}

/** A scalar's comparable value; undefined when it is not a primitive or None (a struct, a blob, …). */
function scalarValue(scalar: flyteidl.core.Scalar.$Properties | null | undefined): Comparable | undefined {
  if (!scalar) return undefined;
  if (scalar.primitive) return primitiveValue(scalar.primitive);
  if (scalar.noneType) return null;
  if (scalar.union?.value) return scalarValue(scalar.union.value.scalar);
  return undefined;
}

function operand(value: Operand, inputs: LiteralMap): Comparable {
  if (value.primitive) return primitiveValue(value.primitive);
  if (value.scalar) return scalarValue(value.scalar) ?? null;
  if (value.var != null) {
    const literal = inputs.literals?.[value.var];
    if (!literal) throw new FlytekitError("BRANCH", `the condition reads "${value.var}", which the branch node does not bind`);
    const read = scalarValue(literal.scalar);
    // Comparing a whole struct (or a list) would silently be false; say what the condition reads instead.
    if (read === undefined) {
      throw new FlytekitError("BRANCH", `the condition reads "${value.var}", which holds ${literalKind(literal)}: conditions compare primitive values (bind a field of a struct through its attribute path)`);
    }
    return read;
  }
  return null;
}

function literalKind(literal: flyteidl.core.Literal.$Properties): string {
  if (literal.collection) return "a list";
  if (literal.map) return "a map";
  const scalar = literal.scalar;
  if (scalar?.binary || scalar?.generic) return "a struct";
  if (scalar?.blob) return "a file or directory";
  if (scalar?.structuredDataset) return "a dataset";
  return "no primitive value";
}

/** Numbers of either kind compare by value; everything else by JavaScript's ordering of like types. */
function compare(a: Comparable, b: Comparable): number {
  const x = typeof a === "bigint" && typeof b === "number" ? Number(a) : a;
  const y = typeof b === "bigint" && typeof a === "number" ? Number(b) : b;
  if (x === y) return 0;
  if (x === null || y === null) return Number.NaN;
  return (x as number) < (y as number) ? -1 : (x as number) > (y as number) ? 1 : 0;
}

/** Evaluates a branch condition on the branch node's inputs, as FlytePropeller does. */
export function evaluate(expression: BooleanExpression, inputs: LiteralMap): boolean {
  // Read here, not at import: touching a message class builds its protobuf type.
  const { ComparisonExpression, ConjunctionExpression } = flyteidl.core;
  if (expression.conjunction) {
    const left = evaluate(expression.conjunction.leftExpression ?? {}, inputs);
    const isOr = (expression.conjunction.operator ?? 0) === ConjunctionExpression.LogicalOperator.OR;
    if (isOr ? left : !left) return left;
    return evaluate(expression.conjunction.rightExpression ?? {}, inputs);
  }
  const comparison = expression.comparison ?? {};
  const order = compare(operand(comparison.leftValue ?? {}, inputs), operand(comparison.rightValue ?? {}, inputs));
  switch (comparison.operator ?? ComparisonExpression.Operator.EQ) {
    case ComparisonExpression.Operator.EQ:
      return order === 0;
    case ComparisonExpression.Operator.NEQ:
      return order !== 0;
    case ComparisonExpression.Operator.GT:
      return order > 0;
    case ComparisonExpression.Operator.GTE:
      return order >= 0;
    case ComparisonExpression.Operator.LT:
      return order < 0;
    default:
      return order <= 0;
  }
}

/** The node a branch runs: the first case whose condition holds, else the else node; an `error` else fails. */
export function chooseBranch(branch: flyteidl.core.BranchNode.$Properties, inputs: LiteralMap): Node | undefined {
  const block = branch.ifElse ?? {};
  for (const c of [block.case, ...(block.other ?? [])]) {
    if (c?.condition && evaluate(c.condition, inputs)) return c.thenNode ?? undefined;
  }
  if (block.elseNode) return block.elseNode;
  if (block.error) throw new FlytekitError("BRANCH_FAILED", block.error.message || `no branch of ${block.error.failedNodeId ?? "the branch node"} matched`);
  throw new FlytekitError("BRANCH_FAILED", "no branch condition held and there is no else");
}
