import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FlytekitError, flyteidl } from "@flytekit-ts/idl";
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
  let stage: FailureOrigin["kind"] = "system";
  try {
    const index = arrayIndex(env);
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
  const dir = await mkdtemp(join(tmpdir(), "flyte-ts-map-"));
  try {
    const inputs = join(dir, "inputs.pb");
    await writeFile(inputs, flyteidl.core.LiteralMap.encode(element as flyteidl.core.LiteralMap).finish());
    return await execute({ ...args, inputs }, { ...options, storage });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
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
