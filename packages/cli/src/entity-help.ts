import { entityKind, type AnyEntity } from "@flytekit-ts/compiler";
import type { TypeDescriptor } from "@flytekit-ts/types";

/** A value as the command line would take it back (JSON; dates as ISO text, bigints as digits). */
function asArgument(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  return JSON.stringify(value, (_, v: unknown) => (typeof v === "bigint" ? Number(v) : v instanceof Uint8Array ? Buffer.from(v).toString("base64") : v)) ?? String(value);
}

/** `flyte-ts run <module> <export> --help`: what the entity is and the inputs it takes, with types and defaults. */
export function entityHelp(module: string, exportName: string, entity: AnyEntity): string[] {
  const inputs = Object.entries(entity.inputs as Record<string, TypeDescriptor<unknown>>);
  const outputs = Object.entries(entity.outputs as Record<string, TypeDescriptor<unknown>>);
  const defaults = (entity as { defaults?: Record<string, unknown> }).defaults ?? {};
  const width = Math.max(0, ...inputs.map(([name]) => name.length + 2));
  const typeWidth = Math.max(0, ...inputs.map(([, type]) => type.name.length));
  const lines = [`usage: flyte-ts run ${module} ${exportName}${inputs.map(([name]) => (Object.hasOwn(defaults, name) ? ` [--${name} value]` : ` --${name} value`)).join("")}`, "", `${exportName}: ${entityKind(entity)} ${entity.name}`];
  lines.push("", inputs.length ? "inputs (--name value or --name=value; lists, maps and structs as JSON):" : "inputs: none");
  for (const [name, type] of inputs) {
    lines.push(`  ${`--${name}`.padEnd(width)}  ${type.name.padEnd(typeWidth)}  ${Object.hasOwn(defaults, name) ? `default ${asArgument(defaults[name])}` : "required"}`);
  }
  if (outputs.length) lines.push("", `outputs: ${outputs.map(([name, type]) => `${name} (${type.name})`).join(", ")}`);
  lines.push("", "run options: -q (outputs only), --max-parallelism <n>, --cache-dir <dir>, --no-cache, --overwrite-cache");
  return lines;
}
