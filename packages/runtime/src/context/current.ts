import { AsyncLocalStorage } from "node:async_hooks";
import { FlytekitError } from "@flytekit-ts/idl";
import type { Checkpoint } from "./checkpoint.js";
import type { Deck } from "./deck.js";
import type { Secrets } from "./secrets.js";

/** The execution a task runs in (flyteidl's `WorkflowExecutionIdentifier`). */
export interface ExecutionId {
  readonly project: string;
  readonly domain: string;
  readonly name: string;
}

/** The task being run, as registered. */
export interface TaskId {
  readonly project: string;
  readonly domain: string;
  readonly name: string;
  readonly version: string;
}

/** The levels of `TaskLogger`, lowest first. */
export type LogLevel = "debug" | "info" | "warn" | "error";

/** Lines for the task's log (stderr, which Flyte shows as the task's logs). */
export interface TaskLogger {
  /** Detail for debugging, shown only with `FLYTE_TS_LOG_LEVEL=debug` (the default level is `info`). */
  debug(message: string): void;
  /** What the task is doing. */
  info(message: string): void;
  /** Something the task worked around. */
  warn(message: string): void;
  /** Something that went wrong. */
  error(message: string): void;
}

/**
 * What a running task can know about its execution: flytekit's `current_context()`.
 * Available inside task and dynamic bodies, in a container (`flyte-ts execute`) and in local runs.
 */
export interface TaskContext {
  /** The workflow execution (project, domain, name); `local/local/<run id>` in local runs. */
  readonly executionId: ExecutionId;
  /** The task's registered id. */
  readonly taskId: TaskId;
  /**
   * The node running this task: in local runs its path (`n0`, `n1/dn3`); in a container, derived from
   * the output prefix Flyte gives the attempt (`…/<node>/data/<attempt>`), `undefined` when it cannot be.
   */
  readonly nodeId: string | undefined;
  /** The attempt, 0 for the first run and one more for each retry (`FLYTE_ATTEMPT_NUMBER`). */
  readonly attempt: number;
  /** When this attempt started. */
  readonly executionDate: Date;
  /** A fresh local directory of this attempt's own, for any scratch files (created when first read). */
  readonly workingDirectory: string;
  /** Where offloaded data (files, directories) goes: `--raw-output-data-prefix`. */
  readonly rawOutputPrefix: string;
  /** Where the attempt's outputs.pb / error.pb / deck.html go: `--output-prefix`. */
  readonly outputPrefix: string;
  readonly logger: TaskLogger;
  /** Intra-task checkpoints: the previous attempt's and this attempt's. */
  readonly checkpoint: Checkpoint;
  /** The task's secrets, read as flytekit reads them. */
  readonly secrets: Secrets;
  /** Whether this task's deck is written (the task's `enableDeck`). */
  readonly decksEnabled: boolean;
  /** The deck named "Default", where content goes unless another deck is named. */
  readonly defaultDeck: Deck;
  /** The deck of this name, created on first use (a tab of the task's deck page). */
  deck(name: string): Deck;
  /** Every deck, in the order created. */
  readonly decks: readonly Deck[];
  /** Whether this is a local run rather than a Flyte execution. */
  readonly isLocal: boolean;
}

// One store per process even if two copies of this module are loaded (a bundle and the runtime).
const STORE_KEY = Symbol.for("flytekit-ts.task-context");
const store: AsyncLocalStorage<TaskContext> = ((globalThis as Record<symbol, unknown>)[STORE_KEY] ??= new AsyncLocalStorage<TaskContext>()) as AsyncLocalStorage<TaskContext>;

/**
 * The running task's context (flytekit's `current_context()`).
 *
 * ```ts
 * const t1 = task({ name: "my.t1", secretRequests: [{ group: "db", key: "password" }] }, async () => {
 *   const ctx = currentContext();
 *   ctx.logger.info(`attempt ${ctx.attempt} of ${ctx.executionId.name}`);
 *   const password = ctx.secrets.get("db", "password");
 *   return {};
 * });
 * ```
 *
 * Throws when no task is running (at module load, in a workflow body, in a test calling `run` directly).
 */
export function currentContext(): TaskContext {
  const context = store.getStore();
  if (!context) {
    throw new FlytekitError(
      "NO_TASK_CONTEXT",
      "currentContext() is only available while a task or dynamic body runs (under flyte-ts execute or a local run), not at module load or in a workflow body",
    );
  }
  return context;
}

/** Runs `fn` with `context` as the current context (for everything it awaits, too). */
export function runWithContext<T>(context: TaskContext, fn: () => T): T {
  return store.run(context, fn);
}
