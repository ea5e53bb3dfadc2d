import { FlytekitError, isFlytekitError } from "@flytekit-ts/idl";

/**
 * Validation reports every problem at once: a task with a misspelt resource and a bad timeout should
 * fail with both, not one per run. Each problem names the setting (as a dotted path from the settings
 * object, e.g. `requests.cpu` or `secretRequests[1].envVar`) and the value that was given.
 */
export interface SettingProblem {
  /** Where the bad value sits, e.g. `requests.cpu`, `podTemplate.primaryContainerName`. */
  readonly setting: string;
  /** The value that was given (as given; `undefined` when something required was missing). */
  readonly value: unknown;
  /** What is wrong with it, and what would be right. */
  readonly message: string;
}

/** Collects problems while validating; every checker appends to one of these. */
export class ProblemList {
  readonly problems: SettingProblem[] = [];

  add(setting: string, value: unknown, message: string): void {
    this.problems.push({ setting, value, message });
  }

  get isEmpty(): boolean {
    return this.problems.length === 0;
  }
}

/**
 * Thrown when task settings or node overrides are invalid. `problems` lists all of them; the message
 * repeats them one per line so that a stack trace alone says what to fix.
 */
export class InvalidSettingsError extends FlytekitError {
  readonly problems: readonly SettingProblem[];

  constructor(subject: string, problems: readonly SettingProblem[]) {
    const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
    super("E_INVALID_SETTINGS", `${count} in ${subject}:\n${problems.map((p) => `  - ${formatProblem(p)}`).join("\n")}`);
    this.problems = problems;
  }
}

/** True for an {@link InvalidSettingsError}, also one thrown by another copy of this package. */
export function isInvalidSettingsError(value: unknown): value is InvalidSettingsError {
  return isFlytekitError(value) && value.code === "E_INVALID_SETTINGS";
}

/** `requests.cpu: "abc" is not a Kubernetes quantity ...` */
export function formatProblem(problem: SettingProblem): string {
  return `${problem.setting}: ${problem.message}`;
}

/** A value as it should appear inside an error message: strings quoted, objects as JSON. */
export function show(value: unknown): string {
  if (value === undefined) return "undefined";
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (typeof value === "function") return "a function";
  if (typeof value === "symbol") return value.toString();
  try {
    const json = JSON.stringify(value);
    return json === undefined ? String(value) : json.length > 120 ? `${json.slice(0, 117)}...` : json;
  } catch {
    return String(value);
  }
}

/** Plain objects only (not arrays, null, class instances such as Date). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Reports keys of `value` outside `known`. TypeScript rejects them in object literals already; this
 * catches JavaScript callers and objects built dynamically. `aliases` maps names people bring from
 * flytekit to ours, for the "did you mean" hint.
 */
export function checkKnownKeys(
  problems: ProblemList,
  path: string,
  value: Record<string, unknown>,
  known: readonly string[],
  what: string,
  aliases: Readonly<Record<string, string>> = {},
): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      const hint = aliases[key] ?? closest(key, known);
      problems.add(
        path ? `${path}.${key}` : key,
        value[key],
        `unknown ${what} "${key}"${hint ? ` (did you mean "${hint}"?)` : ""}; expected one of ${known.map((k) => `"${k}"`).join(", ")}`,
      );
    }
  }
}

/** The known name nearest to a misspelling, if one is close enough to be a plausible typo. */
function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  return bestDistance <= Math.max(1, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
