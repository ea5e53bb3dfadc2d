import { flyteidl } from "@flytekit-ts/idl";
import { compileDynamic, entityKind, type AnyEntity, type DynamicLike, type TaskLike } from "@flytekit-ts/compiler";
import { formatIssue, fromLiteralMap, toLiteralMap, ValueTypeError, type LiteralMap, type TypeContext, type Storage } from "@flytekit-ts/types";
import type { ExecuteArgs } from "./args.js";
import { errorDocument, type FailureOrigin } from "./errors.js";
import { loadEntity } from "./load.js";
import { dynamicContext } from "./registration.js";
import { RoutingStorage, joinUri, writeWhole } from "./storage.js";
import { tmpdir } from "node:os";

export interface ExecuteOptions {
  env?: Readonly<Record<string, string | undefined>>;
  storage?: Storage;
  /** Where `module` paths are relative to (the container's working directory). */
  sourceRoot?: string;
  /** Receives the dynamic compiler's size warnings. */
  warn?: (message: string) => void;
}

/** Which of the three files the attempt left. */
export type ExecuteOutcome = { file: "outputs.pb" | "futures.pb" | "error.pb"; uri: string };

class Failure {
  constructor(readonly origin: FailureOrigin) {}
}

/** Runs `step`; whatever it throws is a failure of the given origin. */
async function as<T>(kind: FailureOrigin["kind"], step: () => Promise<T> | T): Promise<T> {
  try {
    return await step();
  } catch (error) {
    throw error instanceof Failure ? error : new Failure({ kind, error } as FailureOrigin);
  }
}

/**
 * `flyte-ts execute`: Flyte's container contract. Reads inputs.pb, runs the task (or a dynamic task's
 * body), and leaves exactly one of outputs.pb, futures.pb or error.pb in the output prefix, each
 * written whole. It never throws for a task failure: the failure is the error.pb.
 */
export async function execute(args: ExecuteArgs, options: ExecuteOptions = {}): Promise<ExecuteOutcome> {
  const env = options.env ?? process.env;
  const storage = options.storage ?? new RoutingStorage();
  const typeContext: TypeContext = { storage, rawOutputPrefix: args.rawOutputDataPrefix, workDir: `${tmpdir()}/flyte-ts/work` };
  const write = async (file: ExecuteOutcome["file"], bytes: Uint8Array | readonly Uint8Array[]): Promise<ExecuteOutcome> => {
    const uri = joinUri(args.outputPrefix, file);
    await writeWhole(storage, uri, bytes);
    return { file, uri };
  };

  try {
    const entity = await as("user", () => loadEntity(args.module, args.name, options.sourceRoot));
    if (entityKind(entity) === "workflow") {
      throw new Failure({ kind: "user", error: new Error(`${entity.name} is a workflow; only tasks and dynamic tasks run in a container`) });
    }
    // Reading and decoding inputs.pb fail as SYSTEM, retried; literals of the wrong type for good (as flytekit).
    const inputBytes = await as("system", () => storage.read(args.inputs));
    const inputMap = await as("system", () => flyteidl.core.LiteralMap.decode(inputBytes));
    const inputs = await as("conversion", () => fromLiteralMap((entity as TaskLike).inputs, inputMap, typeContext));

    if (entityKind(entity) === "dynamic") {
      const fast = args.dynamicAddlDistro ? { distribution: args.dynamicAddlDistro, destDir: args.dynamicDestDir ?? "." } : undefined;
      const ctx = dynamicContext(env, { entity, location: { module: args.module, name: args.name } }, typeContext, fast);
      const result = await as("user", () => compileDynamic(entity as DynamicLike as never, inputs as never, ctx, options.warn ? { warn: options.warn } : {}));
      // Written in the chunks it was encoded in: joining them first would double a large spec's memory.
      if (result.kind === "futures") return await as("system", () => write("futures.pb", result.chunks));
      return await writeOutputs(result.outputs, write);
    }

    const returned = await as("user", () => (entity as TaskLike & { run(i: unknown): unknown }).run(inputs));
    // A returned value that does not fit the outputs is SYSTEM, non-recoverable, as in flytekit.
    const outputs = await as("conversion", async () => {
      try {
        return await toLiteralMap((entity as AnyEntity).outputs, returned as never, typeContext);
      } catch (error) {
        if (!(error instanceof ValueTypeError)) throw error;
        const where = error.input === undefined ? "" : `output "${error.input}" `;
        throw new TypeError(`${entity.name} returned a value that does not fit its declared outputs: ${where}${error.issues.map((i) => formatIssue(i)).join("; ")}`, {
          cause: error,
        });
      }
    });
    return await writeOutputs(outputs, write);
  } catch (error) {
    const origin: FailureOrigin = error instanceof Failure ? error.origin : { kind: "system", error };
    return write("error.pb", flyteidl.core.ErrorDocument.encode(errorDocument(origin) as flyteidl.core.ErrorDocument).finish());
  }
}

async function writeOutputs(outputs: LiteralMap, write: (file: "outputs.pb", bytes: Uint8Array) => Promise<ExecuteOutcome>): Promise<ExecuteOutcome> {
  const bytes = await as("conversion", () => flyteidl.core.LiteralMap.encode(outputs as flyteidl.core.LiteralMap).finish());
  return as("system", () => write("outputs.pb", bytes));
}
