import type { flyteidl } from "@flytekit-ts/idl";
import {
  ValueTypeError,
  formatLiteralType,
  guessType,
  isCastable,
  type Literal,
  type LiteralType,
  type TypeContext,
  type TypeDescriptor,
} from "@flytekit-ts/types";
import type { Problem } from "./problems.js";
import { describe, isRef, refData } from "./refs.js";
import type { NodeRecord, RefData } from "./vocabulary.js";

export type BindingData = flyteidl.core.BindingData.$Properties;

/** Where a binding is: for problems. */
export interface BindingSite {
  nodeId: string;
  variable: string;
}

/** What binding needs from the graph being compiled. */
export interface BindingScope {
  /** Whether a reference is legal here (a workflow input, or an output of a node this node may depend on). */
  knows(data: RefData): boolean;
  /** The id a reference's node has in the compiled graph ("" for workflow inputs). */
  idOf(data: RefData): string;
  readonly problems: Problem[];
  readonly typeContext: TypeContext;
}

function containsRef(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  if (isRef(value)) return true;
  if (Array.isArray(value)) return value.some(containsRef);
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  return Object.values(value).some(containsRef);
}

/** A constant literal as binding data: only the scalar parts travel, as flytekit binds constants. */
export function bindingFromLiteral(literal: Literal): BindingData {
  if (literal.collection) return { collection: { bindings: (literal.collection.literals ?? []).map(bindingFromLiteral) } };
  if (literal.map) {
    const bindings: Record<string, BindingData> = {};
    for (const [k, v] of Object.entries(literal.map.literals ?? {})) bindings[k] = bindingFromLiteral(v);
    return { map: { bindings } };
  }
  return { scalar: literal.scalar ?? {} };
}

function promiseBinding(data: RefData, nodeId: string): BindingData {
  const promise: flyteidl.core.OutputReference.$Properties = { nodeId, var: data.variable };
  if (data.attrPath.length) promise.attrPath = data.attrPath.map((p) => (typeof p === "number" ? { intValue: p } : { stringValue: p }));
  return { promise };
}

/**
 * Binds a call argument (or a workflow output) to a variable of `type`: references become promises
 * (type-checked with Flyte's casting rules), lists and records that hold references become collection
 * and map bindings, and constants become literals through their type descriptor. Problems are recorded,
 * not thrown, so that a compile reports all of them; the result is undefined when the binding failed.
 */
export function bindValue(
  value: unknown,
  descriptor: TypeDescriptor<unknown> | undefined,
  type: LiteralType,
  site: BindingSite,
  scope: BindingScope,
  upstream: Set<NodeRecord>,
): BindingData | Promise<BindingData | undefined> | undefined {
  if (isRef(value)) {
    const data = refData(value);
    if (!scope.knows(data)) {
      scope.problems.push({
        ...site,
        kind: "IllegalValue",
        message: `${describe(data)} belongs to another workflow or dynamic body${data.node?.builder.parent ? " or to a branch of a conditional (use the conditional's outputs)" : ""} and cannot be used here`,
      });
      return undefined;
    }
    if (!isCastable(data.type, type)) {
      scope.problems.push({
        ...site,
        kind: "MismatchingTypes",
        message: `expected ${formatLiteralType(type)}, got ${formatLiteralType(data.type)} from ${describe(data)}`,
      });
      return undefined;
    }
    if (data.node) upstream.add(data.node);
    return promiseBinding(data, scope.idOf(data));
  }
  if (containsRef(value)) return bindStructure(value, type, site, scope, upstream);
  return bindConstant(value, descriptor ?? guessType(type), site, scope);
}

function bindConstant(value: unknown, descriptor: TypeDescriptor<unknown>, site: BindingSite, scope: BindingScope) {
  const fail = (error: unknown): undefined => {
    if (!(error instanceof ValueTypeError)) throw error;
    scope.problems.push({ ...site, kind: "MismatchingTypes", message: error.message });
    return undefined;
  };
  try {
    const literal = descriptor.toLiteral(value, scope.typeContext);
    return literal instanceof Promise ? literal.then(bindingFromLiteral, fail) : bindingFromLiteral(literal);
  } catch (error) {
    return fail(error);
  }
}

type Maybe = BindingData | Promise<BindingData | undefined> | undefined;

function settle<T>(items: Maybe[], build: (bindings: BindingData[]) => T): T | Promise<T | undefined> | undefined {
  const finish = (resolved: (BindingData | undefined)[]) => (resolved.every((b) => b !== undefined) ? build(resolved as BindingData[]) : undefined);
  return items.some((b) => b instanceof Promise) ? Promise.all(items).then(finish) : finish(items as (BindingData | undefined)[]);
}

function bindStructure(value: unknown, type: LiteralType, site: BindingSite, scope: BindingScope, upstream: Set<NodeRecord>): Maybe {
  if (type.unionType) {
    // As flytekit does for containers bound to a union: the first variant that binds without problems.
    for (const variant of type.unionType.variants ?? []) {
      const trial: BindingScope = { ...scope, problems: [] };
      const trialUpstream = new Set<NodeRecord>();
      const result = bindStructure(value, variant, site, trial, trialUpstream);
      if (result !== undefined && !(result instanceof Promise) && trial.problems.length === 0) {
        for (const id of trialUpstream) upstream.add(id);
        return result;
      }
    }
    scope.problems.push({ ...site, kind: "MismatchingTypes", message: `no variant of ${formatLiteralType(type)} accepts this value` });
    return undefined;
  }
  if (Array.isArray(value) && type.collectionType) {
    const element = type.collectionType;
    const items = value.map((item, i) => bindValue(item, undefined, element, { ...site, variable: `${site.variable}[${i}]` }, scope, upstream));
    return settle(items, (bindings) => ({ collection: { bindings } }));
  }
  if (typeof value === "object" && value !== null && !Array.isArray(value) && type.mapValueType) {
    const element = type.mapValueType;
    const keys = Object.keys(value);
    const items = keys.map((k) => bindValue((value as Record<string, unknown>)[k], undefined, element, { ...site, variable: `${site.variable}.${k}` }, scope, upstream));
    return settle(items, (bindings) => ({ map: { bindings: Object.fromEntries(keys.map((k, i) => [k, bindings[i] as BindingData])) } }));
  }
  scope.problems.push({
    ...site,
    kind: "IllegalValue",
    message: `a ${formatLiteralType(type)} value cannot be assembled from node outputs in the graph; build it inside a task`,
  });
  return undefined;
}
