import { durationToMillis, flyteidl } from "@flytekit-ts/idl";
import { taskTemplate, type AnyTask, type SerializationContext, type TaskLike } from "@flytekit-ts/compiler";
import { fromLiteralMap, toLiteralMap, type LiteralMap, type TypeContext } from "@flytekit-ts/types";
import { taskOutputs } from "../outputs.js";
import { isRecoverableError, TaskTimeoutError } from "../errors.js";
import { runInTaskContext, type TaskContextInit } from "../context/task-context.js";
import { localTaskBody, type LocalContainerTasks } from "../container/run-command.js";
import type { LocalCache } from "./cache.js";
import type { Limiter } from "./limiter.js";
import type { Mock } from "./mocks.js";
import type { NodeEvent } from "./options.js";

type TaskTemplate = flyteidl.core.TaskTemplate.$Properties;

/** Literals travel as bytes between nodes, exactly as on a cluster: whatever a task reads was decoded. */
export const viaWire = (map: LiteralMap): LiteralMap => flyteidl.core.LiteralMap.decode(flyteidl.core.LiteralMap.encode(map as flyteidl.core.LiteralMap).finish());

export interface TaskRunnerSettings {
  readonly typeContext: TypeContext;
  readonly serialization: SerializationContext;
  readonly cache: LocalCache | undefined;
  readonly overwriteCache: boolean;
  readonly emit: (event: NodeEvent) => void;
  readonly warn: (message: string) => void;
  /** What `currentContext()` gives a task's attempt at a path. */
  readonly contextOf: (task: TaskLike, path: string, attempt: number) => TaskContextInit;
  readonly containerTasks: LocalContainerTasks | undefined;
}

/** Runs single tasks (and mocks) as Flyte's task handler does: cache lookup, retries, timeout, cache write. */
export class TaskRunner {
  private readonly templates = new Map<AnyTask, TaskTemplate>();

  constructor(private readonly settings: TaskRunnerSettings) {}

  /** The task's template as a cluster would get it (computed once per task). */
  template(task: AnyTask): TaskTemplate {
    let template = this.templates.get(task);
    if (!template) {
      template = taskTemplate(task, this.settings.serialization);
      this.templates.set(task, template);
    }
    return template;
  }

  /** `retries` and `timeoutMs` are a node's overrides of the task's own. */
  async run(task: TaskLike, inputs: LiteralMap, path: string, limiter: Limiter, retries?: number, timeoutMs?: number): Promise<LiteralMap> {
    const { emit, typeContext } = this.settings;
    const metadata = this.template(task).metadata ?? {};
    const attempts = 1 + (retries ?? metadata.retries?.retries ?? 0);
    const timeout = timeoutMs ?? (metadata.timeout ? durationToMillis(metadata.timeout) : 0);
    const cacheKey = metadata.discoverable ? await this.cacheKey(task, metadata, inputs) : undefined;
    if (cacheKey && !this.settings.overwriteCache) {
      const hit = await this.settings.cache?.get(cacheKey);
      if (hit) {
        emit({ phase: "cached", path, entity: task.name, attempt: 0 });
        return hit;
      }
    }
    for (let attempt = 0; ; attempt++) {
      // Events are sent while the slot is held, so that they show what really ran at once.
      const outputs = await limiter.run(async () => {
        const started = performance.now();
        emit({ phase: "running", path, entity: task.name, attempt });
        try {
          const values = await fromLiteralMap(task.inputs, inputs, typeContext);
          const body = localTaskBody(task, values, typeContext, this.settings.containerTasks);
          const context = this.settings.contextOf(task, path, attempt);
          const returned = await withTimeout(runInTaskContext(context, values, body, (r) => r as Record<string, unknown>), timeout, task.name);
          const literals = viaWire(await taskOutputs(task, returned, typeContext));
          emit({ phase: "succeeded", path, entity: task.name, attempt, durationMs: performance.now() - started });
          return literals;
        } catch (error) {
          // As on Flyte: recoverable errors and timeouts are retried within the budget; other errors are final.
          const retryable = isRecoverableError(error) || error instanceof TaskTimeoutError;
          const message = error instanceof Error ? error.message : String(error);
          if (retryable && attempt + 1 < attempts) {
            emit({ phase: "retrying", path, entity: task.name, attempt, error: message });
            return undefined;
          }
          emit({ phase: "failed", path, entity: task.name, attempt, error: message });
          throw error;
        }
      });
      if (!outputs) continue;
      if (cacheKey) await this.cachePut(cacheKey, outputs, task.name, path);
      return outputs;
    }
  }

  async runMock(mock: Mock, inputs: LiteralMap, path: string, limiter: Limiter): Promise<LiteralMap> {
    const { emit, typeContext } = this.settings;
    return limiter.run(async () => {
      emit({ phase: "running", path, entity: mock.name, attempt: 0 });
      const started = performance.now();
      const values = await fromLiteralMap(mock.inputs, inputs, typeContext);
      const outputs = viaWire(await toLiteralMap(mock.outputs, (await mock.run(values)) as never, typeContext));
      emit({ phase: "succeeded", path, entity: mock.name, attempt: 0, durationMs: performance.now() - started });
      return outputs;
    });
  }

  private async cacheKey(task: TaskLike, metadata: flyteidl.core.TaskMetadata.$Properties, inputs: LiteralMap): Promise<string | undefined> {
    return this.settings.cache?.key({
      name: task.name,
      version: metadata.discoveryVersion ?? "",
      interface: flyteidl.core.TypedInterface.encode(this.template(task).interface as flyteidl.core.TypedInterface).finish(),
      inputs,
      ignored: metadata.cacheIgnoreInputVars ?? [],
    });
  }

  /** As FlytePropeller ignores a failed catalog write, a cache entry that cannot be written is only a warning. */
  private async cachePut(key: string, outputs: LiteralMap, entity: string, path: string): Promise<void> {
    const cache = this.settings.cache;
    if (!cache) return;
    try {
      await cache.put(key, outputs);
    } catch (error) {
      this.settings.warn(`node ${path || "(task)"} (${entity}): could not write its outputs to the local cache in ${cache.dir}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

async function withTimeout<T>(work: T | Promise<T>, ms: number, entity: string): Promise<T> {
  if (!ms) return work;
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([Promise.resolve(work), new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new TaskTimeoutError(entity, ms)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
