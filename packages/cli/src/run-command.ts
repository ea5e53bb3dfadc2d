import { dirname, relative, resolve } from "node:path";
import type { AnyEntity } from "@flytekit-ts/compiler";
import { FlytekitError } from "@flytekit-ts/idl";
import { runLocally, type NodeEvent } from "@flytekit-ts/runtime";
import { compileModules } from "./compile-modules.js";
import { entityHelp } from "./entity-help.js";
import { parseInputs } from "./input-args.js";
import { takeRunFlags } from "./run-options.js";
import { hint } from "./suggest.js";

export { parseInputValue, parseInputs } from "./input-args.js";

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

/** The image a local run compiles with: nothing runs in it, but packaging's checks need one. */
const LOCAL_IMAGE = "flyte-ts-run.local/unused:latest";

/**
 * Compiles the module exactly as `flyte-ts package` does (same entities, same FlytePropeller checks),
 * then picks the export to run: what packaging would refuse fails here too.
 */
export async function loadRunnable(module: string, exportName: string): Promise<AnyEntity> {
  const path = resolve(module);
  // The same source root `package` defaults to (the working directory), so default names are the same.
  const cwd = process.cwd();
  const sourceRoot = relative(cwd, path).startsWith("..") ? dirname(path) : cwd;
  const { found } = await compileModules([path], { image: LOCAL_IMAGE, sourceRoot });
  const entity = found.find((f) => f.location.name === exportName)?.entity;
  if (!entity) {
    const exports = found.map((f) => f.location.name).sort();
    throw new FlytekitError("USAGE", `${module} exports no task, workflow or dynamic workflow named "${exportName}"${hint(exportName, exports)}; it exports ${exports.join(", ")}`);
  }
  return entity;
}

/**
 * `flyte-ts run <module> <export> --input value …`: runs the entity on this machine through the local
 * executor and prints its outputs as JSON (with each node's progress on `io.err` unless `quiet`).
 */
export async function runCommand(module: string, exportName: string, inputArgs: readonly string[], io: { out: (l: string) => void; err: (l: string) => void }, quiet = false): Promise<void> {
  const entity = await loadRunnable(module, exportName);
  const { flags, rest } = takeRunFlags(inputArgs);
  if (rest.includes("--help") || rest.includes("-h")) {
    for (const line of entityHelp(module, exportName, entity)) io.out(line);
    return;
  }
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
