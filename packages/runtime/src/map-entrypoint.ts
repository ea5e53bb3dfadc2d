import { FlytekitError, flyteidl } from "@flytekit-ts/idl";
import type { Storage } from "@flytekit-ts/types";
import { parseExecuteArgs, UsageError } from "./args.js";
import { execute, type ExecuteOptions, type ExecuteOutcome } from "./entrypoint.js";
import { errorDocument, type FailureOrigin } from "./errors.js";
import { RoutingStorage, joinUri, writeWhole } from "./storage.js";

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The array index of this sub-task, as flytekit computes it: the value of the variable named by
 * `BATCH_JOB_ARRAY_INDEX_VAR_NAME` (FlytePropeller sets `FLYTE_K8S_ARRAY_INDEX`) plus
 * `BATCH_JOB_ARRAY_INDEX_OFFSET`.
 */
export function arrayIndex(env: Env): number {
  const variable = env["BATCH_JOB_ARRAY_INDEX_VAR_NAME"] || "FLYTE_K8S_ARRAY_INDEX";
  const raw = env[variable];
  const index = Number(raw) + Number(env["BATCH_JOB_ARRAY_INDEX_OFFSET"] ?? 0);
  if (raw === undefined || !Number.isInteger(index) || index < 0) {
    throw new FlytekitError("ARRAY_INDEX", `no array index: ${variable} is ${raw === undefined ? "not set" : `"${raw}"`}`);
  }
  return index;
}

/** `… -- vars <bound inputs, comma-separated> module <m> name <n>`: the bound inputs and the plain execute args. */
export function parseMapArgs(argv: readonly string[]): { bound: string[]; args: ReturnType<typeof parseExecuteArgs> } {
  const separator = argv.indexOf("--");
  if (separator < 0) throw new UsageError('missing "--" before the loader arguments');
  const loader = [...argv.slice(separator + 1)];
  const at = loader.indexOf("vars");
  const csv = at >= 0 ? (loader[at + 1] ?? "") : "";
  if (at >= 0) loader.splice(at, 2);
  const bound = csv === '""' ? [] : csv.split(",").filter(Boolean);
  return { bound, args: parseExecuteArgs([...argv.slice(0, separator), "--", ...loader]) };
}

/**
 * `flyte-ts execute-map`: one index of a map task. `{{.input}}` holds the array node's lists; this takes
 * element `i` of every input that is not bound (bound inputs go whole), runs the mapped task exactly as
 * `flyte-ts execute` would, and leaves its single-index outputs.pb (or error.pb) for FlytePropeller to
 * gather into lists.
 */
export async function executeMap(argv: readonly string[], options: ExecuteOptions = {}): Promise<ExecuteOutcome> {
  const { bound, args } = parseMapArgs(argv);
  const env = options.env ?? process.env;
  const storage = options.storage ?? new RoutingStorage();
  let element: flyteidl.core.LiteralMap.$Properties;
  let index = -1;
  let stage: FailureOrigin["kind"] = "system";
  try {
    index = arrayIndex(env);
    // Reading and decoding the lists fail as SYSTEM, retried, as in `execute` (and flytekit); lists that
    // do not hold this index never get better.
    const lists = decodeLists(await storage.read(args.inputs), args.inputs);
    stage = "conversion";
    element = elementOf(lists, args.inputs, bound, index);
  } catch (error) {
    // Without its element the sub-task cannot run: reported like any failure of `execute`.
    const uri = joinUri(args.outputPrefix, "error.pb");
    await writeWhole(storage, uri, flyteidl.core.ErrorDocument.encode(errorDocument({ kind: stage, error }) as flyteidl.core.ErrorDocument).finish());
    return { file: "error.pb", uri };
  }
  // The element is served to execute under a name of its own (no temporary file): errors name the lists' file and the index.
  const inputs = `${args.inputs} (element ${index})`;
  const bytes = flyteidl.core.LiteralMap.encode(element as flyteidl.core.LiteralMap).finish();
  return execute({ ...args, inputs }, { ...options, storage: serving(storage, inputs, bytes) });
}

/** `storage`, except that reading `uri` gives `bytes`. */
function serving(storage: Storage, uri: string, bytes: Uint8Array): Storage {
  return {
    handles: (u) => u === uri || storage.handles(u),
    read: (u) => (u === uri ? Promise.resolve(bytes) : storage.read(u)),
    write: (u, data) => storage.write(u, data),
    upload: (local, u) => storage.upload(local, u),
    download: (u, local) => storage.download(u, local),
    list: (prefix) => storage.list(prefix),
  };
}

/** Element `index` of every list input, bound inputs whole; errors name the inputs file. */
function decodeLists(bytes: Uint8Array, uri: string): flyteidl.core.LiteralMap {
  try {
    return flyteidl.core.LiteralMap.decode(bytes);
  } catch (error) {
    throw new FlytekitError("ARRAY_INPUTS", `${uri} is not a LiteralMap (corrupt or cut short): ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

function elementOf(lists: flyteidl.core.LiteralMap, uri: string, bound: readonly string[], index: number): flyteidl.core.LiteralMap.$Properties {
  const literals: Record<string, flyteidl.core.Literal.$Properties> = {};
  for (const [name, literal] of Object.entries(lists.literals)) {
    if (bound.includes(name)) {
      literals[name] = literal;
      continue;
    }
    const items = literal.collection?.literals;
    if (!items) throw new FlytekitError("ARRAY_INPUTS", `${uri}: map input "${name}" is not a list`);
    const item = items[index];
    if (!item) throw new FlytekitError("ARRAY_INPUTS", `${uri}: map input "${name}" has ${items.length} elements; there is no index ${index}`);
    literals[name] = item;
  }
  return { literals };
}
