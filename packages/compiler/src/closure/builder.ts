import type { flyteidl } from "@flytekit-ts/idl";
import type { Errors } from "./errors.js";

export type Identifier = flyteidl.core.Identifier.$Properties;
export type Node = flyteidl.core.Node;
export type TaskTemplate = flyteidl.core.TaskTemplate;
export type TypedInterface = flyteidl.core.TypedInterface.$Properties;
export type VariableMap = flyteidl.core.VariableMap.$Properties;
export type Variable = flyteidl.core.Variable.$Properties;
export type Binding = flyteidl.core.Binding.$Properties;
export type CompiledWorkflow = flyteidl.core.CompiledWorkflow;

/** The synthetic node whose outputs are the workflow's inputs. */
export const START_NODE_ID = "start-node";
/** The synthetic node whose inputs are the workflow's output bindings. */
export const END_NODE_ID = "end-node";

/**
 * Which connections a binding adds: both directions for top-level nodes; upstream only for nodes
 * that are not part of the top-level graph (branch cases, the failure node) and for the early
 * binding pass of branch and gate nodes.
 */
export type EdgeDirection = "both" | "upstream" | "downstream";

/**
 * The interface of a launch plan as the compiler needs it (propeller's InterfaceProvider): the
 * inputs it expects (required ones must be bound by the calling node; optional ones may be) and the
 * outputs it produces. flyteadmin fills these from `LaunchPlan.closure.expected_inputs/outputs`.
 */
export interface LaunchPlanInterface {
  readonly id: Identifier;
  readonly expectedInputs?: flyteidl.core.ParameterMap.$Properties | null;
  readonly expectedOutputs?: VariableMap | null;
}

/** A node being compiled, with what the compiler learns about it. */
export class NodeBuilder {
  /** The node's effective interface once computed (null until then, or when it cannot be). */
  iface: TypedInterface | null = null;
  task: TaskTemplate | undefined;
  subWorkflow: WorkflowContext | undefined;

  constructor(readonly node: Node) {}

  get id(): string {
    return this.node.id ?? "";
  }

  set id(value: string) {
    this.node.id = value;
  }
}

/** What the node, interface and binding validators need from the workflow being compiled. */
export interface WorkflowContext {
  readonly compiled: CompiledWorkflow;
  builderFor(node: Node): NodeBuilder;
  getNode(id: string): NodeBuilder | undefined;
  getTask(id: Identifier): TaskTemplate | undefined;
  getLaunchPlan(id: Identifier): LaunchPlanInterface | undefined;
  getSubWorkflow(id: Identifier): CompiledWorkflow | undefined;
  getCompiledSubWorkflow(id: Identifier): CompiledWorkflow | undefined;
  storeCompiledSubWorkflow(id: Identifier, wf: CompiledWorkflow): void;
  /** Whether the sub-workflow is being compiled further up the stack (a workflow calling itself). */
  isCompiling(id: Identifier): boolean;
  addEdges(n: NodeBuilder, direction: EdgeDirection, errs: Errors): boolean;
  addExecutionEdge(from: string, to: string): void;
  addUpstreamEdge(from: string, to: string): void;
  addDownstreamEdge(from: string, to: string): void;
  validateWorkflow(fg: CompiledWorkflow, errs: Errors): [WorkflowContext | undefined, boolean];
}
