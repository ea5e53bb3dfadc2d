import { flyteidl } from "@flytekit-ts/idl";
import { validateBindings } from "./bindings.js";
import {
  type CompiledWorkflow,
  type EdgeDirection,
  END_NODE_ID,
  type Identifier,
  type LaunchPlanInterface,
  type Node,
  NodeBuilder,
  START_NODE_ID,
  type TaskTemplate,
  type WorkflowContext,
} from "./builder.js";
import { Errors, issue } from "./errors.js";
import { formatId, idKey } from "./ids.js";
import { validateInterface } from "./interface.js";
import { validateNode } from "./node.js";
import { collectRequirements } from "./requirements.js";

/** What every workflow compiled in one call shares: everything the caller passed in. */
export interface CompileScope {
  readonly allTasks: ReadonlyMap<string, TaskTemplate>;
  readonly allSubWorkflows: ReadonlyMap<string, CompiledWorkflow>;
  readonly allLaunchPlans: ReadonlyMap<string, LaunchPlanInterface>;
  /**
   * Sub-workflows compiled so far. Each is compiled once per call; propeller keeps this per calling
   * workflow, so a sub-workflow called from two workflows is compiled twice there, with the same
   * result except that branch cases would be renamed a second time.
   */
  readonly compiledSubWorkflows: Map<string, CompiledWorkflow>;
  /** Sub-workflows being compiled further up the stack. */
  readonly compiling: Set<string>;
}

const sortedIds = (ids: Set<string>) => [...ids].sort();

/**
 * Builds one compiled workflow: the start and end nodes, every node's interface and bindings, the
 * upstream/downstream connections, and the reachability checks. Mirrors propeller's workflowBuilder.
 */
export class WorkflowBuilder implements WorkflowContext {
  private readonly nodes = new Map<string, NodeBuilder>();
  private readonly builders = new Map<object, NodeBuilder>();
  private readonly upstream = new Map<string, Set<string>>();
  private readonly downstream = new Map<string, Set<string>>();
  private tasks = new Map<string, TaskTemplate>();
  private launchPlans = new Map<string, LaunchPlanInterface>();

  constructor(
    readonly compiled: CompiledWorkflow,
    private readonly scope: CompileScope,
  ) {}

  builderFor(node: Node): NodeBuilder {
    let builder = this.builders.get(node);
    if (!builder) {
      builder = new NodeBuilder(node);
      this.builders.set(node, builder);
    }
    return builder;
  }

  getNode(id: string): NodeBuilder | undefined {
    return this.nodes.get(id);
  }

  getTask(id: Identifier): TaskTemplate | undefined {
    return this.tasks.get(idKey(id));
  }

  getLaunchPlan(id: Identifier): LaunchPlanInterface | undefined {
    return this.launchPlans.get(idKey(id));
  }

  getSubWorkflow(id: Identifier): CompiledWorkflow | undefined {
    return this.scope.allSubWorkflows.get(idKey(id));
  }

  getCompiledSubWorkflow(id: Identifier): CompiledWorkflow | undefined {
    return this.scope.compiledSubWorkflows.get(idKey(id));
  }

  storeCompiledSubWorkflow(id: Identifier, wf: CompiledWorkflow): void {
    this.scope.compiledSubWorkflows.set(idKey(id), wf);
  }

  isCompiling(id: Identifier): boolean {
    return this.scope.compiling.has(idKey(id));
  }

  /** Adds a node (to the index and to the template's node list) unless one with its id is there already. */
  private addNode(n: NodeBuilder): boolean {
    if (this.nodes.has(n.id)) return false;
    this.nodes.set(n.id, n);
    (this.compiled.template!.nodes ??= []).push(n.node);
    return true;
  }

  addUpstreamEdge(from: string, to: string): void {
    const provider = from === "" ? START_NODE_ID : from;
    let set = this.upstream.get(to);
    if (!set) this.upstream.set(to, (set = new Set()));
    set.add(provider);
  }

  addDownstreamEdge(from: string, to: string): void {
    const provider = from === "" ? START_NODE_ID : from;
    let set = this.downstream.get(provider);
    if (!set) this.downstream.set(provider, (set = new Set()));
    set.add(to);
  }

  addExecutionEdge(from: string, to: string): void {
    this.addDownstreamEdge(from, to);
    this.addUpstreamEdge(from, to);
  }

  /** The explicit (upstream ids) and implicit (bindings) edges of a node; bindings are type-checked here. */
  addEdges(n: NodeBuilder, direction: EdgeDirection, errs: Errors): boolean {
    // A node whose interface could not be computed has already been reported.
    if (!n.iface) return false;
    if (direction !== "upstream") {
      for (const up of n.node.upstreamNodeIds ?? []) this.addExecutionEdge(up, n.id);
    }
    const [, ok] = validateBindings(this, n, n.node.inputs, n.iface.inputs, true, direction, errs.scope());
    return ok;
  }

  /** Tasks and launch plans this workflow's own nodes refer to (sub-workflows look up their own). */
  private updateRequiredReferences(): void {
    const reqs = collectRequirements(this.compiled.template!, new Map(), false, new Errors());
    const tasks = new Map<string, TaskTemplate>();
    for (const key of reqs.tasks.keys()) {
      const task = this.scope.allTasks.get(key);
      if (task) tasks.set(key, task);
    }
    const launchPlans = new Map<string, LaunchPlanInterface>();
    for (const key of reqs.launchPlans.keys()) {
      const lp = this.scope.allLaunchPlans.get(key);
      if (lp) launchPlans.set(key, lp);
    }
    this.tasks = tasks;
    this.launchPlans = launchPlans;
  }

  validateWorkflow(fg: CompiledWorkflow, errs: Errors): [WorkflowBuilder | undefined, boolean] {
    const template = fg.template!;
    if ((template.nodes ?? []).length === 0) {
      const id = formatId(template.id);
      errs.collect(issue("NoNodesFound", id, `Can't find any nodes in workflow [${id}].`));
      return [undefined, !errs.hasErrors()];
    }

    // Remembered while it compiles, so that a workflow calling itself is not compiled forever.
    const key = idKey(template.id);
    this.scope.compiling.add(key);
    try {
      const wf = new WorkflowBuilder(fg, this.scope);
      return [wf, wf.build(errs)];
    } finally {
      this.scope.compiling.delete(key);
    }
  }

  private build(errs: Errors): boolean {
    const template = this.compiled.template!;
    this.updateRequiredReferences();

    const [iface, ifaceOk] = validateInterface(START_NODE_ID, template.interface, errs.scope());
    template.interface = iface as flyteidl.core.TypedInterface;
    if (!ifaceOk) return false;

    const checkpoint = [...(template.nodes ?? [])];
    template.nodes = [];
    this.compiled.connections = null;

    const start = this.builderFor(flyteidl.core.Node.create({ id: START_NODE_ID }));
    this.addNode(start);
    start.iface = { outputs: iface.inputs ?? null };

    const end = this.builderFor(flyteidl.core.Node.create({ id: END_NODE_ID }));
    this.addNode(end);
    end.iface = { inputs: iface.outputs ?? null };
    // The end node's inputs are the workflow's output bindings themselves (same objects), so
    // rewriting a promise on one rewrites the other.
    template.outputs = template.outputs ?? [];
    end.node.inputs = template.outputs;

    // Top-level nodes (not branch cases) must all run before the end node.
    const topLevel = new Set<string>();
    for (const node of checkpoint) {
      topLevel.add(node.id ?? "");
      const n = this.builderFor(node as Node);
      if (!this.addNode(n) && n.id !== START_NODE_ID && n.id !== END_NODE_ID) {
        // Propeller silently keeps only the first node with a given id; a second one is reported here.
        errs.collect(issue("DuplicateNodeID", n.id, "Trying to insert two nodes with the same id."));
      }
      validateNode(this, n, false, errs.scope());
    }

    for (const [id, n] of this.nodes) {
      if (id === START_NODE_ID) continue;
      this.addEdges(n, "both", errs.scope());
    }

    const failureNode = template.failureNode as Node | null | undefined;
    if (failureNode) {
      const n = this.builderFor(failureNode);
      validateNode(this, n, false, errs.scope());
      this.addEdges(n, "upstream", errs.scope());
    }

    // Nodes that depend on nothing start right away; nodes nothing depends on finish before the end node.
    for (const id of this.nodes.keys()) {
      if (id === START_NODE_ID || id === END_NODE_ID || !topLevel.has(id)) continue;
      if (!this.upstream.has(id)) this.addExecutionEdge(START_NODE_ID, id);
      if (!this.downstream.has(id)) this.addExecutionEdge(id, END_NODE_ID);
    }

    // The workflow's outputs must be bound, with the right types.
    const [, endIfaceOk] = validateInterface(END_NODE_ID, end.iface, errs.scope());
    if (endIfaceOk) validateBindings(this, end, end.node.inputs, end.iface.inputs, true, "both", errs.scope());

    this.validateReachable(errs.scope());
    this.compiled.connections = this.connections();
    return !errs.hasErrors();
  }

  private connections(): flyteidl.core.ConnectionSet {
    const toLists = (m: Map<string, Set<string>>) =>
      Object.fromEntries([...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => [k, flyteidl.core.ConnectionSet.IdList.create({ ids: sortedIds(v) })]));
    return flyteidl.core.ConnectionSet.create({ downstream: toLists(this.downstream), upstream: toLists(this.upstream) });
  }

  /**
   * A depth-first walk from the start node along downstream edges: a node met again while still on
   * the path is a cycle; nodes never met are unreachable. A cycle that nothing leads into is therefore
   * reported as unreachable nodes, as propeller does.
   */
  private validateReachable(errs: Errors): boolean {
    const visited = new Set<string>();
    const onPath = new Set<string>();
    const detect = (id: string): string[] | undefined => {
      if (onPath.has(id)) return [];
      onPath.add(id);
      visited.add(id);
      for (const next of sortedIds(this.downstream.get(id) ?? new Set())) {
        const path = detect(next);
        if (path) return [next, ...path];
      }
      onPath.delete(id);
      return undefined;
    };
    const cycle = detect(START_NODE_ID);
    if (cycle) {
      const path = [START_NODE_ID, ...cycle].join(">");
      errs.collect(issue("CycleDetected", START_NODE_ID, `A cycle has been detected while traversing the Workflow [${path}].`));
    } else if (visited.size !== this.nodes.size) {
      const unreachable = [...this.nodes.keys()].filter((id) => !visited.has(id) && id !== END_NODE_ID).sort();
      if (unreachable.length > 0) {
        errs.collect(issue("UnreachableNodes", START_NODE_ID, `The Workflow contain unreachable nodes [${unreachable.join(",")}].`));
      }
    }
    return !errs.hasErrors();
  }
}
