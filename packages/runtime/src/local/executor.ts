import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { FlytekitError, durationToMillis, flyteidl } from "@flytekit-ts/idl";
import {
  WorkflowCompiler,
  compileDynamic,
  compileDynamicJobSpec,
  entityKind,
  launchPlanInterface,
  launchPlanSpec,
  promiseSources,
  typedInterface,
  serializationContext,
  type AnyEntity,
  type DynamicLike,
  type LaunchPlanInterface,
  type LaunchPlanLike,
  type MapTaskLike,
  type ReferenceLike,
  type SerializationContext,
  type TaskLike,
  type WorkflowLike,
} from "@flytekit-ts/compiler";
import { fromLiteralMap, localContext, type LiteralMap, type TypeContext } from "@flytekit-ts/types";
import { localContextInit, runInTaskContext, type TaskContextInit } from "../context/task-context.js";
import { RoutingStorage } from "../storage.js";
import { resolveBindings, type NodeOutputs } from "./bindings.js";
import { defaultCacheDir, LocalCache } from "./cache.js";
import { chooseBranch } from "./conditions.js";
import { runGate } from "./gate.js";
import { Limiter, NotStarted } from "./limiter.js";
import { runMap, type MapSettings } from "./map.js";
import type { Mock } from "./mocks.js";
import { NodeFailure, type LocalRunOptions, type NodeEvent } from "./options.js";
import { runDag } from "./scheduler.js";
import { PythonTaskRunner, runPythonNode } from "./python-task.js";
import { TaskRunner, viaWire } from "./task-runner.js";
import { freshWorkDir, removeWorkDir } from "./workdir.js";

export { NodeFailure, type LocalRunOptions, type NodeEvent } from "./options.js";

type Node = flyteidl.core.Node.$Properties;
type Binding = flyteidl.core.Binding.$Properties;
type WorkflowTemplate = flyteidl.core.WorkflowTemplate.$Properties;

/** One top-level run: its task slots, and its first failure, after which it starts nothing more. */
class Run {
  failure: { error: unknown } | undefined;
  constructor(readonly limiter: Limiter) {}

  get stopped(): boolean {
    return this.failure !== undefined;
  }

  fail(error: unknown): void {
    if (this.failure || error instanceof NotStarted) return;
    this.failure = { error };
    this.limiter.stop();
  }
}

/**
 * Runs compiled graphs on this machine: the same `WorkflowTemplate`s and `DynamicJobSpec`s a cluster
 * receives, node by node, independent nodes in parallel, with the tasks' retries, timeouts and caching.
 * Call {@link close} when done with it to remove its temporary directory.
 */
export class LocalExecutor {
  private readonly entities = new Map<string, AnyEntity>();
  private readonly templates = new Map<string, WorkflowTemplate>();
  private readonly tasks: TaskRunner;
  readonly typeContext: TypeContext;
  readonly serialization: SerializationContext;
  private readonly mocks: ReadonlyMap<string, Mock>;
  /** Runs reference tasks with the real flytekit, when the run's `python` option is set. */
  private readonly python: PythonTaskRunner | undefined;
  private readonly workDir: string;
  private readonly slots: number;
  /** What currentContext() gives tasks of this run: its id (the run's directory is workDir). */
  private readonly runId = `local-${process.pid}-${Date.now()}`;

  constructor(private readonly options: LocalRunOptions = {}) {
    this.workDir = options.workDir ?? freshWorkDir();
    this.typeContext = localContext({ storage: options.storage ?? new RoutingStorage(), rawOutputPrefix: join(this.workDir, "raw"), workDir: join(this.workDir, "work") });
    this.serialization = serializationContext({ project: "local", domain: "local", version: "local", image: "local", typeContext: this.typeContext });
    this.slots = Math.max(1, options.maxParallelism ?? availableParallelism());
    this.mocks = new Map((options.mocks ?? []).map((m) => [m.name, m]));
    this.python = options.python ? new PythonTaskRunner({ workDir: join(this.workDir, "python"), ...options.python }) : undefined;
    this.tasks = new TaskRunner({
      typeContext: this.typeContext,
      serialization: this.serialization,
      cache: options.cacheDir === false ? undefined : new LocalCache(options.cacheDir ?? defaultCacheDir()),
      overwriteCache: options.overwriteCache ?? false,
      emit: (event: NodeEvent) => options.onEvent?.(event),
      warn: options.onWarning ?? ((message) => console.warn(`warning: ${message}`)),
      contextOf: (task, path, attempt) => this.contextOf(task, path, attempt),
      containerTasks: options.containerTasks,
    });
  }

  /** Runs any entity on literal inputs and returns its output literals. */
  run(entity: AnyEntity, inputs: LiteralMap, path = ""): Promise<LiteralMap> {
    return this.start((run) => this.runEntity(run, entity, inputs, path));
  }

  /** Runs the nodes of a graph (a workflow template's, a dynamic job spec's) and binds its outputs. */
  runGraph(nodes: readonly Node[], outputs: readonly Binding[], inputs: LiteralMap, path: string): Promise<LiteralMap> {
    return this.start((run) => this.graph(run, nodes, outputs, inputs, path));
  }

  /**
   * Removes the temporary directory this executor made (none when `workDir` was given), keeping the
   * raw outputs that `outputs` point to.
   */
  async close(outputs?: LiteralMap): Promise<void> {
    if (this.options.workDir === undefined) await removeWorkDir(this.workDir, outputs);
  }

  private async start(work: (run: Run) => Promise<LiteralMap>): Promise<LiteralMap> {
    const run = new Run(new Limiter(this.slots));
    try {
      return await work(run);
    } catch (error) {
      // The first failure is the cause; what failed after it (nodes stopped, parents failing) follows from it.
      throw run.failure ? run.failure.error : error;
    }
  }

  private async runEntity(run: Run, entity: AnyEntity, inputs: LiteralMap, path: string): Promise<LiteralMap> {
    const mock = this.mocks.get(entity.name);
    if (mock) return this.tasks.runMock(mock, inputs, path, run.limiter);
    this.entities.set(entity.name, entity);
    switch (entityKind(entity)) {
      case "workflow":
        return this.runWorkflow(run, entity as WorkflowLike, inputs, path);
      case "dynamic":
        return this.runDynamic(run, entity as DynamicLike, inputs, path);
      case "map": {
        const map = entity as MapTaskLike;
        return this.runMap(run, map, inputs, path, { parallelism: map.concurrency, minSuccesses: map.minSuccesses, minSuccessRatio: map.minSuccessRatio, boundInputs: map.boundInputs });
      }
      case "launchPlan":
        return this.runLaunchPlan(run, entity as LaunchPlanLike, inputs, path);
      case "reference": {
        const reference = (entity as ReferenceLike).reference;
        if (this.python && reference.resourceType === "task") {
          return runPythonNode(this.python, { emit: (e) => this.options.onEvent?.(e), slot: (work) => run.limiter.run(work) }, entity.name, reference.template, inputs, path);
        }
        throw new FlytekitError(
          "UNKNOWN_ENTITY",
          `${entity.name} is a reference to an entity registered elsewhere; its code is not here, so mock it with mock(…) in the run's mocks` +
            (reference.resourceType === "task" ? ", or run it with flytekit (the run's python option) if it is a Python task" : ""),
        );
      }
      default:
        return this.tasks.run(entity as TaskLike, inputs, path, run.limiter);
    }
  }

  private runMap(run: Run, map: MapTaskLike, inputs: LiteralMap, path: string, settings: MapSettings): Promise<LiteralMap> {
    return runMap(map, inputs, settings, (element, i) => this.tasks.run(map.task, element, `${path}/${i}`, run.limiter));
  }

  /** A launch plan runs its workflow with the call's inputs, its fixed inputs, and its defaults for the rest. */
  private async runLaunchPlan(run: Run, lp: LaunchPlanLike, inputs: LiteralMap, path: string): Promise<LiteralMap> {
    const workflowInputs = lp.workflow.inputs;
    const literals: Record<string, flyteidl.core.Literal.$Properties> = { ...(inputs.literals ?? {}) };
    for (const [values, override] of [[lp.defaultInputs, false], [lp.fixedInputs, true]] as const) {
      for (const [name, value] of Object.entries(values)) {
        if (!override && literals[name]) continue;
        const descriptor = workflowInputs[name];
        if (descriptor) literals[name] = await descriptor.toLiteral(value, this.typeContext);
      }
    }
    return this.runEntity(run, lp.workflow, viaWire({ literals }), path);
  }

  private async runWorkflow(run: Run, wf: WorkflowLike, inputs: LiteralMap, path: string): Promise<LiteralMap> {
    const compiled = await new WorkflowCompiler(this.serialization).compile(wf);
    for (const t of compiled.tasks) this.entities.set(t.name, t);
    for (const sub of compiled.subWorkflows) {
      this.entities.set(sub.workflow.name, sub.workflow);
      this.templates.set(sub.workflow.name, sub.template);
    }
    for (const lp of compiled.launchPlans) this.entities.set(lp.name, lp);
    for (const reference of compiled.references) this.entities.set(reference.name, reference);
    return this.graph(run, compiled.template.nodes ?? [], compiled.template.outputs ?? [], inputs, path);
  }

  private async runDynamic(run: Run, task: DynamicLike, inputs: LiteralMap, path: string): Promise<LiteralMap> {
    // The body is what a dynamic's pod runs: it takes a task slot, and gives it back before its children run.
    const result = await run.limiter.run(async () => {
      const values = await fromLiteralMap(task.inputs, inputs, this.typeContext);
      const body = () => compileDynamic(task as never, values as never, this.serialization, { warn: () => undefined });
      return runInTaskContext(this.contextOf(task, path, 0), values, body);
    });
    if (result.kind === "outputs") return viaWire(result.outputs);
    // FlytePropeller compiles every futures.pb before running it; so does this executor, with its checks and errors.
    const launchPlans = await Promise.all(result.entities.filter((e) => entityKind(e) === "launchPlan").map((lp) => this.launchPlanInterface(lp as LaunchPlanLike)));
    compileDynamicJobSpec(result.spec, typedInterface(task as AnyEntity), launchPlans, { parentTask: this.tasks.template(task) });
    for (const entity of result.entities) this.entities.set(entity.name, entity);
    for (const template of result.spec.subworkflows ?? []) this.templates.set(template.id?.name ?? "", template);
    // The children see no workflow inputs: the spec's interface has outputs only, as on a cluster.
    return this.graph(run, result.spec.nodes ?? [], result.spec.outputs ?? [], { literals: {} }, path);
  }

  private contextOf(task: TaskLike | DynamicLike, path: string, attempt: number): TaskContextInit {
    const { storage, rawOutputPrefix } = this.typeContext;
    // Decks are for reading after the run: a temporary run directory is removed, so they go beside it.
    const outputRoot = this.options.workDir === undefined ? join(tmpdir(), "flyte-ts", "decks", this.runId) : join(this.workDir, "outputs");
    return localContextInit({ runDirectory: this.workDir, outputRoot, runId: this.runId, task, path, attempt, storage, rawOutputPrefix });
  }

  /** What propeller learns of a launch plan a dynamic calls (from FlyteAdmin there; from its code here). */
  private async launchPlanInterface(lp: LaunchPlanLike): Promise<LaunchPlanInterface> {
    return launchPlanInterface(await launchPlanSpec(lp, this.serialization), typedInterface(lp.workflow as AnyEntity));
  }

  /** Runs nodes as soon as everything they read from has finished; after the first failure starts no more. */
  private async graph(run: Run, nodes: readonly Node[], outputs: readonly Binding[], inputs: LiteralMap, path: string): Promise<LiteralMap> {
    const results = new Map<string, LiteralMap>([["", inputs]]);
    const dag = nodes.map((node) => ({ id: node.id ?? "", upstream: nodeSources(node) }));
    const start = async (index: number): Promise<void> => {
      const node = nodes[index] as Node;
      const id = node.id ?? "";
      try {
        results.set(id, await this.runNode(run, node, results, path ? `${path}/${id}` : id));
      } catch (error) {
        run.fail(error);
        throw error;
      }
    };
    await runDag(dag, start, () => run.stopped);
    return resolveBindings(outputs, results);
  }

  private async runNode(run: Run, node: Node, results: NodeOutputs, path: string): Promise<LiteralMap> {
    const name = node.taskNode?.referenceId?.name ?? node.workflowNode?.subWorkflowRef?.name ?? node.workflowNode?.launchplanRef?.name ?? "";
    try {
      const inputs = resolveBindings(node.inputs ?? [], results);
      const mock = this.mocks.get(name);
      if (mock) return await this.tasks.runMock(mock, inputs, path, run.limiter);
      if (node.taskNode) {
        const entity = this.lookup(name);
        if (entityKind(entity) === "task") {
          const retries = node.metadata?.retries?.retries ?? undefined;
          const timeout = node.metadata?.timeout ? durationToMillis(node.metadata.timeout) : undefined;
          return await this.tasks.run(entity as TaskLike, inputs, path, run.limiter, retries ?? undefined, timeout);
        }
        return await this.runEntity(run, entity, inputs, path);
      }
      if (node.branchNode) {
        const chosen = chooseBranch(node.branchNode, inputs);
        return chosen ? await this.runNode(run, chosen, results, `${path}/${chosen.id ?? ""}`) : { literals: {} };
      }
      if (node.gateNode) {
        this.options.onEvent?.({ phase: "running", path, entity: "gate", attempt: 0 });
        return await runGate(node, inputs, this.options.signals ?? {}, this.typeContext);
      }
      if (node.arrayNode) return await this.runArrayNode(run, node, inputs, path);
      if (node.workflowNode?.launchplanRef) return await this.runEntity(run, this.lookup(name), inputs, path);
      if (node.workflowNode?.subWorkflowRef) {
        const template = this.templates.get(name);
        if (template) return await this.graph(run, template.nodes ?? [], template.outputs ?? [], inputs, path);
        return await this.runEntity(run, this.lookup(name), inputs, path);
      }
      throw new FlytekitError("UNSUPPORTED_NODE", `node ${node.id ?? ""} is of a kind the local executor cannot run yet`);
    } catch (error) {
      // The innermost failed node names the failure; a task that never started is no failure of its own.
      throw error instanceof NodeFailure || error instanceof NotStarted ? error : new NodeFailure(path, name, error);
    }
  }

  private async runArrayNode(run: Run, node: Node, inputs: LiteralMap, path: string): Promise<LiteralMap> {
    const array = node.arrayNode ?? {};
    const mapName = array.node?.taskNode?.referenceId?.name ?? "";
    const mock = this.mocks.get(mapName);
    if (mock) return this.tasks.runMock(mock, inputs, path, run.limiter);
    const map = this.lookup(mapName);
    if (entityKind(map) !== "map") throw new FlytekitError("UNSUPPORTED_NODE", `array node ${node.id ?? ""} maps ${mapName}, which is not a map task`);
    return this.runMap(run, map as MapTaskLike, inputs, path, {
      parallelism: array.parallelism ?? undefined,
      minSuccesses: array.minSuccesses ?? undefined,
      minSuccessRatio: array.minSuccessRatio ?? undefined,
      boundInputs: array.boundInputs ?? [],
    });
  }

  private lookup(name: string): AnyEntity {
    const entity = this.entities.get(name);
    if (!entity) {
      throw new FlytekitError("UNKNOWN_ENTITY", `${name} is referenced but its code is not known to the local executor; replace it with mock(…) in the run's mocks`);
    }
    return entity;
  }
}

/** What a node waits for: its explicit upstream, what its bindings read, and the same for a branch's inner nodes. */
function nodeSources(node: Node): Set<string> {
  const sources = new Set([...(node.upstreamNodeIds ?? []), ...promiseSources(node.inputs ?? [])]);
  const block = node.branchNode?.ifElse;
  if (block) {
    for (const inner of [block.case?.thenNode, ...(block.other ?? []).map((o) => o.thenNode), block.elseNode]) {
      if (inner) for (const id of nodeSources(inner)) sources.add(id);
    }
  }
  return sources;
}
