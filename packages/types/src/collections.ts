import type { Literal, TypeDescriptor } from "./descriptor.js";
import { defineType } from "./define.js";
import { LiteralTypeError, ValueTypeError, describeValue, mismatch } from "./errors.js";
import { describeLiteral } from "./scalars.js";

function isThenable(value: unknown): value is Promise<unknown> {
  return value instanceof Promise;
}

/**
 * Converts each element, staying synchronous unless some element conversion is async (files,
 * plugins), so that large lists of plain values cost no promise per element.
 */
function convertAll<A, B>(items: readonly A[], convert: (item: A) => B | Promise<B>, at: (i: number) => string | number): B[] | Promise<B[]> {
  const out = new Array<B | Promise<B>>(items.length);
  let pending = false;
  for (let i = 0; i < items.length; i++) {
    try {
      const result = convert(items[i] as A);
      if (isThenable(result)) {
        pending = true;
        out[i] = result.catch((error: unknown) => {
          throw error instanceof ValueTypeError ? error.within(at(i)) : error;
        });
      } else out[i] = result;
    } catch (error) {
      throw error instanceof ValueTypeError ? error.within(at(i)) : error;
    }
  }
  return pending ? Promise.all(out) : (out as B[]);
}

/** `List[T]`: a JS array; a collection literal. */
export function list<T>(element: TypeDescriptor<T>): TypeDescriptor<T[]> {
  return defineType<T[]>({
    name: `list<${element.name}>`,
    tag: "Typed List",
    literalType: { collectionType: element.literalType },
    check(value, path, issues) {
      if (!Array.isArray(value)) {
        issues.push({ path, expected: `a list of ${element.name}`, got: describeValue(value) });
        return;
      }
      for (let i = 0; i < value.length; i++) element.check(value[i], [...path, i], issues);
    },
    toLiteral(value, ctx) {
      if (!Array.isArray(value)) throw mismatch(`a list of ${element.name}`, value);
      const literals = convertAll(value, (item) => element.toLiteral(item, ctx), (i) => i);
      return isThenable(literals) ? literals.then((l) => ({ collection: { literals: l } })) : { collection: { literals } };
    },
    fromLiteral(literal, ctx) {
      const literals = literal.collection?.literals;
      if (!literals) throw new LiteralTypeError(`expected a collection literal for ${`list<${element.name}>`}, got ${describeLiteral(literal)}`);
      return convertAll(literals as Literal[], (item) => element.fromLiteral(item, ctx), (i) => i);
    },
  });
}

/** `Dict[str, T]`: a plain object with string keys; a map literal. */
export function map<T>(value: TypeDescriptor<T>): TypeDescriptor<Record<string, T>> {
  const name = `map<${value.name}>`;
  const isRecord = (v: unknown): v is Record<string, unknown> =>
    typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date) && !(v instanceof Uint8Array);
  return defineType<Record<string, T>>({
    name,
    tag: "Typed Dict",
    literalType: { mapValueType: value.literalType },
    check(v, path, issues) {
      if (!isRecord(v)) {
        issues.push({ path, expected: `a map of ${value.name}`, got: describeValue(v) });
        return;
      }
      for (const [key, item] of Object.entries(v)) {
        if (key === "__proto__") issues.push({ path: [...path, key], expected: "a key other than __proto__ (readers would set a prototype)", got: "__proto__" });
        else value.check(item, [...path, key], issues);
      }
    },
    toLiteral(v, ctx) {
      if (!isRecord(v)) throw mismatch(`a map of ${value.name}`, v);
      const keys = Object.keys(v);
      if (keys.includes("__proto__")) throw new ValueTypeError([{ path: ["__proto__"], expected: "a key other than __proto__ (readers would set a prototype)", got: "__proto__" }]);
      const converted = convertAll(keys, (key) => value.toLiteral(v[key] as T, ctx), (i) => keys[i] as string);
      const build = (literals: Literal[]): Literal => ({ map: { literals: Object.fromEntries(keys.map((k, i) => [k, literals[i] as Literal])) } });
      return isThenable(converted) ? converted.then(build) : build(converted);
    },
    fromLiteral(literal, ctx) {
      const literals = literal.map?.literals;
      if (!literals) throw new LiteralTypeError(`expected a map literal for ${name}, got ${describeLiteral(literal)}`);
      const keys = Object.keys(literals);
      const converted = convertAll(keys, (key) => value.fromLiteral(literals[key] as Literal, ctx), (i) => keys[i] as string);
      const build = (values: T[]): Record<string, T> => Object.fromEntries(keys.map((k, i) => [k, values[i] as T]));
      return isThenable(converted) ? converted.then(build) : build(converted);
    },
  });
}
