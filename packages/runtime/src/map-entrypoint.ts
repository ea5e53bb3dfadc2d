import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FlytekitError, flyteidl } from "@flytekit-ts/idl";
import { parseExecuteArgs, UsageError } from "./args.js";
import { execute, type ExecuteOptions, type ExecuteOutcome } from "./entrypoint.js";
import { errorDocument } from "./errors.js";
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
  try {
    const index = arrayIndex(env);
    const lists = flyteidl.core.LiteralMap.decode(await storage.read(args.inputs));
    const literals: Record<string, flyteidl.core.Literal.$Properties> = {};
    for (const [name, literal] of Object.entries(lists.literals)) {
      if (bound.includes(name)) {
        literals[name] = literal;
        continue;
      }
      const items = literal.collection?.literals;
      if (!items) throw new FlytekitError("ARRAY_INPUTS", `map input "${name}" is not a list`);
      const item = items[index];
      if (!item) throw new FlytekitError("ARRAY_INPUTS", `map input "${name}" has ${items.length} elements; there is no index ${index}`);
      literals[name] = item;
    }
    element = { literals };
  } catch (error) {
    // Without its element the sub-task cannot run: a system failure, reported like any other.
    const uri = joinUri(args.outputPrefix, "error.pb");
    await writeWhole(storage, uri, flyteidl.core.ErrorDocument.encode(errorDocument({ kind: "system", error }) as flyteidl.core.ErrorDocument).finish());
    return { file: "error.pb", uri };
  }
  const dir = await mkdtemp(join(tmpdir(), "flyte-ts-map-"));
  const inputs = join(dir, "inputs.pb");
  await writeFile(inputs, flyteidl.core.LiteralMap.encode(element as flyteidl.core.LiteralMap).finish());
  return execute({ ...args, inputs }, { ...options, storage });
}
