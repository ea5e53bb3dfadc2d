import { flyteidl } from "@flytekit-ts/idl";
import { localContext, type TypeContext } from "./context.js";
import type { InferValues, Literal, TypeDescriptor } from "./descriptor.js";
import { LiteralTypeError, ValueTypeError } from "./errors.js";

type Variables = Record<string, TypeDescriptor<unknown>>;
/** Named literals: the contents of a task's `inputs.pb` and `outputs.pb`. */
export type LiteralMap = flyteidl.core.LiteralMap.$Properties;

/** Follows `offloaded_metadata` (a literal too big for the workflow state, stored on its own) to the literal. */
export async function resolveOffloaded(literal: Literal, ctx: TypeContext): Promise<Literal> {
  let current = literal;
  for (let hops = 0; current.offloadedMetadata; hops++) {
    if (hops > 8) throw new LiteralTypeError("offloaded literal points at another offloaded literal too many times");
    const uri = current.offloadedMetadata.uri;
    if (!uri) throw new LiteralTypeError("offloaded literal has no uri");
    current = flyteidl.core.Literal.decode(await ctx.storage.read(uri));
  }
  return current;
}

/** A value → its literal, validated against the type. */
export async function toLiteral<T>(type: TypeDescriptor<T>, value: T, ctx: TypeContext = localContext()): Promise<Literal> {
  return type.toLiteral(value, ctx);
}

/** A literal → its value (offloaded literals are fetched first). */
export async function fromLiteral<T>(type: TypeDescriptor<T>, literal: Literal, ctx: TypeContext = localContext()): Promise<T> {
  return type.fromLiteral(literal.offloadedMetadata ? await resolveOffloaded(literal, ctx) : literal, ctx);
}

/**
 * Named values → a `LiteralMap` (the shape of inputs.pb / outputs.pb). Every declared name must have
 * a value and no undeclared name may appear; errors name the variable.
 */
export async function toLiteralMap<V extends Variables>(types: V, values: InferValues<V>, ctx: TypeContext = localContext()): Promise<LiteralMap> {
  const given = values as Record<string, unknown>;
  const unknown = Object.keys(given).filter((k) => !Object.hasOwn(types, k));
  if (unknown.length) throw new ValueTypeError(unknown.map((k) => ({ path: [], expected: `one of the declared names (${Object.keys(types).join(", ")})`, got: `an undeclared value "${k}"` })));
  const names = Object.keys(types);
  const literals = await Promise.all(
    names.map(async (name) => {
      const type = types[name] as TypeDescriptor<unknown>;
      if (!Object.hasOwn(given, name)) throw new ValueTypeError([{ path: [], expected: `a value of type ${type.name}`, got: "nothing" }], name);
      try {
        return await type.toLiteral(given[name], ctx);
      } catch (error) {
        throw error instanceof ValueTypeError ? error.forInput(name) : error;
      }
    }),
  );
  return { literals: Object.fromEntries(names.map((n, i) => [n, literals[i] as Literal])) };
}

/** A `LiteralMap` → named values, each read with its declared type. Literals for undeclared names are ignored, as flytekit does. */
export async function fromLiteralMap<V extends Variables>(types: V, map: LiteralMap, ctx: TypeContext = localContext()): Promise<InferValues<V>> {
  const literals = map.literals ?? {};
  const entries = await Promise.all(
    Object.entries(types).map(async ([name, type]) => {
      const literal = literals[name];
      if (!literal) throw new LiteralTypeError(`no literal for "${name}" (${type.name}) in the literal map`);
      try {
        return [name, await fromLiteral(type, literal, ctx)] as const;
      } catch (error) {
        if (error instanceof LiteralTypeError) throw new LiteralTypeError(`"${name}": ${error.message}`);
        throw error;
      }
    }),
  );
  return Object.fromEntries(entries) as InferValues<V>;
}
