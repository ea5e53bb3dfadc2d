import type { Infer, Literal, LiteralType, TypeDescriptor } from "./descriptor.js";
import { defineType, issuesOf } from "./define.js";
import { LiteralTypeError, ValueTypeError, describeValue } from "./errors.js";
import { isCastable } from "./compat.js";
import { withTag } from "./literal-types.js";
import { describeLiteral, none } from "./scalars.js";

/**
 * `Union[A, B, …]`. Writing tries the variants in the order given and takes the first that accepts
 * the value (JavaScript cannot tell `3` from `3.0`, so order, not ambiguity, decides — put the
 * narrower type first). The literal is `scalar.union{value, type}` with the variant's flytekit tag,
 * exactly as flytekit writes it. Reading picks the variant by the stored tag, as flytekit does; a
 * plain (non-union) literal, as an upstream task may produce, is read by the first variant that can.
 */
export function union<const V extends readonly [TypeDescriptor<unknown>, ...TypeDescriptor<unknown>[]]>(
  ...variants: V
): TypeDescriptor<Infer<V[number]>> {
  type T = Infer<V[number]>;
  const name = `union<${variants.map((v) => v.name).join(" | ")}>`;
  const taggedTypes = variants.map((v) => withTag(v.literalType, v.tag));
  const expected = variants.map((v) => v.name).join(" or ");

  const decodeWith = (index: number, literal: Literal, ctx: Parameters<TypeDescriptor<unknown>["fromLiteral"]>[1]): T | Promise<T> =>
    (variants[index] as TypeDescriptor<T>).fromLiteral(literal, ctx);

  /** The first of the `candidates` (variant indices, in order) that reads the literal; sync unless a variant is async. */
  function firstThatReads(literal: Literal, ctx: Parameters<TypeDescriptor<unknown>["fromLiteral"]>[1], candidates: readonly number[] = allIndices, from = 0): T | Promise<T> {
    for (let c = from; c < candidates.length; c++) {
      try {
        const result = decodeWith(candidates[c] as number, literal, ctx);
        if (result instanceof Promise) return result.catch(() => firstThatReads(literal, ctx, candidates, c + 1));
        return result;
      } catch (error) {
        if (!(error instanceof LiteralTypeError) && !(error instanceof ValueTypeError)) throw error;
      }
    }
    throw new LiteralTypeError(`no variant of ${name} can read ${describeLiteral(literal)}`);
  }
  const allIndices = variants.map((_, i) => i);

  return defineType<T>({
    name,
    tag: "Typed Union",
    literalType: { unionType: { variants: taggedTypes } },
    check(value, path, issues) {
      if (!variants.some((v) => issuesOf(v, value).length === 0)) issues.push({ path, expected, got: describeValue(value) });
    },
    toLiteral(value, ctx) {
      // Checked first, converted after: a variant's conversion may upload or otherwise act, so only the
      // variant that accepts the value converts it (and validates it again, the price of that).
      const index = variants.findIndex((v) => issuesOf(v, value).length === 0);
      if (index < 0) throw new ValueTypeError([{ path: [], expected, got: describeValue(value) }]);
      const variant = variants[index] as TypeDescriptor<T>;
      const type = taggedTypes[index] as LiteralType;
      const wrap = (inner: Literal): Literal => ({ scalar: { union: { value: inner, type } } });
      const inner = variant.toLiteral(value, ctx);
      return inner instanceof Promise ? inner.then(wrap) : wrap(inner);
    },
    fromLiteral(literal, ctx) {
      const stored = literal.scalar?.union;
      if (!stored) return firstThatReads(literal, ctx);
      const value = stored.value;
      if (!value) throw new LiteralTypeError(`union literal for ${name} has no value`);
      const storedType = stored.type ?? {};
      const tag = storedType.structure?.tag ?? "";
      const castable = (i: number): boolean => isCastable(storedType, taggedTypes[i] as LiteralType);
      // flytekit picks the variant by tag (its transformer's name) and converts; it does not compare the
      // stored type's details, so a Python dataclass's schema need not equal the TS struct's. Among
      // variants sharing the tag (list<int> | list<str>) castable ones are tried first. An untagged
      // union literal (older writers) is matched by its type alone.
      const candidates = tag === "" ? allIndices.filter(castable) : allIndices.filter((i) => variants[i]?.tag === tag);
      if (candidates.length === 0) {
        throw new LiteralTypeError(`union literal tagged "${tag}" matches no variant of ${name}`);
      }
      if (candidates.length === 1) return decodeWith(candidates[0] as number, value, ctx);
      return firstThatReads(value, ctx, [...candidates.filter(castable), ...candidates.filter((i) => !castable(i))]);
    },
  });
}

/** `Optional[T]`: `T | null`, which flytekit writes as a union of T and none. */
export function optional<T>(inner: TypeDescriptor<T>): TypeDescriptor<T | null> {
  return union(inner, none()) as TypeDescriptor<T | null>;
}
