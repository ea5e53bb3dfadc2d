import type { TypeDescriptor } from "./descriptor.js";
import { defineType } from "./define.js";
import { LiteralTypeError, describeValue, mismatch } from "./errors.js";
import { describeLiteral, isSet } from "./scalars.js";

/**
 * A Python `enum.Enum` with string values: `enumOf(["red", "green", "blue"])`. The literal is the
 * value's string, the type lists the allowed values in order.
 */
export function enumOf<const V extends readonly [string, ...string[]]>(values: V): TypeDescriptor<V[number]> {
  const allowed = new Set<string>(values);
  if (allowed.size !== values.length) throw new Error(`enum values must be distinct: ${values.join(", ")}`);
  const expected = `one of ${values.map((v) => JSON.stringify(v)).join(", ")}`;
  const accepts = (v: unknown): v is V[number] => typeof v === "string" && allowed.has(v);
  return defineType<V[number]>({
    name: `enum<${values.join("|")}>`,
    tag: "DefaultEnumTransformer",
    literalType: { enumType: { values: [...values] } },
    check(value, path, issues) {
      if (!accepts(value)) issues.push({ path, expected, got: describeValue(value) });
    },
    toLiteral(value) {
      if (!accepts(value)) throw mismatch(expected, value);
      return { scalar: { primitive: { stringValue: value } } };
    },
    fromLiteral(literal) {
      const primitive = literal.scalar?.primitive;
      const value = primitive && isSet(primitive, "stringValue") ? primitive.stringValue : undefined;
      if (value == null) throw new LiteralTypeError(`expected an enum string literal, got ${describeLiteral(literal)}`);
      if (!accepts(value)) throw new LiteralTypeError(`"${value}" is not ${expected}`);
      return value;
    },
  });
}
