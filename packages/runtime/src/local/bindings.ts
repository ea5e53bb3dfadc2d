import { FlytekitError, flyteidl, toLong } from "@flytekit-ts/idl";
import { MSGPACK_TAG, decodeMsgpack, encodeMsgpack, type Literal, type LiteralMap } from "@flytekit-ts/types";

type BindingData = flyteidl.core.BindingData.$Properties;
type Binding = flyteidl.core.Binding.$Properties;

/** Outputs of the nodes run so far; "" holds the graph's own inputs. */
export type NodeOutputs = ReadonlyMap<string, LiteralMap>;

export class BindingError extends FlytekitError {
  constructor(message: string) {
    super("BINDING", message);
  }
}


/** The literal map a node receives: constants as they are, promises read from earlier outputs. */
export function resolveBindings(bindings: readonly Binding[], outputs: NodeOutputs): LiteralMap {
  const literals: Record<string, Literal> = {};
  for (const b of bindings) literals[b.var ?? ""] = resolve(b.binding ?? {}, outputs);
  return { literals };
}

function resolve(data: BindingData, outputs: NodeOutputs): Literal {
  if (data.promise) {
    const { nodeId = "", var: variable = "", attrPath = [] } = data.promise;
    const map = outputs.get(nodeId ?? "");
    const literal = map?.literals?.[variable ?? ""];
    if (!literal) throw new BindingError(`no output "${variable}" from ${nodeId ? `node ${nodeId}` : "the workflow inputs"}`);
    return (attrPath ?? []).reduce<Literal>((current, step) => resolveAttribute(current, step), literal);
  }
  if (data.collection) return { collection: { literals: (data.collection.bindings ?? []).map((b) => resolve(b, outputs)) } };
  if (data.map) {
    const literals: Record<string, Literal> = {};
    for (const [k, b] of Object.entries(data.map.bindings ?? {})) literals[k] = resolve(b, outputs);
    return { map: { literals } };
  }
  if (data.scalar) return { scalar: data.scalar };
  throw new BindingError("empty binding");
}

/**
 * One step of an attribute path, as FlytePropeller resolves it at run time: through collections and
 * maps, and into msgpack (or JSON Struct) objects; a primitive found inside becomes a primitive
 * literal, anything else a msgpack binary.
 */
function resolveAttribute(literal: Literal, step: flyteidl.core.PromiseAttribute.$Properties): Literal {
  const key: string | number = Object.hasOwn(step, "intValue") && step.intValue != null ? step.intValue : (step.stringValue ?? "");
  if (literal.collection && typeof key === "number") {
    const item = literal.collection.literals?.[key];
    if (!item) throw new BindingError(`index ${key} is out of range`);
    return item;
  }
  if (literal.map && typeof key === "string") {
    const item = literal.map.literals?.[key];
    if (!item) throw new BindingError(`no key "${key}"`);
    return item;
  }
  const binary = literal.scalar?.binary;
  if (binary && (binary.tag ?? "") === MSGPACK_TAG) {
    const value = decodeMsgpack(binary.value ?? new Uint8Array());
    return fromValue(step1(value, key));
  }
  throw new BindingError(`cannot follow "${String(key)}" into this literal`);
}

function step1(value: unknown, key: string | number): unknown {
  if (Array.isArray(value) && typeof key === "number") {
    if (key >= value.length) throw new BindingError(`index ${key} is out of range`);
    return value[key];
  }
  if (typeof value === "object" && value !== null && typeof key === "string" && Object.hasOwn(value, key)) return (value as Record<string, unknown>)[key];
  throw new BindingError(`no attribute "${String(key)}"`);
}

function fromValue(value: unknown): Literal {
  if (typeof value === "string") return { scalar: { primitive: { stringValue: value } } };
  if (typeof value === "boolean") return { scalar: { primitive: { boolean: value } } };
  if (typeof value === "number") return { scalar: { primitive: Number.isInteger(value) ? { integer: value } : { floatValue: value } } };
  if (typeof value === "bigint") return { scalar: { primitive: { integer: toLong(value) } } };
  if (value === null || value === undefined) return { scalar: { noneType: {} } };
  if (Array.isArray(value)) return { collection: { literals: value.map((v) => ({ scalar: { binary: { value: encodeMsgpack(v), tag: MSGPACK_TAG } } })) } };
  return { scalar: { binary: { value: encodeMsgpack(value), tag: MSGPACK_TAG } } };
}
