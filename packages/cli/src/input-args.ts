import type { AnyEntity } from "@flytekit-ts/compiler";
import { FlytekitError } from "@flytekit-ts/idl";
import { describeValue, issuesOf, type TypeDescriptor } from "@flytekit-ts/types";
import { hint } from "./suggest.js";

/** One `--name value` or `--name=value` of the command line. */
export interface InputArg {
  readonly name: string;
  readonly text: string;
}

/** Splits `--a 1 --b=2` into names and texts; anything else is a usage error. */
export function splitInputArgs(args: readonly string[]): InputArg[] {
  const pairs: InputArg[] = [];
  for (let i = 0; i < args.length; i++) {
    const flag = args[i] as string;
    if (!flag.startsWith("--") || flag === "--") throw new FlytekitError("USAGE", `expected an input as --name value or --name=value, got ${JSON.stringify(flag)}`);
    const equals = flag.indexOf("=");
    if (equals > 2) {
      pairs.push({ name: flag.slice(2, equals), text: flag.slice(equals + 1) });
      continue;
    }
    const text = args[i + 1];
    if (text === undefined) throw new FlytekitError("USAGE", `${flag} needs a value`);
    pairs.push({ name: flag.slice(2), text });
    i++;
  }
  return pairs;
}

/** `[1]`, `.key`: where in a value an issue is. */
function formatPath(path: readonly (string | number)[]): string {
  return path.map((p) => (typeof p === "number" ? `[${p}]` : /^[A-Za-z_$][\w$]*$/.test(p) ? `.${p}` : `[${JSON.stringify(p)}]`)).join("");
}

/**
 * Reads a command-line value for an input: JSON when it parses (numbers, booleans, lists, objects),
 * an ISO date for datetime inputs, otherwise the text itself; then checks it against the input's type.
 * An error names the element that is wrong: `--words[1]: expected a string, got number 2`.
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
  const [issue] = issuesOf(type, value);
  if (issue) {
    const where = `--${name}${formatPath(issue.path)}`;
    const whole = issue.path.length === 0;
    throw new FlytekitError(
      "USAGE",
      `${where}: expected ${whole ? `${type.name} (${issue.expected})` : issue.expected}, got ${issue.got || describeValue(value)}${whole ? "" : ` (in --${name} ${JSON.stringify(text)})`}`,
    );
  }
  return value;
}

/** `--a 5 --s hi` → inputs, each checked against the entity's declared inputs; defaults fill the rest. */
export function parseInputs(entity: AnyEntity, args: readonly string[]): Record<string, unknown> {
  const declared = entity.inputs as Record<string, TypeDescriptor<unknown>>;
  const names = Object.keys(declared);
  const inputs: Record<string, unknown> = { ...((entity as { defaults?: Record<string, unknown> }).defaults ?? {}) };
  for (const { name, text } of splitInputArgs(args)) {
    const type = Object.hasOwn(declared, name) ? declared[name] : undefined;
    if (!type) {
      throw new FlytekitError("USAGE", `unknown input --${name}${hint(name, names)}; ${entity.name} takes ${names.map((n) => `--${n}`).join(", ") || "no inputs"}`);
    }
    inputs[name] = parseInputValue(name, text, type);
  }
  const missing = names.filter((n) => !Object.hasOwn(inputs, n));
  if (missing.length) throw new FlytekitError("USAGE", `missing input${missing.length > 1 ? "s" : ""} ${missing.map((n) => `--${n}`).join(", ")} for ${entity.name}`);
  return inputs;
}
