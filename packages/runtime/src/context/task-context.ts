import { mkdirSync, mkdtempSync } from "node:fs";
import { join } from "node:path";
import type { TaskLike } from "@flytekit-ts/compiler";
import type { Storage } from "@flytekit-ts/types";
import type { ExecuteArgs } from "../args.js";
import { joinUri, writeWhole } from "../storage.js";
import { Checkpoint, missingCheckpoint } from "./checkpoint.js";
import { runWithContext, type ExecutionId, type LogLevel, type TaskContext, type TaskId, type TaskLogger } from "./current.js";
import { DECK_FILE_NAME, Deck, renderDeckPage } from "./deck.js";
import { Secrets, secretsConfig } from "./secrets.js";

type Env = Readonly<Record<string, string | undefined>>;

/** Everything a task's context is made of; the entrypoint and the local executor each fill it in. */
export interface TaskContextInit {
  readonly task: Pick<TaskLike, "name" | "settings">;
  readonly executionId: ExecutionId;
  readonly taskId: TaskId;
  readonly nodeId: string | undefined;
  readonly attempt: number;
  readonly outputPrefix: string;
  readonly rawOutputPrefix: string;
  /** This attempt's checkpoint destination and the previous attempt's, when Flyte gave them. */
  readonly checkpointPath?: string | undefined;
  readonly prevCheckpoint?: string | undefined;
  readonly storage: Storage;
  readonly env: Env;
  /** Under which the attempt's working directory is created. */
  readonly workRoot: string;
  readonly isLocal: boolean;
  /** Where log lines go; default stderr. */
  readonly log?: (line: string) => void;
}

const LEVELS: readonly LogLevel[] = ["debug", "info", "warn", "error"];

function taskLogger(name: string, env: Env, sink: (line: string) => void): TaskLogger {
  const wanted = (env["FLYTE_TS_LOG_LEVEL"] ?? "info").toLowerCase();
  const threshold = Math.max(0, LEVELS.indexOf(wanted as LogLevel));
  const line = (level: LogLevel) => (message: string) => {
    if (LEVELS.indexOf(level) >= threshold) sink(`${new Date().toISOString()} ${level.toUpperCase()} [${name}] ${message}`);
  };
  return { debug: line("debug"), info: line("info"), warn: line("warn"), error: line("error") };
}

/** flytekit: decks are written only when the task enables them (`enable_deck=True`). */
function decksEnabled(settings: TaskLike["settings"]): boolean {
  if (settings.enableDeck !== undefined) return settings.enableDeck;
  if (settings.disableDeck !== undefined) return !settings.disableDeck;
  return false;
}

class RunningTask implements TaskContext {
  readonly executionId: ExecutionId;
  readonly taskId: TaskId;
  readonly nodeId: string | undefined;
  readonly attempt: number;
  readonly executionDate = new Date();
  readonly rawOutputPrefix: string;
  readonly outputPrefix: string;
  readonly logger: TaskLogger;
  readonly secrets: Secrets;
  readonly decksEnabled: boolean;
  readonly isLocal: boolean;
  private readonly named = new Map<string, Deck>();
  private readonly checkpointOrUndefined: Checkpoint | undefined;

  private createdDirectory: string | undefined;

  constructor(private readonly init: TaskContextInit) {
    this.executionId = init.executionId;
    this.taskId = init.taskId;
    this.nodeId = init.nodeId;
    this.attempt = init.attempt;
    this.rawOutputPrefix = init.rawOutputPrefix;
    this.outputPrefix = init.outputPrefix;
    this.isLocal = init.isLocal;
    this.logger = taskLogger(init.task.name, init.env, init.log ?? ((l) => process.stderr.write(`${l}\n`)));
    this.secrets = new Secrets(secretsConfig(init.env), init.env, init.task.settings.secretRequests ?? [], init.isLocal);
    this.decksEnabled = decksEnabled(init.task.settings);
    this.checkpointOrUndefined =
      init.checkpointPath === undefined ? undefined : new Checkpoint(init.storage, init.checkpointPath, init.prevCheckpoint, () => this.workingDirectory);
  }

  /** Made on first use: most tasks never ask, and a local run of a large dynamic would make thousands. */
  get workingDirectory(): string {
    if (this.createdDirectory === undefined) {
      mkdirSync(this.init.workRoot, { recursive: true });
      this.createdDirectory = mkdtempSync(join(this.init.workRoot, "task-"));
    }
    return this.createdDirectory;
  }

  get checkpoint(): Checkpoint {
    return this.checkpointOrUndefined ?? missingCheckpoint();
  }

  get defaultDeck(): Deck {
    return this.deck("Default");
  }

  deck(name: string): Deck {
    let deck = this.named.get(name);
    if (!deck) {
      deck = new Deck(name);
      this.named.set(name, deck);
    }
    return deck;
  }

  get decks(): readonly Deck[] {
    return [...this.named.values()];
  }
}

/**
 * Runs `body` (a task's or a dynamic's code) with its context installed, then, if the task enables
 * decks, writes `<output prefix>/deck.html` whether the body succeeded or not — where flytekit writes
 * it and where Flyte looks for it. The deck adds an "Input" tab (the input values) and, on success
 * when `outputs` says how, an "Output" tab. A deck that cannot be written is logged, never fails the task.
 */
export async function runInTaskContext<T>(
  init: TaskContextInit,
  inputs: Readonly<Record<string, unknown>>,
  body: () => T | Promise<T>,
  outputs?: (returned: T) => Readonly<Record<string, unknown>> | undefined,
): Promise<T> {
  const context = new RunningTask(init);
  let returned: { value: T } | undefined;
  try {
    returned = { value: await runWithContext(context, body) };
    return returned.value;
  } finally {
    if (context.decksEnabled) await writeDeck(context, init, inputs, returned && outputs ? outputs(returned.value) : undefined);
  }
}

async function writeDeck(context: RunningTask, init: TaskContextInit, inputs: Readonly<Record<string, unknown>>, outputs: Readonly<Record<string, unknown>> | undefined): Promise<void> {
  const uri = joinUri(init.outputPrefix, DECK_FILE_NAME);
  try {
    const valueRows = (values: Readonly<Record<string, unknown>>) => Object.entries(values).map(([name, value]) => ({ name, value }));
    const decks = [...context.decks];
    if (Object.keys(inputs).length > 0) decks.push(new Deck("Input").table(valueRows(inputs), { columns: ["name", "value"] }));
    if (outputs && Object.keys(outputs).length > 0) decks.push(new Deck("Output").table(valueRows(outputs), { columns: ["name", "value"] }));
    await writeWhole(init.storage, uri, new TextEncoder().encode(await renderDeckPage(decks)));
    context.logger.info(`wrote the deck to ${uri}`);
  } catch (error) {
    context.logger.error(`could not write the deck to ${uri}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** flytekit reads each `FLYTE_INTERNAL_*` name or its short alias; propeller sets the long names. */
const envValue = (env: Env, long: string, short: string): string => env[long] || env[short] || "";

/**
 * The node id in an attempt's output prefix, by propeller's storage layout: a top-level node's is
 * `<execution dir>/<node>/data/<attempt>`, a dynamic's or sub-workflow's child's
 * `<parent output dir>/<child>/<attempt>`. `undefined` when the prefix does not end in the attempt.
 */
export function nodeIdFromOutputPrefix(outputPrefix: string, attempt: number): string | undefined {
  const parts = outputPrefix.replace(/\/+$/, "").split("/");
  if (parts.length < 3 || parts[parts.length - 1] !== String(attempt)) return undefined;
  const candidate = parts[parts.length - 2] === "data" ? parts[parts.length - 3] : parts[parts.length - 2];
  return candidate === undefined || candidate === "" ? undefined : candidate;
}

/** The identity of a container attempt, from what propeller puts in the pod's environment. */
export function containerIdentity(env: Env, taskName: string, outputPrefix: string): Pick<TaskContextInit, "executionId" | "taskId" | "attempt" | "nodeId"> {
  const attemptText = env["FLYTE_ATTEMPT_NUMBER"];
  const attempt = attemptText !== undefined && /^\d+$/.test(attemptText) ? Number(attemptText) : 0;
  return {
    executionId: {
      project: envValue(env, "FLYTE_INTERNAL_EXECUTION_PROJECT", "_F_PRJ"),
      domain: envValue(env, "FLYTE_INTERNAL_EXECUTION_DOMAIN", "_F_DM"),
      name: envValue(env, "FLYTE_INTERNAL_EXECUTION_ID", "_F_NM"),
    },
    taskId: {
      project: envValue(env, "FLYTE_INTERNAL_TASK_PROJECT", "_F_TK_PRJ"),
      domain: envValue(env, "FLYTE_INTERNAL_TASK_DOMAIN", "_F_TK_DM"),
      name: envValue(env, "FLYTE_INTERNAL_TASK_NAME", "_F_TK_NM") || taskName,
      version: envValue(env, "FLYTE_INTERNAL_TASK_VERSION", "_F_TK_V"),
    },
    attempt,
    nodeId: nodeIdFromOutputPrefix(outputPrefix, attempt),
  };
}

/** The context of a task run by `flyte-ts execute`: its arguments and the pod's environment. */
export function containerContextInit(
  args: Pick<ExecuteArgs, "outputPrefix" | "rawOutputDataPrefix" | "checkpointPath" | "prevCheckpoint">,
  env: Env,
  task: Pick<TaskLike, "name" | "settings">,
  storage: Storage,
  workRoot: string,
): TaskContextInit {
  return {
    task,
    ...containerIdentity(env, task.name, args.outputPrefix),
    outputPrefix: args.outputPrefix,
    rawOutputPrefix: args.rawOutputDataPrefix,
    checkpointPath: args.checkpointPath,
    prevCheckpoint: args.prevCheckpoint,
    storage,
    env,
    workRoot,
    isLocal: false,
  };
}

/**
 * The context of a task in a local run: execution `local/local/<run id>`, the node's path as its id,
 * and per node and attempt an output prefix (where its deck goes) under `outputRoot` and a checkpoint
 * directory under the run's directory — the previous attempt's is the retry's `prevCheckpoint`, as on
 * a cluster.
 */
export function localContextInit(options: {
  runDirectory: string;
  /** Where node attempts' output prefixes (their decks) go. */
  outputRoot: string;
  runId: string;
  task: Pick<TaskLike, "name" | "settings">;
  path: string;
  attempt: number;
  storage: Storage;
  rawOutputPrefix: string;
}): TaskContextInit {
  const { runDirectory, path, attempt } = options;
  const nodeDirectory = path === "" ? "_root" : path;
  const checkpoint = (n: number) => join(runDirectory, "checkpoints", nodeDirectory, String(n));
  return {
    task: options.task,
    executionId: { project: "local", domain: "local", name: options.runId },
    taskId: { project: "local", domain: "local", name: options.task.name, version: "local" },
    nodeId: path === "" ? undefined : path,
    attempt,
    outputPrefix: join(options.outputRoot, nodeDirectory, String(attempt)),
    rawOutputPrefix: options.rawOutputPrefix,
    checkpointPath: checkpoint(attempt),
    prevCheckpoint: attempt > 0 ? checkpoint(attempt - 1) : undefined,
    storage: options.storage,
    env: process.env,
    workRoot: join(runDirectory, "work"),
    isLocal: true,
  };
}
