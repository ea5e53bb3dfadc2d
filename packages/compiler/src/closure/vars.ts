import { flyteidl } from "@flytekit-ts/idl";
import type { Binding, NodeBuilder, Variable, VariableMap } from "./builder.js";
import { type Errors, issue } from "./errors.js";
import { describeType, type LiteralType, sameType } from "./typing.js";

export function findVariable(vars: VariableMap | null | undefined, name: string): Variable | undefined {
  const variables = vars?.variables;
  if (!variables || !Object.hasOwn(variables, name)) return undefined;
  return variables[name] ?? undefined;
}

export function hasBindingFor(bindings: readonly Binding[] | null | undefined, name: string): boolean {
  return (bindings ?? []).some((b) => (b.var ?? "") === name);
}

/**
 * The node's outputs after applying its output aliases: an aliased output is visible under the
 * alias instead of its own name. Two aliases for one variable are a DuplicateAlias; an alias for a
 * variable the node does not have leaves that alias unbound (ParameterNotBound).
 */
export function effectiveOutputs(n: NodeBuilder, errs: Errors): [VariableMap | undefined, boolean] {
  const aliases = new Map<string, string>();
  for (const alias of n.node.outputAliases ?? []) {
    const name = alias.var ?? "";
    if (aliases.has(name)) errs.collect(issue("DuplicateAlias", n.id, `Duplicate alias [${alias.alias ?? ""}] found. An output alias can only be used once in the Workflow.`, alias.alias ?? ""));
    else aliases.set(name, alias.alias ?? "");
  }

  let params: VariableMap | undefined;
  if (n.iface) {
    const variables: Record<string, Variable> = {};
    for (const [name, param] of Object.entries(n.iface.outputs?.variables ?? {})) {
      const alias = aliases.get(name);
      if (alias !== undefined) {
        variables[alias] = flyteidl.core.Variable.fromObject(param as { [k: string]: unknown });
        aliases.delete(name);
      } else {
        variables[name] = param;
      }
    }
    // Whatever is left names variables the node does not have.
    for (const alias of aliases.values()) errs.collect(issue("ParameterNotBound", n.id, `Parameter not bound [${alias}].`, alias));
    params = { variables };
  }
  return [params, !errs.hasErrors()];
}

/** An output of an upstream node, looked up after aliasing; a missing one is VariableNameNotFound on that node. */
export function validateOutputVar(n: NodeBuilder, name: string, errs: Errors): [Variable | undefined, boolean] {
  let param: Variable | undefined;
  const [outputs, ok] = effectiveOutputs(n, errs.scope());
  if (ok) {
    param = findVariable(outputs, name);
    if (!param) errs.collect(issue("VariableNameNotFound", n.id, `Variable [${name}] not found on node [${n.id}].`, name));
  }
  return [param, !errs.hasErrors()];
}

/**
 * An input of the node, as a condition refers to it. Without `requireParamType`, a variable that is
 * merely bound (with no declared type) is accepted without a type.
 */
export function validateInputVar(n: NodeBuilder, name: string, requireParamType: boolean, errs: Errors): [Variable | undefined, boolean] {
  if (!n.iface) return [undefined, false];
  if (!n.iface.inputs) return [undefined, false];
  const param = findVariable(n.iface.inputs, name);
  if (param) return [param, true];
  if (!requireParamType && hasBindingFor(n.node.inputs, name)) return [undefined, false];
  errs.collect(issue("VariableNameNotFound", n.id, `Variable [${name}] not found on node [${n.id}].`, name));
  return [undefined, false];
}

/** Exact type equality, as branch cases must agree on the outputs they share. */
export function validateVarType(nodeId: string, name: string, param: Variable | undefined, expected: LiteralType | null | undefined, errs: Errors): boolean {
  if (!sameType(param?.type, expected)) {
    errs.collect(issue("MismatchingTypes", nodeId, `Variable [${name}] (type [${describeType(param?.type)}]) doesn't match expected type [${describeType(expected)}].`, name));
  }
  return !errs.hasErrors();
}

/** Every variable needs a name and a type. */
export function validateVariables(nodeId: string, params: VariableMap, errs: Errors): void {
  for (const [name, param] of Object.entries(params.variables ?? {})) {
    if (name.length === 0) errs.collect(issue("ValueRequired", nodeId, "Value required [paramName]."));
    if (!param?.type) errs.collect(issue("ValueRequired", nodeId, "Value required [param.Type].", name));
  }
}
