import { tmpdir } from "node:os";
import { FlytekitError, durationToMillis, flyteidl } from "@flytekit-ts/idl";
import { REGISTRATION_CONTEXT_ENV, compileDynamic, decodeRegistrationContext, entityKind, serializationContext, taskTemplate, type AnyEntity, type AnyTask, type DynamicLike, type TaskLike } from "@flytekit-ts/compiler";
import { fromLiteralMap, type LiteralMap, type TypeContext, type Storage } from "@flytekit-ts/types";
import type { ExecuteArgs } from "./args.js";
import { errorDocument, TaskTimeoutError, type FailureOrigin } from "./errors.js";
import { ProcessFault, processWatch } from "./guard.js";
import { loadEntity, nameFromLocations } from "./load.js";
import { taskOutputs } from "./outputs.js";
import { dynamicContext } from "./registration.js";
import { RoutingStorage, joinUri, writeWhole } from "./storage.js";
import { containerContextInit, runInTaskContext } from "./context/task-context.js";

/**
 * What `execute` runs a task with besides its arguments: the environment (Flyte's variables), storage,
 * the source root and where warnings and process faults go. The defaults are a pod's.
 */
export interface ExecuteOptions {
  env?: Readonly<Record<string, string | undefined>>;
  storage?: Storage;
  /** Where `module` paths are relative to (the container's working directory). */
  sourceRoot?: string;
  /** Receives the dynamic compiler's size warnings. */
  warn?: (message: string) => void;
  /**
   * Rejects when the process sees a fault no promise reported (see `watchProcess`); the task fails with
   * it. Default: the process watch, when one is installed (`flyte-ts execute` installs it).
   */
  faults?: Promise<never>;
}

/** Which of the three files the attempt left. */
export type ExecuteOutcome = { file: "outputs.pb" | "futures.pb" | "error.pb"; uri: string };

class Failure {
  constructor(readonly origin: FailureOrigin) {}
}

/**
 * `flyte-ts execute`: Flyte's container contract. Reads inputs.pb, runs the task (or a dynamic task's
 * body), and leaves exactly one of outputs.pb, futures.pb or error.pb in the output prefix, each
 * written whole. It never throws for a task failure: the failure is the error.pb. The task's own steps
 * race its timeout and the process's faults, so that a task that hangs, never settles or fails outside
 * its promise still ends with error.pb.
 */
export async function execute(args: ExecuteArgs, options: ExecuteOptions = {}): Promise<ExecuteOutcome> {
  const env = options.env ?? process.env;
  const storage = options.storage ?? new RoutingStorage();
  const typeContext: TypeContext = { storage, rawOutputPrefix: args.rawOutputDataPrefix, workDir: `${tmpdir()}/flyte-ts/work` };
  const write = async (file: ExecuteOutcome["file"], bytes: Uint8Array): Promise<ExecuteOutcome> => {
    const uri = joinUri(args.outputPrefix, file);
    await writeWhole(storage, uri, bytes);
    return { file, uri };
  };
  const stops: Promise<never>[] = [];
  const faults = options.faults ?? processWatch()?.faults;
  if (faults) stops.push(faults);
  /** Runs a step of the attempt; what it throws is a failure of the given origin, a fault or timeout the user's. */
  const as = async <T>(kind: FailureOrigin["kind"], step: () => Promise<T> | T): Promise<T> => {
    try {
      return await (stops.length ? Promise.race([Promise.resolve().then(step), ...stops]) : step());
    } catch (error) {
      if (error instanceof Failure) throw error;
      const fault = error instanceof ProcessFault || error instanceof TaskTimeoutError;
      throw new Failure({ kind: fault ? "user" : kind, error } as FailureOrigin);
    }
  };

  let deadline: NodeJS.Timeout | undefined;
  try {
    const entity = await as("user", async () => {
      // A dynamic's registration context names what it may call, before any module names them by default.
      const registered = env[REGISTRATION_CONTEXT_ENV];
      const locations = registered ? decodeRegistrationContext(registered).locations : undefined;
      if (locations) await nameFromLocations(locations, options.sourceRoot);
      return loadEntity(args.module, args.name, options.sourceRoot);
    });
    if (entityKind(entity) === "workflow") {
      throw new Failure({ kind: "user", error: new Error(`${entity.name} is a workflow; only tasks and dynamic tasks run in a container`) });
    }
    const timeout = timeoutMillis(entity as AnyTask, typeContext);
    if (timeout) {
      stops.push(
        new Promise<never>((_, reject) => {
          // Unref'd: a deadline alone must not keep the process alive, or a task that can never settle would wait for it.
          deadline = setTimeout(() => reject(new TaskTimeoutError(entity.name, timeout)), timeout).unref();
        }),
      );
      stops.at(-1)?.catch(() => undefined);
    }
    // Reading and decoding inputs.pb fail as SYSTEM, retried (as flytekit); literals of the wrong type for good.
    const inputBytes = await as("system", () => storage.read(args.inputs));
    const inputMap = await as("system", () => decodeInputs(args.inputs, inputBytes));
    const inputs = await as("conversion", () => readInputs(entity as TaskLike, inputMap, args.inputs, typeContext));
    // What currentContext() returns inside the body; also writes the task's deck when it enables one.
    const taskContext = containerContextInit(args, env, entity as TaskLike, storage, typeContext.workDir);

    if (entityKind(entity) === "dynamic") {
      const fast = args.dynamicAddlDistro ? { distribution: args.dynamicAddlDistro, destDir: args.dynamicDestDir ?? "." } : undefined;
      const ctx = dynamicContext(env, { entity, location: { module: args.module, name: args.name } }, typeContext, fast);
      const result = await as("user", () => runInTaskContext(taskContext, inputs, () => compileDynamic(entity as DynamicLike as never, inputs as never, ctx, options.warn ? { warn: options.warn } : {})));
      clearTimeout(deadline);
      if (result.kind === "futures") return await write("futures.pb", result.bytes).catch(asSystem);
      return await writeOutputs(result.outputs, write);
    }

    const returned = await as("user", () => runInTaskContext(taskContext, inputs, () => (entity as TaskLike & { run(i: unknown): unknown }).run(inputs), (r) => r as Record<string, unknown>));
    // A returned value that does not fit the outputs is SYSTEM, non-recoverable, as in flytekit.
    const outputs = await as("conversion", () => taskOutputs(entity as AnyEntity, returned, typeContext));
    clearTimeout(deadline);
    return await writeOutputs(outputs, write);
  } catch (error) {
    clearTimeout(deadline);
    const origin: FailureOrigin = error instanceof Failure ? error.origin : { kind: "system", error };
    return write("error.pb", flyteidl.core.ErrorDocument.encode(errorDocument(origin) as flyteidl.core.ErrorDocument).finish());
  }
}

const asSystem = (error: unknown): never => {
  throw new Failure({ kind: "system", error });
};

/** The result file is written outside the race: once writing starts, nothing else may write a second file. */
async function writeOutputs(outputs: LiteralMap, write: (file: "outputs.pb", bytes: Uint8Array) => Promise<ExecuteOutcome>): Promise<ExecuteOutcome> {
  let bytes: Uint8Array;
  try {
    bytes = flyteidl.core.LiteralMap.encode(outputs as flyteidl.core.LiteralMap).finish();
  } catch (error) {
    throw new Failure({ kind: "conversion", error });
  }
  return write("outputs.pb", bytes).catch(asSystem);
}

function decodeInputs(uri: string, bytes: Uint8Array): LiteralMap {
  try {
    return flyteidl.core.LiteralMap.decode(bytes);
  } catch (error) {
    throw new FlytekitError("INPUTS", `${uri} is not a LiteralMap (corrupt or cut short): ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

async function readInputs(task: TaskLike, map: LiteralMap, uri: string, ctx: TypeContext): Promise<Readonly<Record<string, unknown>>> {
  try {
    return await fromLiteralMap(task.inputs, map, ctx);
  } catch (error) {
    throw new FlytekitError("INPUTS", `${uri} does not hold ${task.name}'s inputs: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/** The task's own timeout (Flyte enforces it too, from outside; inside, the attempt ends with error.pb). */
function timeoutMillis(task: AnyTask, typeContext: TypeContext): number {
  // Most tasks have none: only those that do pay for building their template (only its metadata is read, so any image will do).
  if ((task as { settings?: { timeout?: unknown } }).settings?.timeout === undefined) return 0;
  const metadata = taskTemplate(task, serializationContext({ image: "local", typeContext })).metadata;
  return metadata?.timeout ? durationToMillis(metadata.timeout) : 0;
}
