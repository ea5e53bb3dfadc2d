import { durationFromMillis, type google } from "@flytekit-ts/idl";
import { checkKnownKeys, isPlainObject, show, type ProblemList } from "./problems.js";

/** A length of time given in parts, like Python's `timedelta(minutes=30)`: `{ minutes: 30 }`. */
export interface DurationParts {
  readonly days?: number;
  readonly hours?: number;
  readonly minutes?: number;
  readonly seconds?: number;
  readonly milliseconds?: number;
}

/** Seconds (as flytekit's `timeout=120`), or a {@link DurationParts}. `0` means no timeout. */
export type Timeout = number | DurationParts;

const MILLIS: Readonly<Record<keyof DurationParts, number>> = {
  days: 86_400_000,
  hours: 3_600_000,
  minutes: 60_000,
  seconds: 1000,
  milliseconds: 1,
};
const PARTS = Object.keys(MILLIS) as (keyof DurationParts)[];

export function checkTimeout(problems: ProblemList, path: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value === "number") {
    if (!Number.isFinite(value) || value < 0) problems.add(path, value, `${show(value)} must be a finite number of seconds, zero or more`);
    return;
  }
  if (!isPlainObject(value)) {
    problems.add(path, value, `must be seconds or { days?, hours?, minutes?, seconds?, milliseconds? }, got ${show(value)}`);
    return;
  }
  checkKnownKeys(problems, path, value, PARTS, "duration part");
  for (const part of PARTS) {
    const amount = value[part];
    if (amount !== undefined && (typeof amount !== "number" || !Number.isFinite(amount) || amount < 0)) {
      problems.add(`${path}.${part}`, amount, `${show(amount)} must be a finite number, zero or more`);
    }
  }
}

/** The timeout in milliseconds. Assumes {@link checkTimeout} found no problems. */
export function timeoutMillis(timeout: Timeout): number {
  if (typeof timeout === "number") return timeout * 1000;
  return PARTS.reduce((total, part) => total + (timeout[part] ?? 0) * MILLIS[part], 0);
}

/** A `Duration`, or `undefined` for no timeout (flytekit sets the field only when non-zero). */
export function timeoutDuration(timeout: Timeout | undefined): google.protobuf.Duration | undefined {
  if (timeout === undefined) return undefined;
  const ms = timeoutMillis(timeout);
  return ms === 0 ? undefined : durationFromMillis(ms);
}
