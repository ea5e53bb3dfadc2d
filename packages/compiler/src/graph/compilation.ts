import type { flyteidl } from "@flytekit-ts/idl";
import { nodeOverrides, taskNodeMetadata, type NodeOverrideSettings, type TaskSettings } from "@flytekit-ts/resources";
import type { TypeContext } from "@flytekit-ts/types";
import type { BindingScope } from "../bindings.js";
import { dnsify } from "../nodes.js";
import type { Problem } from "../problems.js";
import type { AnyEntity, GraphBuilderLike, NodeRecord, RefData } from "../vocabulary.js";

type Node = flyteidl.core.Node.$Properties;
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

const isZeroDuration = (d: { seconds?: unknown; nanos?: unknown } | null | undefined): boolean =>
  !!d && Number(d.seconds ?? 0) === 0 && Number(d.nanos ?? 0) === 0;

/**
 * What the compilation of one body (with its branches and failure node) shares between its nodes:
 * the problems found, the constant conversions still running, and what is worth making once — the
 * ids of called entities, binding scopes, node metadata and task nodes. Each node kind is compiled
 * in compile-node.ts; bindings are checked in variables.ts.
 */
export class GraphCompilation {
  readonly problems: Problem[] = [];
  readonly pending: Promise<unknown>[] = [];
  private readonly ids = new Map<AnyEntity, Identifier>();
  private readonly metadata = new Map<AnyEntity, NodeMetadata>();
  private readonly scopes = new Map<ReadonlySet<GraphBuilderLike>, BindingScope>();

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

  /** What binding sees from nodes of the `visible` builders: their outputs, and the workflow's inputs when visible. */
  scope(visible: ReadonlySet<GraphBuilderLike>): BindingScope {
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

  /** A node's metadata with its overrides applied (a zero timeout removes the timeout, as flytekit leaves it unset). */
  withOverrides(base: NodeMetadata, record: NodeRecord, label: string): NodeMetadata {
    if (!record.overrides) return base;
    const { nodeName: _nodeName, ...rest } = record.overrides;
    const merged: NodeMetadata = { ...base, ...nodeOverrides(rest, `overrides of node ${label}`).metadata };
    if (isZeroDuration(merged.timeout)) delete merged.timeout;
    return merged;
  }

  /** A task's node metadata without overrides: the same for every call of `entity`, so made once. */
  sharedTaskMetadata(entity: AnyEntity, name: string, settings: TaskSettings): NodeMetadata {
    let metadata = this.metadata.get(entity);
    if (!metadata) {
      metadata = taskNodeMetadata(name, settings);
      this.metadata.set(entity, metadata);
    }
    return metadata;
  }

  /** A task node's metadata: its settings, with the node's overrides. */
  taskMetadata(entity: AnyEntity, name: string, settings: TaskSettings, record: NodeRecord): NodeMetadata {
    if (!record.overrides) return this.sharedTaskMetadata(entity, name, settings);
    const { nodeName: _nodeName, ...rest } = record.overrides;
    const metadata = taskNodeMetadata(name, settings, rest);
    if (isZeroDuration(metadata.timeout)) metadata.timeout = null;
    return metadata;
  }

  taskOverrides(record: NodeRecord, label: string): flyteidl.core.TaskNodeOverrides.$Properties {
    if (!record.overrides) return {};
    const { nodeName: _nodeName, ...rest } = record.overrides;
    return nodeOverrides(rest as NodeOverrideSettings, `overrides of node ${label}`).overrides;
  }

  /** The `TaskNode` of a call without overrides: the same for every call of an entity, so shared (frozen). */
  private readonly plainTaskNodes = new Map<AnyEntity, flyteidl.core.TaskNode.$Properties>();

  taskNode(entity: AnyEntity, record: NodeRecord, label: string): flyteidl.core.TaskNode.$Properties {
    if (record.overrides) return { referenceId: this.idOf(entity), overrides: this.taskOverrides(record, label) };
    let taskNode = this.plainTaskNodes.get(entity);
    if (!taskNode) {
      taskNode = Object.freeze({ referenceId: this.idOf(entity), overrides: Object.freeze({}) });
      this.plainTaskNodes.set(entity, taskNode);
    }
    return taskNode;
  }

  /**
   * A cleared upstream set to reuse: a node's upstream is complete when compileNode returns (bindings
   * add to it synchronously), and a new set for each of a 10,000-node dynamic's nodes was memory it kept.
   * Nested nodes (branches) take a fresh one while the outer node holds this.
   */
  private spareUpstream: Set<NodeRecord> | undefined;

  /** An empty upstream set for the node being compiled; give it back with `releaseUpstream`. */
  borrowUpstream(): Set<NodeRecord> {
    const upstream = this.spareUpstream ?? new Set<NodeRecord>();
    this.spareUpstream = undefined;
    return upstream;
  }

  releaseUpstream(upstream: Set<NodeRecord>): void {
    upstream.clear();
    this.spareUpstream = upstream;
  }
}
