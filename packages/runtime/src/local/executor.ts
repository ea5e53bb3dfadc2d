import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { FlytekitError, durationToMillis, flyteidl } from "@flytekit-ts/idl";
import {
  WorkflowCompiler,
  compileDynamic,
  compileDynamicJobSpec,
  entityKind,
  promiseSources,
  typedInterface,
  serializationContext,
  taskTemplate,
  type AnyEntity,
  type AnyTask,
  type DynamicLike,
  type LaunchPlanLike,
  type MapTaskLike,
  type SerializationContext,
  type TaskLike,
  type WorkflowLike,
} from "@flytekit-ts/compiler";
import { fromLiteralMap, guessType, localContext, toLiteralMap, type LiteralMap, type Storage, type TypeContext } from "@flytekit-ts/types";
import { isRecoverableError } from "../errors.js";
import { localContextInit, runInTaskContext } from "../context/task-context.js";
import { localTaskBody, type LocalContainerTasks } from "../container/run-command.js";
import { RoutingStorage } from "../storage.js";
import { resolveBindings, type NodeOutputs } from "./bindings.js";
import { chooseBranch } from "./conditions.js";
import { LocalCache } from "./cache.js";
import type { Mock } from "./mocks.js";

type Node = flyteidl.core.Node.$Properties;
type Binding = flyteidl.core.Binding.$Properties;
type WorkflowTemplate = flyteidl.core.WorkflowTemplate.$Properties;

/** What happens to each node, for progress displays and logs. */
export interface NodeEvent {
  phase: "running" | "succeeded" | "failed" | "retrying" | "cached";
  /** Where the node is: `n1`, or `n1/dn3` inside a dynamic or sub-workflow. */
  path: string;
  entity: string;
  attempt: number;
  durationMs?: number;
  error?: string;
}

export interface LocalRunOptions {
  /** Where raw outputs (files, directories) and downloads go; default a fresh temporary directory. */
  workDir?: string;
  /** The local cache of cached tasks: a directory, or false to turn it off (default: under workDir). */
  cacheDir?: string | false;
  /** How many tasks may run at once (default: the machine's parallelism). */
  concurrency?: number;
  onEvent?: (event: NodeEvent) => void;
  storage?: Storage;
  /** Entities to replace with stand-ins (see `mock`). */
  mocks?: readonly Mock[];
  /**
   * Values for gate nodes, by signal id: `true`/`false` for an approval, the value for a signal.
   * A gate without one fails the run (a local run cannot wait for a person).
   */
  signals?: Readonly<Record<string, unknown>>;
  /**
   * Container tasks (`containerTask`) have no image here: `"error"` (default) asks for a mock;
   * `"run-command"` runs their command on this machine (it must be installed here).
   */
  containerTasks?: LocalContainerTasks;
}

export class NodeFailure extends FlytekitError {
  constructor(
    readonly path: string,
    readonly entity: string,
    cause: unknown,
  ) {
    super("NODE_FAILED", `node ${path} (${entity}) failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

class TaskTimeout extends FlytekitError {
  constructor(entity: string, ms: number) {
    super("TIMEOUT", `${entity} ran longer than its timeout of ${ms} ms`);
  }
}

/** Caps how many tasks run at once; graph bookkeeping itself is not limited. */
class Semaphore {
  private waiting: (() => void)[] = [];
  constructor(private free: number) {}
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}

/** Literals travel as bytes between nodes, exactly as on a cluster: whatever a task reads was decoded. */
const viaWire = (map: LiteralMap): LiteralMap => flyteidl.core.LiteralMap.decode(flyteidl.core.LiteralMap.encode(map as flyteidl.core.LiteralMap).finish());

/**
 * Runs compiled graphs on this machine: the same `WorkflowTemplate`s and `DynamicJobSpec`s a cluster
 * receives, node by node, independent nodes in parallel, with the tasks' retries, timeouts and caching.
 */
export class LocalExecutor {
  private readonly entities = new Map<string, AnyEntity>();
  private readonly templates = new Map<string, WorkflowTemplate>();
  private readonly semaphore: Semaphore;
  private readonly cache: LocalCache | undefined;
  readonly typeContext: TypeContext;
  readonly serialization: SerializationContext;
  private readonly taskMetadata = new Map<AnyTask, flyteidl.core.TaskTemplate.$Properties>();
  private readonly mocks: ReadonlyMap<string, Mock>;
  /** What currentContext() gives tasks of this run: its directory and id. */
  private readonly localRun: { readonly directory: string; readonly id: string };

  constructor(private readonly options: LocalRunOptions = {}) {
    const workDir = options.workDir ?? join(tmpdir(), "flyte-ts", `local-${process.pid}-${Date.now()}`);
    this.localRun = { directory: workDir, id: `local-${process.pid}-${Date.now()}` };
    this.typeContext = localContext({ storage: options.storage ?? new RoutingStorage(), rawOutputPrefix: join(workDir, "raw"), workDir: join(workDir, "work") });
    this.serialization = serializationContext({ project: "local", domain: "local", version: "local", image: "local", typeContext: this.typeContext });
    this.semaphore = new Semaphore(Math.max(1, options.concurrency ?? availableParallelism()));
    this.cache = options.cacheDir === false ? undefined : new LocalCache(options.cacheDir ?? join(workDir, "cache"));
    this.mocks = new Map((options.mocks ?? []).map((m) => [m.name, m]));
  }

  private async runMock(mock: Mock, inputs: LiteralMap, path: string): Promise<LiteralMap> {
    this.emit({ phase: "running", path, entity: mock.name, attempt: 0 });
    const started = performance.now();
    const values = await fromLiteralMap(mock.inputs, inputs, this.typeContext);
    const outputs = viaWire(await toLiteralMap(mock.outputs, (await mock.run(values)) as never, this.typeContext));
    this.emit({ phase: "succeeded", path, entity: mock.name, attempt: 0, durationMs: performance.now() - started });
    return outputs;
  }

  private emit(event: NodeEvent): void {
    this.options.onEvent?.(event);
  }

  /** Runs any entity on literal inputs and returns its output literals. */
  async run(entity: AnyEntity, inputs: LiteralMap, path = ""): Promise<LiteralMap> {
    const mock = this.mocks.get(entity.name);
    if (mock) return this.runMock(mock, inputs, path);
    this.entities.set(entity.name, entity);
    switch (entityKind(entity)) {
      case "workflow":
        return this.runWorkflow(entity as WorkflowLike, inputs, path);
      case "dynamic":
        return this.runDynamic(entity as DynamicLike, inputs, path);
      case "map": {
        const map = entity as MapTaskLike;
        return this.runMap(map, inputs, path, { parallelism: map.concurrency, minSuccesses: map.minSuccesses, minSuccessRatio: map.minSuccessRatio, boundInputs: map.boundInputs });
      }
      case "launchPlan":
        return this.runLaunchPlan(entity as LaunchPlanLike, inputs, path);
      case "reference":
        throw new FlytekitError("UNKNOWN_ENTITY", `${entity.name} is a reference to an entity registered elsewhere; its code is not here, so mock it with mock(…) in the run's mocks`);
      default:
        return this.runTask(entity as TaskLike, inputs, path);
    }
  }

  /**
   * A map task as FlytePropeller runs an ArrayNode: the task once per index of the list inputs (bound
   * inputs passed whole), at most `parallelism` at a time; an index that fails leaves none in the
   * outputs when enough others succeed (min successes / min success ratio), else the node fails.
   */
  private async runMap(
    map: MapTaskLike,
    inputs: LiteralMap,
    path: string,
    options: { parallelism?: number | undefined; minSuccesses?: number | undefined; minSuccessRatio?: number | undefined; boundInputs: readonly string[] },
  ): Promise<LiteralMap> {
    const literals = inputs.literals ?? {};
    const bound = new Set(options.boundInputs);
    const mapped = Object.keys(literals).filter((k) => !bound.has(k));
    const length = mapped.length ? (literals[mapped[0] as string]?.collection?.literals?.length ?? 0) : 0;
    for (const name of mapped) {
      if ((literals[name]?.collection?.literals?.length ?? -1) !== length) {
        throw new FlytekitError("MAP_INPUTS", `map task ${map.name}: list input "${name}" does not have ${length} elements like "${mapped[0] ?? ""}"`);
      }
    }
    const limit = new Semaphore(Math.max(1, options.parallelism || length || 1));
    const results = await Promise.all(
      Array.from({ length }, (_, i) =>
        limit.run(async () => {
          const element: LiteralMap = { literals: Object.fromEntries(Object.entries(literals).map(([k, v]) => [k, bound.has(k) ? v : (v.collection?.literals?.[i] ?? {})])) };
          try {
            return await this.runTask(map.task, element, `${path}/${i}`);
          } catch (error) {
            return error instanceof Error ? error : new Error(String(error));
          }
        }),
      ),
    );
    const failures = results.filter((r): r is Error => r instanceof Error);
    const required = options.minSuccesses ?? Math.ceil((options.minSuccessRatio ?? 1) * length);
    if (length - failures.length < required) {
      throw new FlytekitError("MAP_FAILED", `map task ${map.name}: ${failures.length} of ${length} failed, ${required} must succeed (first: ${failures[0]?.message ?? ""})`);
    }
    const outputs: Record<string, flyteidl.core.Literal.$Properties> = {};
    for (const name of Object.keys(map.outputs)) {
      outputs[name] = { collection: { literals: results.map((r) => (r instanceof Error ? { scalar: { noneType: {} } } : (r.literals?.[name] ?? { scalar: { noneType: {} } }))) } };
    }
    return viaWire({ literals: outputs });
  }

  /** A launch plan runs its workflow with the call's inputs, its fixed inputs, and its defaults for the rest. */
  private async runLaunchPlan(lp: LaunchPlanLike, inputs: LiteralMap, path: string): Promise<LiteralMap> {
    const workflowInputs = lp.workflow.inputs;
    const literals: Record<string, flyteidl.core.Literal.$Properties> = { ...(inputs.literals ?? {}) };
    for (const [values, override] of [[lp.defaultInputs, false], [lp.fixedInputs, true]] as const) {
      for (const [name, value] of Object.entries(values)) {
        if (!override && literals[name]) continue;
        const descriptor = workflowInputs[name];
        if (descriptor) literals[name] = await descriptor.toLiteral(value, this.typeContext);
      }
    }
    return this.run(lp.workflow, viaWire({ literals }), path);
  }

  private async runWorkflow(wf: WorkflowLike, inputs: LiteralMap, path: string): Promise<LiteralMap> {
    const compiled = await new WorkflowCompiler(this.serialization).compile(wf);
    for (const t of compiled.tasks) this.entities.set(t.name, t);
    for (const sub of compiled.subWorkflows) {
      this.entities.set(sub.workflow.name, sub.workflow);
      this.templates.set(sub.workflow.name, sub.template);
    }
    for (const lp of compiled.launchPlans) this.entities.set(lp.name, lp);
    return this.runGraph(compiled.template.nodes ?? [], compiled.template.outputs ?? [], inputs, path);
  }

  private async runDynamic(task: DynamicLike, inputs: LiteralMap, path: string): Promise<LiteralMap> {
    const values = await fromLiteralMap(task.inputs, inputs, this.typeContext);
    const body = () => compileDynamic(task as never, values as never, this.serialization, { warn: () => undefined });
    const result = await runInTaskContext(this.contextOf(task, path, 0), values, body);
    if (result.kind === "outputs") return viaWire(result.outputs);
    // FlytePropeller compiles every futures.pb before running it; so does this executor, with its checks and errors.
    compileDynamicJobSpec(result.spec, typedInterface(task as AnyEntity), [], { parentTask: this.template(task) });
    for (const entity of result.entities) this.entities.set(entity.name, entity);
    for (const template of result.spec.subworkflows ?? []) this.templates.set(template.id?.name ?? "", template);
    // The children see no workflow inputs: the spec's interface has outputs only, as on a cluster.
    return this.runGraph(result.spec.nodes ?? [], result.spec.outputs ?? [], { literals: {} }, path);
  }

  private template(task: AnyTask): flyteidl.core.TaskTemplate.$Properties {
    let template = this.taskMetadata.get(task);
    if (!template) {
      template = taskTemplate(task, this.serialization);
      this.taskMetadata.set(task, template);
    }
    return template;
  }

  private contextOf(task: TaskLike | DynamicLike, path: string, attempt: number) {
    const { directory, id } = this.localRun;
    return localContextInit({ runDirectory: directory, runId: id, task, path, attempt, storage: this.typeContext.storage, rawOutputPrefix: this.typeContext.rawOutputPrefix });
  }

  private async runTask(task: TaskLike, inputs: LiteralMap, path: string, retries?: number, timeoutMs?: number): Promise<LiteralMap> {
    const metadata = this.template(task).metadata ?? {};
    const attempts = 1 + (retries ?? metadata.retries?.retries ?? 0);
    const timeout = timeoutMs ?? (metadata.timeout ? durationToMillis(metadata.timeout) : 0);
    const cacheKey =
      metadata.discoverable && this.cache
        ? await this.cache.key({
            name: task.name,
            version: metadata.discoveryVersion ?? "",
            interface: flyteidl.core.TypedInterface.encode(this.template(task).interface as flyteidl.core.TypedInterface).finish(),
            inputs,
            ignored: metadata.cacheIgnoreInputVars ?? [],
          })
        : undefined;
    if (cacheKey && this.cache) {
      const hit = await this.cache.get(cacheKey);
      if (hit) {
        this.emit({ phase: "cached", path, entity: task.name, attempt: 0 });
        return hit;
      }
    }
    for (let attempt = 0; ; attempt++) {
      const started = performance.now();
      this.emit({ phase: "running", path, entity: task.name, attempt });
      try {
        const outputs = await this.semaphore.run(async () => {
          const values = await fromLiteralMap(task.inputs, inputs, this.typeContext);
          const body = localTaskBody(task, values, this.typeContext, this.options.containerTasks);
          const returned = await withTimeout(runInTaskContext(this.contextOf(task, path, attempt), values, body, (r) => r as Record<string, unknown>), timeout, task.name);
          return viaWire(await toLiteralMap(task.outputs, returned as never, this.typeContext));
        });
        this.emit({ phase: "succeeded", path, entity: task.name, attempt, durationMs: performance.now() - started });
        if (cacheKey && this.cache) await this.cache.put(cacheKey, outputs);
        return outputs;
      } catch (error) {
        // As on Flyte: recoverable errors and timeouts are retried within the budget; other errors are final.
        const retryable = isRecoverableError(error) || error instanceof TaskTimeout;
        const message = error instanceof Error ? error.message : String(error);
        if (retryable && attempt + 1 < attempts) {
          this.emit({ phase: "retrying", path, entity: task.name, attempt, error: message });
          continue;
        }
        this.emit({ phase: "failed", path, entity: task.name, attempt, error: message });
        throw error;
      }
    }
  }

  /** Runs nodes as soon as everything they read from has finished; fails at the first failed node. */
  async runGraph(nodes: readonly Node[], outputs: readonly Binding[], inputs: LiteralMap, path: string): Promise<LiteralMap> {
    const results = new Map<string, LiteralMap>([["", inputs]]);
    const pending = new Map(nodes.map((n) => [n.id ?? "", n]));
    const dependencies = new Map(nodes.map((n) => [n.id ?? "", new Set([...nodeSources(n)].filter((id) => id !== ""))]));
    const running = new Map<string, Promise<void>>();
    while (pending.size || running.size) {
      for (const [id, node] of pending) {
        if ([...(dependencies.get(id) ?? [])].every((d) => results.has(d))) {
          pending.delete(id);
          const nodePath = path ? `${path}/${id}` : id;
          running.set(
            id,
            this.runNode(node, results, nodePath).then((out) => {
              results.set(id, out);
              running.delete(id);
            }),
          );
        }
      }
      if (!running.size) {
        throw new FlytekitError("GRAPH_STUCK", `nodes ${[...pending.keys()].join(", ")} wait for nodes that never run`);
      }
      await Promise.race(running.values());
    }
    return resolveBindings(outputs, results);
  }

  private async runNode(node: Node, results: NodeOutputs, path: string): Promise<LiteralMap> {
    const inputs = resolveBindings(node.inputs ?? [], results);
    const name = node.taskNode?.referenceId?.name ?? node.workflowNode?.subWorkflowRef?.name ?? node.workflowNode?.launchplanRef?.name ?? "";
    try {
      const mock = this.mocks.get(name);
      if (mock) return await this.runMock(mock, inputs, path);
      if (node.taskNode) {
        const entity = this.lookup(name);
        if (entityKind(entity) === "task") {
          const retries = node.metadata?.retries?.retries ?? undefined;
          const timeout = node.metadata?.timeout ? durationToMillis(node.metadata.timeout) : undefined;
          return await this.runTask(entity as TaskLike, inputs, path, retries ?? undefined, timeout);
        }
        return await this.run(entity, inputs, path);
      }
      if (node.branchNode) {
        const chosen = chooseBranch(node.branchNode, inputs);
        return chosen ? await this.runNode(chosen, results, `${path}/${chosen.id ?? ""}`) : { literals: {} };
      }
      if (node.gateNode) return await this.runGate(node, inputs, path);
      if (node.arrayNode) {
        const inner = node.arrayNode.node ?? {};
        const mapName = inner.taskNode?.referenceId?.name ?? "";
        const mock = this.mocks.get(mapName);
        if (mock) return await this.runMock(mock, inputs, path);
        const map = this.lookup(mapName);
        if (entityKind(map) !== "map") throw new FlytekitError("UNSUPPORTED_NODE", `array node ${node.id ?? ""} maps ${mapName}, which is not a map task`);
        const array = node.arrayNode;
        return await this.runMap(map as MapTaskLike, inputs, path, {
          parallelism: array.parallelism ?? undefined,
          minSuccesses: array.minSuccesses ?? undefined,
          minSuccessRatio: array.minSuccessRatio ?? undefined,
          boundInputs: array.boundInputs ?? [],
        });
      }
      if (node.workflowNode?.launchplanRef) return await this.run(this.lookup(name), inputs, path);
      if (node.workflowNode?.subWorkflowRef) {
        const template = this.templates.get(name);
        if (template) return await this.runGraph(template.nodes ?? [], template.outputs ?? [], inputs, path);
        return await this.run(this.lookup(name), inputs, path);
      }
      throw new FlytekitError("UNSUPPORTED_NODE", `node ${node.id ?? ""} is of a kind the local executor cannot run yet`);
    } catch (error) {
      throw error instanceof NodeFailure ? error : new NodeFailure(path, name, error);
    }
  }

  /** Sleep waits; approvals and signals take their values from `options.signals`. */
  private async runGate(node: Node, inputs: LiteralMap, path: string): Promise<LiteralMap> {
    const gate = node.gateNode ?? {};
    this.emit({ phase: "running", path, entity: "gate", attempt: 0 });
    if (gate.sleep) {
      await new Promise((resolve) => setTimeout(resolve, durationToMillis(gate.sleep?.duration ?? {})));
      return { literals: {} };
    }
    const id = gate.approve?.signalId ?? gate.signal?.signalId ?? "";
    const signals = this.options.signals ?? {};
    if (!Object.hasOwn(signals, id)) {
      throw new FlytekitError("GATE", `gate ${node.id ?? ""} waits for signal "${id}"; give its value in the run's signals to run it locally`);
    }
    if (gate.approve) {
      if (signals[id] !== true) throw new FlytekitError("GATE", `gate ${node.id ?? ""} was not approved (signal "${id}")`);
      return inputs;
    }
    const type = guessType(gate.signal?.type ?? {});
    const literal = await type.toLiteral(signals[id], this.typeContext);
    return { literals: { [gate.signal?.outputVariableName || "o0"]: literal } };
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

async function withTimeout<T>(work: T | Promise<T>, ms: number, entity: string): Promise<T> {
  if (!ms) return work;
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([Promise.resolve(work), new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new TaskTimeout(entity, ms)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
