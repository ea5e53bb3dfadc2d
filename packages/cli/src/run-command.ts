import { isEntity, type AnyEntity } from "@flytekit-ts/compiler";
import { FlytekitError } from "@flytekit-ts/idl";
import { loadEntity, runLocally, type NodeEvent } from "@flytekit-ts/runtime";
import { describeValue, issuesOf, type TypeDescriptor } from "@flytekit-ts/types";
import { takeRunFlags } from "./run-options.js";

/**
 * Reads a command-line value for an input: JSON when it parses (numbers, booleans, lists, objects),
 * an ISO date for datetime inputs, otherwise the text itself; then checks it against the input's type.
 */
export function parseInputValue(name: string, text: string, type: TypeDescriptor<unknown>): unknown {
  let value: unknown = text;
  if (type.name === "datetime") value = new Date(text);
  else if (type.name === "int64") value = /^-?\d+$/.test(text) ? BigInt(text) : text;
  else if (type.name !== "str") {
    try {
      value = JSON.parse(text);
    } catch {
      value = text;
    }
  }
  const issues = issuesOf(type, value);
  if (issues.length) {
    throw new FlytekitError("USAGE", `--${name} ${JSON.stringify(text)}: expected ${type.name} (${issues[0]?.expected ?? ""}), got ${describeValue(value)}`);
  }
  return value;
}

/** `--a 5 --s hi` → inputs, each checked against the entity's declared inputs; defaults fill the rest. */
export function parseInputs(entity: AnyEntity, args: readonly string[]): Record<string, unknown> {
  const inputs: Record<string, unknown> = { ...((entity as { defaults?: Record<string, unknown> }).defaults ?? {}) };
  for (let i = 0; i < args.length; i += 2) {
    const flag = args[i] ?? "";
    const name = flag.replace(/^--/, "");
    const type = (entity.inputs as Record<string, TypeDescriptor<unknown>>)[name];
    if (!flag.startsWith("--") || !type || !Object.hasOwn(entity.inputs, name)) {
      throw new FlytekitError("USAGE", `unknown input ${flag}; ${entity.name} takes ${Object.keys(entity.inputs).map((n) => `--${n}`).join(", ") || "no inputs"}`);
    }
    const text = args[i + 1];
    if (text === undefined) throw new FlytekitError("USAGE", `${flag} needs a value`);
    inputs[name] = parseInputValue(name, text, type);
  }
  const missing = Object.keys(entity.inputs).filter((n) => !Object.hasOwn(inputs, n));
  if (missing.length) throw new FlytekitError("USAGE", `missing input${missing.length > 1 ? "s" : ""} ${missing.map((n) => `--${n}`).join(", ")} for ${entity.name}`);
  return inputs;
}

/** JSON for printing outputs: dates as ISO strings, bigints as numbers' text, bytes as base64. */
export function outputsJson(outputs: Record<string, unknown>): string {
  return JSON.stringify(
    outputs,
    (_, v: unknown) => (typeof v === "bigint" ? v.toString() : v instanceof Uint8Array ? Buffer.from(v).toString("base64") : v),
    2,
  );
}

const SYMBOL: Record<NodeEvent["phase"], string> = { running: "…", succeeded: "✓", failed: "✗", retrying: "↻", cached: "⚡" };

export function formatEvent(event: NodeEvent): string | undefined {
  if (event.phase === "running") return undefined;
  const duration = event.durationMs === undefined ? "" : ` ${event.durationMs.toFixed(0)} ms`;
  const extra = event.error ? `: ${event.error}` : event.phase === "cached" ? " (from cache)" : "";
  return `  ${SYMBOL[event.phase]} ${event.path || "(task)"} ${event.entity}${duration}${extra}`;
}

export async function runCommand(module: string, exportName: string, inputArgs: readonly string[], io: { out: (l: string) => void; err: (l: string) => void }, quiet = false): Promise<void> {
  const entity = await loadEntity(module, exportName);
  if (!isEntity(entity)) throw new FlytekitError("USAGE", `${exportName} is not an entity`);
  const { flags, rest } = takeRunFlags(inputArgs);
  const inputs = parseInputs(entity, rest);
  const outputs = await runLocally(entity as never, inputs as never, {
    ...flags,
    onWarning: (message) => io.err(`warning: ${message}`),
    onEvent: (event) => {
      const line = quiet ? undefined : formatEvent(event);
      if (line) io.err(line);
    },
  });
  io.out(outputsJson(outputs as Record<string, unknown>));
}
