import { durationFromMillis, flyteidl, toProtoJson } from "@flytekit-ts/idl";
import { nodeOverrides, taskNodeMetadata, type NodeOverrideSettings, type TaskSettings } from "@flytekit-ts/resources";
import { formatLiteralType, guessType, type LiteralType, type TypeContext, type TypeDescriptor } from "@flytekit-ts/types";
import { bindValue, type BindingData, type BindingScope } from "./bindings.js";
import { isEntityTarget } from "./builder.js";
import { Comparison, Conjunction, type Condition } from "./condition.js";
import { dnsify } from "./nodes.js";
import type { Problem } from "./problems.js";
import { describe, isRef, refData } from "./refs.js";
import {
  ENTITY,
  type AnyEntity,
  type BranchTarget,
  type GateTarget,
  type GraphBuilderLike as GraphBuilder,
  type LaunchPlanLike,
  type MapTaskLike,
  type NodeRecord,
  type RefData,
  type ReferenceLike,
  type Variables,
  type WorkflowLike,
} from "./vocabulary.js";

type Node = flyteidl.core.Node.$Properties;
type Binding = flyteidl.core.Binding.$Properties;
type NodeMetadata = flyteidl.core.NodeMetadata.$Properties;
type Identifier = flyteidl.core.Identifier.$Properties;

/** What compiling a graph needs to know about the entities it calls. */
export interface GraphContext {
  /** The id the called entity is registered under. */
  idOf(entity: AnyEntity): Identifier;
  readonly typeContext: TypeContext;
  /** A dynamic workflow's spec embeds every task's template: a reference task without one cannot be called there. */
  readonly embedsTasks?: boolean;
  /**
   * Receives each node of the body as soon as it is final (at once, or when its constant inputs finish
   * converting), with its position; `nodes` then hold at most ids and upstream ids (for the shape check).
   * A 10,000-node dynamic is encoded this way without keeping every node's messages alive until the end.
   */
  readonly emit?: (index: number, node: Node) => void;
}

export interface CompiledGraph {
  nodes: Node[];
  outputs: Binding[];
  problems: Problem[];
  /** The failure node (`fn0`; `dfn0` in a workflow a dynamic embeds), when the workflow has an `onFailure` handler. */
  failureNode?: Node;
}

const shortName = (name: string): string => name.slice(name.lastIndexOf(".") + 1);

/** One variable to bind: its name, type, descriptor (for constants) and whether it admits none. */
interface Var {
  readonly name: string;
  readonly type: LiteralType;
  readonly descriptor?: TypeDescriptor<unknown>;
  readonly optional: boolean;
}

const admitsNone = (type: LiteralType): boolean => (type.unionType?.variants ?? []).some((v) => v.simple === flyteidl.core.SimpleType.NONE);

/** A set of variables as bindable variables, sorted by name as flytekit sorts bindings; listed once per set. */
const varsOf = new WeakMap<Variables, Var[]>();
function varList(variables: Variables): Var[] {
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

interface BindOptions {
  /** Default values for inputs the call leaves out. */
  readonly defaults?: Readonly<Record<string, unknown>>;
  /** Inputs a launch plan fixes: not bound, and not to be passed. */
  readonly fixed?: Readonly<Record<string, unknown>>;
  readonly fixedBy?: string;
  /** Whether a left-out optional input is bound to none (calls) or is a problem (outputs). */
  readonly omitOptional?: "none" | "problem";
}

const isZeroDuration = (d: { seconds?: unknown; nanos?: unknown } | null | undefined): boolean =>
  !!d && Number(d.seconds ?? 0) === 0 && Number(d.nanos ?? 0) === 0;

/** The calls a graph makes, branches' and the failure node's included, in first-call order. */
export function calledEntities(records: readonly NodeRecord[]): AnyEntity[] {
  const out: AnyEntity[] = [];
  const visit = (record: NodeRecord): void => {
    const target = record.entity;
    if (isEntityTarget(target)) out.push(target);
    else if (target.kind === "branch") {
      for (const c of target.cases) visit(c.node);
      if ("node" in target.otherwise) visit(target.otherwise.node);
    }
  };
  for (const record of records) visit(record);
  return out;
}

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

/** Compiles the nodes of one body (and its branches and failure node), collecting every problem. */
class GraphCompilation {
  readonly problems: Problem[] = [];
  readonly pending: Promise<unknown>[] = [];
  private readonly ids = new Map<AnyEntity, Identifier>();
  private readonly metadata = new Map<AnyEntity, NodeMetadata>();
  private readonly scopes = new Map<ReadonlySet<GraphBuilder>, BindingScope>();

  constructor(
    readonly ctx: GraphContext,
    readonly inputsVisible: boolean,
  ) {}

  /** The node's id in the graph: its own, or the DNS-compliant `nodeName` it was renamed to. */
  finalId(record: NodeRecord): string {
    const name = record.overrides?.nodeName;
    return name === undefined ? record.id : dnsify(name);
  }

  idOf(entity: AnyEntity): Identifier {
    let id = this.ids.get(entity);
    if (!id) {
      id = this.ctx.idOf(entity);
      this.ids.set(entity, id);
    }
    return id;
  }

  scope(visible: ReadonlySet<GraphBuilder>): BindingScope {
    let scope = this.scopes.get(visible);
    if (!scope) {
      scope = {
        knows: (d: RefData) => (d.node ? visible.has(d.node.builder) : d.nodeId === "" && this.inputsVisible),
        idOf: (d: RefData) => (d.node ? this.finalId(d.node) : ""),
        problems: this.problems,
        typeContext: this.ctx.typeContext,
      };
      this.scopes.set(visible, scope);
    }
    return scope;
  }

  /** The nodes of a builder; `visible` is the builders whose nodes they may take data from. */
  compileBuilder(builder: GraphBuilder, visible: ReadonlySet<GraphBuilder>): Node[] {
    return builder.nodes.map((r) => this.compileNode(r, visible, this.finalId(r)));
  }

  bind(vars: readonly Var[], given: Readonly<Record<string, unknown>>, label: string, visible: ReadonlySet<GraphBuilder>, upstream: Set<NodeRecord>, options: BindOptions = {}): Binding[] {
    const scope = this.scope(visible);
    const { defaults = {}, fixed = {}, omitOptional = "none" } = options;
    for (const name of Object.keys(given)) {
      if (Object.hasOwn(fixed, name)) {
        this.problems.push({ kind: "IllegalValue", nodeId: label, variable: name, message: `input "${name}" is fixed by ${options.fixedBy ?? "the launch plan"} and cannot be passed` });
      } else if (!vars.some((v) => v.name === name)) {
        this.problems.push({ kind: "VariableNameNotFound", nodeId: label, variable: name, message: `no such variable; expected ${vars.map((v) => v.name).join(", ") || "none"}` });
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
        this.problems.push({ kind: "ParameterNotBound", nodeId: label, variable: v.name, message: `no value bound for ${v.descriptor?.name ?? formatLiteralType(v.type)} input` });
        continue;
      }
      const result = bindValue(value, v.descriptor, v.type, { nodeId: label, variable: v.name }, scope, upstream);
      const binding: Binding = { var: v.name };
      if (result instanceof Promise) {
        this.pending.push(result.then((b) => void (binding.binding = b as BindingData)));
        bindings.push(binding);
      } else if (result !== undefined) {
        binding.binding = result;
        bindings.push(binding);
      }
    }
    return bindings;
  }

  /** A node's metadata with its overrides applied (a zero timeout removes the timeout, as flytekit leaves it unset). */
  private withOverrides(base: NodeMetadata, record: NodeRecord, label: string): NodeMetadata {
    if (!record.overrides) return base;
    const { nodeName: _nodeName, ...rest } = record.overrides;
    const merged: NodeMetadata = { ...base, ...nodeOverrides(rest, `overrides of node ${label}`).metadata };
    if (isZeroDuration(merged.timeout)) delete merged.timeout;
    return merged;
  }

  private taskMetadata(name: string, settings: TaskSettings, record: NodeRecord, cacheKey?: AnyEntity): NodeMetadata {
    if (!record.overrides) {
      let metadata = cacheKey && this.metadata.get(cacheKey);
      if (!metadata) {
        metadata = taskNodeMetadata(name, settings);
        if (cacheKey) this.metadata.set(cacheKey, metadata);
      }
      return metadata;
    }
    const { nodeName: _nodeName, ...rest } = record.overrides;
    const metadata = taskNodeMetadata(name, settings, rest);
    if (isZeroDuration(metadata.timeout)) metadata.timeout = null;
    return metadata;
  }

  private taskOverrides(record: NodeRecord, label: string): flyteidl.core.TaskNodeOverrides.$Properties {
    if (!record.overrides) return {};
    const { nodeName: _nodeName, ...rest } = record.overrides;
    return nodeOverrides(rest as NodeOverrideSettings, `overrides of node ${label}`).overrides;
  }

  /**
   * A cleared upstream set to reuse: a node's upstream is complete when compileNode returns (bindings
   * add to it synchronously), and a new set for each of a 10,000-node dynamic's nodes was memory it kept.
   * Nested nodes (branches) take a fresh one while the outer node holds this.
   */
  private spareUpstream: Set<NodeRecord> | undefined;

  /** The `TaskNode` of a call without overrides: the same for every call of an entity, so shared (frozen). */
  private readonly plainTaskNodes = new Map<AnyEntity, flyteidl.core.TaskNode.$Properties>();

  private taskNode(entity: AnyEntity, record: NodeRecord, label: string): flyteidl.core.TaskNode.$Properties {
    if (record.overrides) return { referenceId: this.idOf(entity), overrides: this.taskOverrides(record, label) };
    let taskNode = this.plainTaskNodes.get(entity);
    if (!taskNode) {
      taskNode = Object.freeze({ referenceId: this.idOf(entity), overrides: Object.freeze({}) });
      this.plainTaskNodes.set(entity, taskNode);
    }
    return taskNode;
  }

  compileNode(record: NodeRecord, visible: ReadonlySet<GraphBuilder>, label: string): Node {
    const upstream = this.spareUpstream ?? new Set<NodeRecord>();
    this.spareUpstream = undefined;
    const target = record.entity;
    const node: Node = { id: this.finalId(record) };
    if (!isEntityTarget(target)) {
      if (target.kind === "branch") this.branchNode(node, record, target, visible, label, upstream);
      else this.gateNode(node, record, target, visible, label, upstream);
    } else {
      const entity = target as AnyEntity;
      switch (entity[ENTITY]) {
        case "task":
        case "dynamic": {
          node.metadata = this.taskMetadata(shortName(entity.name), (entity as { settings: TaskSettings }).settings, record, entity);
          node.inputs = this.bind(varList(entity.inputs), record.inputs, label, visible, upstream, {});
          node.taskNode = this.taskNode(entity, record, label);
          break;
        }
        case "workflow": {
          const wf = entity as WorkflowLike;
          node.metadata = this.withOverrides({ name: shortName(wf.name), retries: {}, interruptible: wf.interruptible }, record, label);
          node.inputs = this.bind(varList(wf.inputs), record.inputs, label, visible, upstream, { defaults: wf.defaults });
          node.workflowNode = { subWorkflowRef: this.idOf(wf) };
          break;
        }
        case "map":
          this.arrayNode(node, record, entity as MapTaskLike, visible, label, upstream);
          break;
        case "launchPlan": {
          const lp = entity as LaunchPlanLike;
          node.metadata = this.withOverrides({ name: shortName(lp.workflow.name), retries: {}, interruptible: lp.workflow.interruptible }, record, label);
          node.inputs = this.bind(varList(lp.inputs), record.inputs, label, visible, upstream, {
            defaults: { ...lp.workflow.defaults, ...lp.defaultInputs },
            fixed: lp.fixedInputs,
            fixedBy: `launch plan ${lp.name}`,
          });
          node.workflowNode = { launchplanRef: this.idOf(lp) };
          break;
        }
        case "reference":
          this.referenceNode(node, record, entity as ReferenceLike, visible, label, upstream);
          break;
      }
    }
    for (const before of record.after ?? []) upstream.add(before);
    if (upstream.size) {
      node.upstreamNodeIds = [...upstream].sort((a, b) => a.index - b.index).map((r) => this.finalId(r));
    }
    upstream.clear();
    this.spareUpstream = upstream;
    return node;
  }

  /**
   * A map task: an `ArrayNode` whose sub-node runs the map task's template, as flytekit's translator
   * writes it (sub-node id and name = the map task's name, the task's node metadata; the array node's
   * own metadata only the name).
   */
  private arrayNode(node: Node, record: NodeRecord, map: MapTaskLike, visible: ReadonlySet<GraphBuilder>, label: string, upstream: Set<NodeRecord>): void {
    node.metadata = this.withOverrides({ name: map.name, retries: {} }, record, label);
    node.inputs = this.bind(varList(map.inputs), record.inputs, label, visible, upstream);
    let subMetadata = this.metadata.get(map);
    if (!subMetadata) {
      subMetadata = taskNodeMetadata(map.name, map.settings);
      this.metadata.set(map, subMetadata);
    }
    const arrayNode: flyteidl.core.ArrayNode.$Properties = {
      node: {
        id: map.name,
        metadata: subMetadata,
        inputs: node.inputs,
        taskNode: { referenceId: this.idOf(map), overrides: this.taskOverrides(record, label) },
      },
      isOriginalSubNodeInterface: { value: false },
    };
    if (map.concurrency !== undefined) arrayNode.parallelism = map.concurrency;
    if (map.minSuccesses !== undefined) arrayNode.minSuccesses = map.minSuccesses;
    else arrayNode.minSuccessRatio = map.minSuccessRatio;
    if (map.boundInputs.length) arrayNode.boundInputs = [...map.boundInputs];
    node.arrayNode = arrayNode;
  }

  private referenceNode(node: Node, record: NodeRecord, ref: ReferenceLike, visible: ReadonlySet<GraphBuilder>, label: string, upstream: Set<NodeRecord>): void {
    const spec = ref.reference;
    node.metadata = this.withOverrides({ name: shortName(spec.name), retries: {} }, record, label);
    node.inputs = this.bind(varList(ref.inputs), record.inputs, label, visible, upstream, {});
    const id = this.idOf(ref);
    if (spec.resourceType === "task") {
      if (this.ctx.embedsTasks && !spec.template) {
        this.problems.push({
          kind: "TaskReferenceNotFound",
          nodeId: label,
          message:
            `reference task ${spec.name} (${spec.project}/${spec.domain}, version ${spec.version}) has no template: a dynamic workflow's spec must embed the template of every task it calls (Flyte fetches none), ` +
            "so pass referenceTask(…, { template }) with the template fetched from Flyte, or call a launch plan (referenceLaunchPlan) instead",
        });
      }
      // flytekit's translator writes a reference task's node without overrides.
      node.taskNode = record.overrides ? { referenceId: id, overrides: this.taskOverrides(record, label) } : { referenceId: id };
    } else if (spec.resourceType === "workflow") {
      if (!spec.template) {
        this.problems.push({
          kind: "WorkflowReferenceNotFound",
          nodeId: label,
          message:
            `reference workflow ${spec.name} (${spec.project}/${spec.domain}, version ${spec.version}) has no template: a sub-workflow node needs the sub-workflow's template in the caller's spec (flytekit refuses reference sub-workflows for this reason), ` +
            "so pass referenceWorkflow(…, { template }) with the templates fetched from Flyte, or call one of its launch plans with referenceLaunchPlan",
        });
      }
      node.workflowNode = { subWorkflowRef: id };
    } else {
      node.workflowNode = { launchplanRef: id };
    }
  }

  private gateNode(node: Node, record: NodeRecord, gate: GateTarget, visible: ReadonlySet<GraphBuilder>, label: string, upstream: Set<NodeRecord>): void {
    node.metadata = this.withOverrides({ name: gate.name, timeout: durationFromMillis(gate.timeoutMillis), retries: {} }, record, label);
    if (gate.gate === "sleep") {
      node.gateNode = { sleep: { duration: durationFromMillis(gate.sleepMillis ?? 0) } };
    } else if (gate.gate === "approve") {
      const vars: Var[] = [{ name: gate.variable as string, type: gate.type as LiteralType, optional: false }];
      node.inputs = this.bind(vars, record.inputs, label, visible, upstream);
      node.gateNode = { approve: { signalId: gate.name } };
    } else {
      node.gateNode = { signal: { signalId: gate.name, type: gate.type ?? null, outputVariableName: gate.variable ?? "o0" } };
    }
  }

  /**
   * A conditional: flytekit's branch node. Its inputs are the references the conditions compare,
   * named `<node id>.<output>` (`.x` for a workflow input x); its cases' nodes see what the branch
   * node sees.
   */
  private branchNode(node: Node, record: NodeRecord, branch: BranchTarget, visible: ReadonlySet<GraphBuilder>, label: string, upstream: Set<NodeRecord>): void {
    node.metadata = this.withOverrides({ name: branch.name, retries: {} }, record, label);
    const inputs = new Map<string, Binding>();
    const scope = this.scope(visible);
    const operandVar = (data: RefData): string => {
      const path = data.attrPath.map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`)).join("");
      return `${scope.idOf(data)}.${data.variable}${path}`;
    };
    const operand = (value: unknown, other: unknown): { operand: flyteidl.core.Operand.$Properties; type?: LiteralType } => {
      if (isRef(value)) {
        const data = refData(value);
        const name = operandVar(data);
        if (!comparable(data.type)) {
          this.problems.push({ kind: "IllegalValue", nodeId: label, variable: name, message: `${describe(data)} is a ${formatLiteralType(data.type)}; conditions compare primitive values only` });
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
          const literal = guessType(candidate).toLiteral(value, this.ctx.typeContext);
          if (literal instanceof Promise || !literal.scalar?.primitive) continue;
          return { operand: { primitive: literal.scalar.primitive }, type: primitiveType(literal.scalar.primitive) };
        } catch {
          // not this type
        }
      }
      this.problems.push({
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
      const c = condition as Comparison;
      const left = operand(c.left, c.right);
      const right = operand(c.right, c.left);
      // Propeller's check: both sides have exactly the same type (so optional values cannot be compared).
      if (left.type && right.type && !sameType(right.type, left.type)) {
        this.problems.push({
          kind: "MismatchingTypes",
          nodeId: label,
          variable: left.operand.var ?? right.operand.var ?? "",
          message: `cannot compare ${formatLiteralType(left.type)} with ${formatLiteralType(right.type)}: Flyte compares values of exactly the same type`,
        });
      }
      return { comparison: { operator: flyteidl.core.ComparisonExpression.Operator[c.operator], leftValue: left.operand, rightValue: right.operand } };
    };
    const caseLabel = (r: NodeRecord) => `${label}/${this.finalId(r)}`;
    const [first, ...others] = branch.cases.map((c) => ({ condition: expression(c.condition), thenNode: this.compileNode(c.node, visible, caseLabel(c.node)) }));
    const ifElse: flyteidl.core.IfElseBlock.$Properties = { case: first ?? null };
    if (others.length) ifElse.other = others;
    if ("node" in branch.otherwise) ifElse.elseNode = this.compileNode(branch.otherwise.node, visible, caseLabel(branch.otherwise.node));
    else ifElse.error = { failedNodeId: branch.name, message: branch.otherwise.fail };
    node.inputs = [...inputs.values()].sort((a, b) => ((a.var ?? "") < (b.var ?? "") ? -1 : (a.var ?? "") > (b.var ?? "") ? 1 : 0));
    node.branchNode = { ifElse };
  }
}

function rootProblems(builder: GraphBuilder): Problem[] {
  const problems = [...builder.problems];
  for (const open of builder.openConditionals) {
    problems.push({
      kind: "BranchNodeHasNoDefault",
      nodeId: `conditional "${open.name}"`,
      message: "the conditional was never finished: end it with .else().then(() => …) or .else().fail(\"message\")",
    });
  }
  return problems;
}

/**
 * Turns the calls a body made into IDL nodes and output bindings, checking every binding as Flyte's
 * compiler does and collecting every problem. `failure` is the failure node's call, if any.
 */
export async function compileGraph(
  builder: GraphBuilder,
  outputVariables: Variables,
  returned: unknown,
  ctx: GraphContext,
  inputsVisible: boolean,
  failure?: NodeRecord,
): Promise<CompiledGraph> {
  const compilation = new GraphCompilation(ctx, inputsVisible);
  const visible: ReadonlySet<GraphBuilder> = new Set([builder]);
  const emit = ctx.emit;
  const deferred: [number, Node][] = [];
  // Emitted nodes keep only their ids and upstream ids, and only when the shape check needs them: without
  // renamed nodes ids are unique, and without explicit ordering every edge points to an earlier node.
  const checksShape = !emit || builder.nodes.some((r) => r.overrides?.nodeName !== undefined || (r.after?.length ?? 0) > 0);
  const nodes: Node[] = [];
  if (!emit) nodes.push(...compilation.compileBuilder(builder, visible));
  else {
    builder.nodes.forEach((record, index) => {
      const waiting = compilation.pending.length;
      const node = compilation.compileNode(record, visible, compilation.finalId(record));
      if (compilation.pending.length === waiting) emit(index, node);
      else deferred.push([index, node]);
      if (checksShape) nodes.push(node.upstreamNodeIds ? { id: node.id ?? "", upstreamNodeIds: node.upstreamNodeIds } : { id: node.id ?? "" });
    });
  }
  const problems = compilation.problems;

  let outputs: Binding[] = [];
  if (typeof returned !== "object" || returned === null || Array.isArray(returned)) {
    const expected = Object.keys(outputVariables);
    if (expected.length > 0 || returned !== undefined) {
      problems.push({ kind: "ParameterNotBound", nodeId: "end-node", message: `the body must return an object with ${expected.join(", ") || "no"} outputs` });
    }
  } else {
    outputs = compilation.bind(varList(outputVariables), returned as Record<string, unknown>, "end-node", visible, new Set(), { omitOptional: "problem" });
  }
  let failureNode: Node | undefined;
  if (failure) failureNode = compilation.compileNode(failure, new Set([failure.builder]), compilation.finalId(failure));
  await Promise.all(compilation.pending);
  for (const [index, node] of deferred) emit?.(index, node);
  problems.push(...rootProblems(builder));
  checkGraphShape(nodes, problems);
  return { nodes, outputs, problems, ...(failureNode ? { failureNode } : {}) };
}

/** Duplicate ids (renamed nodes can collide) and cycles (explicit ordering can make them; data flow alone cannot). */
function checkGraphShape(nodes: Node[], problems: Problem[]): void {
  const index = new Map<string, number>();
  nodes.forEach((n, i) => {
    const id = n.id ?? "";
    if (index.has(id)) problems.push({ kind: "DuplicateNodeID", nodeId: id, message: "two nodes have this id" });
    else index.set(id, i);
  });
  let backwardOnly = true;
  for (const [i, node] of nodes.entries()) {
    for (const up of node.upstreamNodeIds ?? []) if ((index.get(up) ?? -1) >= i) backwardOnly = false;
  }
  // Edges that only point to earlier nodes cannot close a cycle; only then is the full check needed.
  if (backwardOnly) return;
  const remaining = new Map(nodes.map((n) => [n.id ?? "", new Set((n.upstreamNodeIds ?? []).filter((u) => index.has(u)))]));
  let progress = true;
  while (progress && remaining.size) {
    progress = false;
    for (const [id, deps] of remaining) {
      if ([...deps].every((d) => !remaining.has(d))) {
        remaining.delete(id);
        progress = true;
      }
    }
  }
  if (remaining.size) {
    problems.push({ kind: "CycleDetected", nodeId: [...remaining.keys()].join(", "), message: "these nodes depend on each other in a cycle" });
  }
}
