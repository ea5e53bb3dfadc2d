import { flyteidl, toProtoJson } from "@flytekit-ts/idl";
import { formatLiteralType, guessType, type LiteralType } from "@flytekit-ts/types";
import { bindValue } from "../bindings.js";
import { Conjunction, type Comparison, type Condition } from "../condition.js";
import { describe, isRef, refData } from "../refs.js";
import type { GraphBuilderLike, NodeRecord, RefData } from "../vocabulary.js";
import type { GraphCompilation } from "./compilation.js";

/*
 * A conditional's conditions as Flyte's `BooleanExpression`s, checked as propeller checks them:
 * operands of primitive types only, both sides of exactly the same type.
 */

type Binding = flyteidl.core.Binding.$Properties;

/** Exact equality of literal types, as propeller compares condition operands (by their protobuf text). */
function typeKey(type: LiteralType): string {
  const json = toProtoJson(flyteidl.core.LiteralType, flyteidl.core.LiteralType.fromObject(type as { [k: string]: unknown }));
  const stable = (v: unknown): string =>
    Array.isArray(v)
      ? `[${v.map(stable).join(",")}]`
      : v !== null && typeof v === "object"
        ? `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stable((v as Record<string, unknown>)[k])}`).join(",")}}`
        : JSON.stringify(v);
  return stable(json);
}
const sameType = (a: LiteralType, b: LiteralType): boolean => typeKey(a) === typeKey(b);

/** The type of a primitive constant operand. */
function primitiveType(p: flyteidl.core.Primitive.$Properties): LiteralType {
  const S = flyteidl.core.SimpleType;
  const simple =
    p.integer != null ? S.INTEGER : p.floatValue != null ? S.FLOAT : p.stringValue != null ? S.STRING : p.boolean != null ? S.BOOLEAN : p.datetime != null ? S.DATETIME : p.duration != null ? S.DURATION : S.NONE;
  return { simple };
}

const PRIMITIVE_SIMPLE = new Set<number>([
  flyteidl.core.SimpleType.INTEGER,
  flyteidl.core.SimpleType.FLOAT,
  flyteidl.core.SimpleType.STRING,
  flyteidl.core.SimpleType.BOOLEAN,
  flyteidl.core.SimpleType.DATETIME,
  flyteidl.core.SimpleType.DURATION,
  flyteidl.core.SimpleType.NONE,
]);
/** Whether values of a type can be compared in a condition (primitives, enums, optionals of them). */
function comparable(type: LiteralType): boolean {
  if (type.unionType) return (type.unionType.variants ?? []).every(comparable);
  if (type.enumType) return true;
  return type.simple != null && PRIMITIVE_SIMPLE.has(type.simple) && !type.structure?.dataclassType && !type.collectionType && !type.mapValueType;
}

/** The conditions of one branch node: each case's expression, and the node inputs their references became. */
export interface BranchConditions {
  expression(condition: Condition): flyteidl.core.BooleanExpression.$Properties;
  /** The branch node's inputs: the references the conditions compare, named `<node id>.<output>` (`.x` for a workflow input x), sorted. */
  inputs(): Binding[];
}

/** Compiles the conditions of the branch node `label`, whose cases see what the `visible` builders hold. */
export function branchConditions(c: GraphCompilation, visible: ReadonlySet<GraphBuilderLike>, label: string, upstream: Set<NodeRecord>): BranchConditions {
  const inputs = new Map<string, Binding>();
  const scope = c.scope(visible);
  const operandVar = (data: RefData): string => {
    const path = data.attrPath.map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`)).join("");
    return `${scope.idOf(data)}.${data.variable}${path}`;
  };
  const operand = (value: unknown, other: unknown): { operand: flyteidl.core.Operand.$Properties; type?: LiteralType } => {
    if (isRef(value)) {
      const data = refData(value);
      const name = operandVar(data);
      if (!comparable(data.type)) {
        c.problems.push({ kind: "IllegalValue", nodeId: label, variable: name, message: `${describe(data)} is a ${formatLiteralType(data.type)}; conditions compare primitive values only` });
        return { operand: { var: name } };
      }
      if (!inputs.has(name)) {
        const binding = bindValue(value, undefined, data.type, { nodeId: label, variable: name }, scope, upstream);
        if (binding !== undefined && !(binding instanceof Promise)) inputs.set(name, { var: name, binding });
      }
      return { operand: { var: name }, type: data.type };
    }
    if (value === null) return { operand: { scalar: { noneType: {} } }, type: { simple: flyteidl.core.SimpleType.NONE } };
    // A constant takes the type of what it is compared with (JavaScript numbers do not tell 3 from 3.0).
    const otherType = isRef(other) ? refData(other).type : undefined;
    if (otherType && !comparable(otherType)) return { operand: {} }; // reported for the reference
    const candidates = otherType?.unionType ? (otherType.unionType.variants ?? []).filter((v) => v.simple !== flyteidl.core.SimpleType.NONE) : otherType ? [otherType] : [];
    for (const candidate of candidates) {
      try {
        const literal = guessType(candidate).toLiteral(value, c.ctx.typeContext);
        if (literal instanceof Promise || !literal.scalar?.primitive) continue;
        return { operand: { primitive: literal.scalar.primitive }, type: primitiveType(literal.scalar.primitive) };
      } catch {
        // not this type
      }
    }
    c.problems.push({
      kind: "MismatchingTypes",
      nodeId: label,
      variable: isRef(other) ? operandVar(refData(other)) : String(value),
      message: `cannot compare ${isRef(other) ? `${describe(refData(other))} (${formatLiteralType(otherType)})` : "it"} with ${JSON.stringify(value)}`,
    });
    return { operand: {} };
  };
  const expression = (condition: Condition): flyteidl.core.BooleanExpression.$Properties => {
    if (condition instanceof Conjunction) {
      return { conjunction: { operator: flyteidl.core.ConjunctionExpression.LogicalOperator[condition.operator], leftExpression: expression(condition.left), rightExpression: expression(condition.right) } };
    }
    const comparison = condition as Comparison;
    const left = operand(comparison.left, comparison.right);
    const right = operand(comparison.right, comparison.left);
    // Propeller's check: both sides have exactly the same type (so optional values cannot be compared).
    if (left.type && right.type && !sameType(right.type, left.type)) {
      c.problems.push({
        kind: "MismatchingTypes",
        nodeId: label,
        variable: left.operand.var ?? right.operand.var ?? "",
        message: `cannot compare ${formatLiteralType(left.type)} with ${formatLiteralType(right.type)}: Flyte compares values of exactly the same type`,
      });
    }
    return { comparison: { operator: flyteidl.core.ComparisonExpression.Operator[comparison.operator], leftValue: left.operand, rightValue: right.operand } };
  };
  const sortedInputs = (): Binding[] => [...inputs.values()].sort((a, b) => ((a.var ?? "") < (b.var ?? "") ? -1 : (a.var ?? "") > (b.var ?? "") ? 1 : 0));
  return { expression, inputs: sortedInputs };
}
