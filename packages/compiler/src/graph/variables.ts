import { flyteidl } from "@flytekit-ts/idl";
import { formatLiteralType, type LiteralType, type TypeDescriptor } from "@flytekit-ts/types";
import { bindValue, type BindingData } from "../bindings.js";
import type { GraphBuilderLike, NodeRecord, Variables } from "../vocabulary.js";
import type { GraphCompilation } from "./compilation.js";

/*
 * Binding a call's variables (or a body's outputs): names checked against the callee's, fixed inputs
 * refused, defaults and none filled in for what the call leaves out, each value bound by bindings.ts.
 */

type Binding = flyteidl.core.Binding.$Properties;

/** One variable to bind: its name, type, descriptor (for constants) and whether it admits none. */
export interface Var {
  readonly name: string;
  readonly type: LiteralType;
  readonly descriptor?: TypeDescriptor<unknown>;
  readonly optional: boolean;
}

const admitsNone = (type: LiteralType): boolean => (type.unionType?.variants ?? []).some((v) => v.simple === flyteidl.core.SimpleType.NONE);

/** A set of variables as bindable variables, sorted by name as flytekit sorts bindings; listed once per set. */
const varsOf = new WeakMap<Variables, Var[]>();
export function varList(variables: Variables): Var[] {
  let vars = varsOf.get(variables);
  if (!vars) {
    vars = Object.keys(variables)
      .sort()
      .map((name) => {
        const descriptor = variables[name] as TypeDescriptor<unknown>;
        return { name, type: descriptor.literalType, descriptor, optional: admitsNone(descriptor.literalType) };
      });
    varsOf.set(variables, vars);
  }
  return vars;
}

export interface BindOptions {
  /** Default values for inputs the call leaves out. */
  readonly defaults?: Readonly<Record<string, unknown>>;
  /** Inputs a launch plan fixes: not bound, and not to be passed. */
  readonly fixed?: Readonly<Record<string, unknown>>;
  readonly fixedBy?: string;
  /** Whether a left-out optional input is bound to none (calls) or is a problem (outputs). */
  readonly omitOptional?: "none" | "problem";
}

/**
 * The bindings of `vars` from what a call gave (`given`), sorted by name. Problems go to the
 * compilation; a constant still converting is bound when it finishes (the compilation's `pending`).
 */
export function bindVariables(
  c: GraphCompilation,
  vars: readonly Var[],
  given: Readonly<Record<string, unknown>>,
  label: string,
  visible: ReadonlySet<GraphBuilderLike>,
  upstream: Set<NodeRecord>,
  options: BindOptions = {},
): Binding[] {
  const scope = c.scope(visible);
  const { defaults = {}, fixed = {}, omitOptional = "none" } = options;
  for (const name of Object.keys(given)) {
    if (Object.hasOwn(fixed, name)) {
      c.problems.push({ kind: "IllegalValue", nodeId: label, variable: name, message: `input "${name}" is fixed by ${options.fixedBy ?? "the launch plan"} and cannot be passed` });
    } else if (!vars.some((v) => v.name === name)) {
      c.problems.push({ kind: "VariableNameNotFound", nodeId: label, variable: name, message: `no such variable; expected ${vars.map((v) => v.name).join(", ") || "none"}` });
    }
  }
  const bindings: Binding[] = [];
  for (const v of vars) {
    if (Object.hasOwn(fixed, v.name)) continue;
    let value: unknown;
    if (Object.hasOwn(given, v.name)) value = given[v.name];
    else if (Object.hasOwn(defaults, v.name)) value = defaults[v.name];
    else if (v.optional && omitOptional === "none") value = null;
    else {
      c.problems.push({ kind: "ParameterNotBound", nodeId: label, variable: v.name, message: `no value bound for ${v.descriptor?.name ?? formatLiteralType(v.type)} input` });
      continue;
    }
    const result = bindValue(value, v.descriptor, v.type, { nodeId: label, variable: v.name }, scope, upstream);
    const binding: Binding = { var: v.name };
    if (result instanceof Promise) {
      c.pending.push(result.then((b) => void (binding.binding = b as BindingData)));
      bindings.push(binding);
    } else if (result !== undefined) {
      binding.binding = result;
      bindings.push(binding);
    }
  }
  return bindings;
}
