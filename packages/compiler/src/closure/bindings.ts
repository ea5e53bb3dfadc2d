import { flyteidl, toProtoJson } from "@flytekit-ts/idl";
import { type Binding, type EdgeDirection, type NodeBuilder, START_NODE_ID, type Variable, type VariableMap, type WorkflowContext } from "./builder.js";
import { Errors, issue } from "./errors.js";
import { castable, describeType, isOptional, type LiteralType, parseVarName, scalarKindName, scalarType } from "./typing.js";
import { findVariable, validateOutputVar } from "./vars.js";

type BindingData = flyteidl.core.BindingData.$Properties;

const NONE_TYPE: LiteralType = { simple: flyteidl.core.SimpleType.NONE };

/** A binding rendered for messages. */
function describeBinding(binding: BindingData | null | undefined): string {
  if (!binding) return "<nil>";
  return JSON.stringify(toProtoJson(flyteidl.core.BindingData, flyteidl.core.BindingData.fromObject(binding as { [k: string]: unknown }) as flyteidl.core.BindingData));
}

/**
 * The node a promise points at: `""` is the workflow's inputs (the start node); anything else must
 * be a top-level node already added to the workflow.
 */
function resolveNode(w: WorkflowContext, nodeId: string, errs: Errors): NodeBuilder | undefined {
  if (nodeId === "") return w.getNode(START_NODE_ID);
  const node = w.getNode(nodeId);
  if (!node) errs.collect(issue("NodeReferenceNotFound", nodeId, `Referenced node [${nodeId}] not found.`));
  return node;
}

type BindingResult = [LiteralType | undefined, string[], boolean];

/**
 * Validates one binding against the type the input expects, returning the type it provides and the
 * nodes it depends on. Promises pointing at the workflow inputs are rewritten to `start-node`.
 */
export function validateBinding(
  w: WorkflowContext,
  node: NodeBuilder,
  param: string,
  binding: BindingData,
  expected: LiteralType,
  errs: Errors,
  validateParamTypes: boolean,
): BindingResult {
  const nodeId = node.id;

  // Lists and maps cannot be typed through a union, so each variant is tried in turn; exactly one
  // must accept the binding.
  if (!binding.scalar && !binding.promise && expected.unionType) {
    let match: { variant: LiteralType; result: BindingResult } | undefined;
    for (const variant of expected.unionType.variants ?? []) {
      const result = validateBinding(w, node, param, binding, variant, new Errors(), validateParamTypes);
      if (!result[2]) continue;
      if (match) {
        errs.collect(
          issue(
            "AmbiguousBindingUnionValue",
            nodeId,
            `Input [${param}] on node [${nodeId}] expects bindings of union type [${describeType(expected)}].  Received [${describeBinding(binding)}] which is ambiguous as both variants [${describeType(match.variant)}] and [${describeType(variant)}] match.`,
            param,
          ),
        );
        return [undefined, [], !errs.hasErrors()];
      }
      match = { variant, result };
    }
    if (match) return match.result;
    errs.collect(
      issue(
        "IncompatibleBindingUnionValue",
        nodeId,
        `Input [${param}] on node [${nodeId}] expects bindings of union type [${describeType(expected)}].  Received [${describeBinding(binding)}] which does not match any of the variants.`,
        param,
      ),
    );
    return [undefined, [], !errs.hasErrors()];
  }

  if (binding.collection) {
    if (expected.collectionType) {
      const upstream: string[] = [];
      let itemType: LiteralType | undefined;
      for (const item of binding.collection.bindings ?? []) {
        const [type, nodes, ok] = validateBinding(w, node, param, item, expected.collectionType, errs.scope(), validateParamTypes);
        if (ok) {
          upstream.push(...nodes);
          itemType = type;
        }
      }
      return [{ collectionType: itemType ?? null }, upstream, !errs.hasErrors()];
    }
    errs.collect(issue("MismatchingBindings", nodeId, `Input [${param}] on node [${nodeId}] expects bindings of type [${describeType(expected)}].  Received [${describeBinding(binding)}]`, param));
    return [undefined, [], !errs.hasErrors()];
  }

  if (binding.map) {
    if (expected.mapValueType) {
      const upstream: string[] = [];
      let valueType: LiteralType | undefined;
      const entries = Object.entries(binding.map.bindings ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      for (const [, value] of entries) {
        const [type, nodes, ok] = validateBinding(w, node, param, value, expected.mapValueType, errs.scope(), validateParamTypes);
        if (ok) {
          upstream.push(...nodes);
          valueType = type;
        }
      }
      return [{ mapValueType: valueType ?? null }, upstream, !errs.hasErrors()];
    }
    errs.collect(issue("MismatchingBindings", nodeId, `Input [${param}] on node [${nodeId}] expects bindings of type [${describeType(expected)}].  Received [${describeBinding(binding)}]`, param));
    return [undefined, [], !errs.hasErrors()];
  }

  if (binding.promise) {
    const promise = binding.promise;
    const upNode = resolveNode(w, promise.nodeId ?? "", errs.scope());
    if (upNode) {
      const parsed = parseVarName(promise.var ?? "");
      if (!parsed) {
        errs.collect(issue("SyntaxError", nodeId, `Failed to parse element [${promise.var ?? ""}].`, param));
        return [undefined, [], !errs.hasErrors()];
      }
      // Messages name variables as `<node name>.<variable>` where the nodes have metadata.
      const inputVar = node.node.metadata ? `${node.node.metadata.name ?? ""}.${param}` : param;
      const outputVar = upNode.node.metadata ? `${upNode.node.metadata.name ?? ""}.${promise.var ?? ""}` : (promise.var ?? "");

      const [output, found] = validateOutputVar(upNode, parsed.name, errs.scope());
      if (found && output) {
        let sourceType: LiteralType | null | undefined = output.type;
        if (parsed.index !== undefined) {
          const itemType = output.type?.collectionType;
          if (!itemType) errs.collect(mismatch(nodeId, outputVar, output.type, inputVar, expected, param));
          else sourceType = itemType;
        }
        // An attribute path selects into lists, maps and dataclasses (whose field types the type's
        // structure carries); other types are left as they are.
        for (const attr of promise.attrPath ?? []) {
          if (sourceType?.collectionType) sourceType = sourceType.collectionType;
          else if (sourceType?.mapValueType) sourceType = sourceType.mapValueType;
          else if (sourceType?.structure?.dataclassType) {
            const key = attr.stringValue ?? "";
            const fieldType = Object.hasOwn(sourceType.structure.dataclassType, key) ? sourceType.structure.dataclassType[key] : undefined;
            if (!fieldType) {
              errs.collect(issue("FieldNotFoundError", nodeId, `Variable [${promise.var ?? ""}] (type [${describeType(sourceType)}]) doesn't have field [${key}].`, param));
              return [undefined, [], !errs.hasErrors()];
            }
            sourceType = fieldType;
          }
        }
        if (!validateParamTypes || castable(sourceType, expected)) {
          promise.nodeId = upNode.id;
          // The value that flows is the one at the end of the attribute path, so that is the type a
          // branch or gate node's input gets (propeller 1.16 returns the whole output's type here,
          // which makes it refuse flytekit's own `s.total > 10`; see docs/decisions/0013).
          return [(promise.attrPath?.length ? sourceType : output.type) ?? undefined, [upNode.id], true];
        }
        errs.collect(mismatch(nodeId, `${outputVar}${attrPathText(promise.attrPath)}`, sourceType, inputVar, expected, param));
        return [undefined, [], !errs.hasErrors()];
      }
    }
    errs.collect(issue("ParameterNotBound", nodeId, `Parameter not bound [${param}].`, param));
    return [undefined, [], !errs.hasErrors()];
  }

  if (binding.scalar) {
    const type = scalarType(binding.scalar);
    if (!type) {
      errs.collect(issue("UnrecognizedValue", nodeId, `Unrecognized value [${scalarKindName(binding.scalar)}].`, param));
    } else if (validateParamTypes && !castable(type, expected)) {
      errs.collect(issue("MismatchingTypes", nodeId, `Variable [${param}] (type [${describeType(type)}]) doesn't match expected type [${describeType(expected)}].`, param));
    }
    if (expected.enumType) {
      const value = binding.scalar.primitive?.stringValue ?? "";
      const values = expected.enumType.values ?? [];
      if (!values.includes(value)) {
        errs.collect(
          issue("IllegalEnumValue", nodeId, `Input [${param}] on node [${nodeId}] is an Enum and expects value to be one of [${values.join(" ")}].  Received [${value}]`, param),
        );
      }
    }
    return [type, [], !errs.hasErrors()];
  }

  // Nothing this compiler can read (no value, or an offloaded literal).
  errs.collect(issue("MismatchingBindings", nodeId, `Input [${param}] on node [${nodeId}] expects bindings of type [${describeType(expected)}].  Received [${binding.offloadedMetadata ? "*core.BindingData_OffloadedMetadata" : ""}]`, param));
  return [undefined, [], !errs.hasErrors()];
}

/** An attribute path as it reads in messages: `.total`, `[2]`. */
function attrPathText(path: readonly flyteidl.core.PromiseAttribute.$Properties[] | null | undefined): string {
  return (path ?? []).map((a) => (a.stringValue != null ? `.${a.stringValue}` : `[${String(a.intValue ?? "")}]`)).join("");
}

function mismatch(nodeId: string, outputVar: string, from: LiteralType | null | undefined, inputVar: string, to: LiteralType, param: string) {
  return issue(
    "MismatchingTypes",
    nodeId,
    `The output variable '${outputVar}' has type [${describeType(from)}], but it's assigned to the input variable '${inputVar}' which has type [${describeType(to)}].`,
    param,
  );
}

/**
 * Validates a node's bindings against the variables it declares: unknown variables, missing or
 * repeated bindings, binding types, and required inputs left unbound. Each binding's dependencies
 * become connections in `direction`. Returns the variables the bindings provide (used as the
 * inputs of branch and gate nodes). Without `validateParamTypes`, undeclared variables are allowed
 * and types are not compared.
 */
export function validateBindings(
  w: WorkflowContext,
  node: NodeBuilder,
  bindings: readonly Binding[] | null | undefined,
  params: VariableMap | null | undefined,
  validateParamTypes: boolean,
  direction: EdgeDirection,
  errs: Errors,
): [VariableMap, boolean] {
  const resolved: Record<string, Variable> = {};
  const provided = new Set<string>();
  for (const binding of bindings ?? []) {
    const name = binding.var ?? "";
    let param = findVariable(params, name);
    if (!param && validateParamTypes) {
      errs.collect(issue("VariableNameNotFound", node.id, `Variable [${name}] not found on node [${node.id}].`, name));
    } else if (!binding.binding) {
      errs.collect(issue("ValueRequired", node.id, "Value required [Binding].", name));
    } else if (provided.has(name)) {
      errs.collect(issue("ParameterBoundMoreThanOnce", node.id, `Input [${name}] is bound more than once.`, name));
    } else {
      if (!validateParamTypes && !param) param = { type: NONE_TYPE };
      provided.add(name);
      const [type, upstream, ok] = validateBinding(w, node, name, binding.binding, param?.type ?? NONE_TYPE, errs.scope(), validateParamTypes);
      if (ok) {
        for (const up of upstream) {
          if (direction === "both") w.addExecutionEdge(up, node.id);
          else if (direction === "downstream") w.addDownstreamEdge(up, node.id);
          else w.addUpstreamEdge(up, node.id);
        }
        resolved[name] = flyteidl.core.Variable.fromObject({ type: type ?? null });
      }
    }
  }

  for (const [name, variable] of Object.entries(params?.variables ?? {})) {
    if (!provided.has(name) && !isOptional(variable)) {
      errs.collect(issue("ParameterNotBound", node.id, `Parameter not bound [${name}].`, name));
    }
  }
  return [{ variables: resolved }, !errs.hasErrors()];
}
