import type { Timeout } from "@flytekit-ts/resources";
import { isTypeDescriptor, type TypeDescriptor } from "@flytekit-ts/types";
import { activeBuilder } from "./builder.js";
import { WorkflowUsageError } from "./problems.js";
import { isRef, refData } from "./refs.js";
import type { GateTarget, NodeOutputs, Ref } from "./vocabulary.js";

/** Options of `approve` and `waitForInput`. */
export interface GateOptions {
  /** How long to wait before the node fails; seconds or `{ hours: 2 }`. Default: one hour (flytekit's). */
  readonly timeout?: Timeout;
}

const DEFAULT_TIMEOUT_MILLIS = 3_600_000;
const PARTS: Readonly<Record<string, number>> = { days: 86_400_000, hours: 3_600_000, minutes: 60_000, seconds: 1000, milliseconds: 1 };

/** A duration in milliseconds from seconds or `{ days?, hours?, minutes?, seconds?, milliseconds? }`. */
export function durationMillis(value: unknown, what: string): number {
  if (typeof value === "number") {
    if (Number.isFinite(value) && value >= 0) return value * 1000;
  } else if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    let total = 0;
    let ok = true;
    for (const [key, amount] of Object.entries(value)) {
      const unit = PARTS[key];
      if (unit === undefined || typeof amount !== "number" || !Number.isFinite(amount) || amount < 0) ok = false;
      else total += amount * unit;
    }
    if (ok) return total;
  }
  throw new WorkflowUsageError(`${what} must be seconds or { days?, hours?, minutes?, seconds?, milliseconds? } of zero or more, got ${JSON.stringify(value)}`);
}

function gateTimeout(options: GateOptions | undefined, what: string): number {
  if (options?.timeout === undefined) return DEFAULT_TIMEOUT_MILLIS;
  const ms = durationMillis(options.timeout, `${what}: timeout`);
  if (ms <= 0) throw new WorkflowUsageError(`${what}: timeout must be more than zero`);
  return ms;
}

function checkSignalName(name: unknown, what: string): string {
  if (typeof name !== "string" || name.trim() === "") throw new WorkflowUsageError(`${what} needs a name (the signal id people answer), got ${JSON.stringify(name)}`);
  return name;
}

/**
 * A gate node that waits for `duration` (flytekit's `sleep`). Returns the node, to order other nodes
 * after it with `runsBefore`.
 */
export function sleep(duration: Timeout): NodeOutputs<{}> {
  const builder = activeBuilder("sleep(…)");
  const ms = durationMillis(duration, "sleep(duration)");
  if (ms <= 0) throw new WorkflowUsageError("sleep(duration): the duration must be more than zero");
  const target: GateTarget = { kind: "gate", name: "sleep-gate", gate: "sleep", timeoutMillis: DEFAULT_TIMEOUT_MILLIS, sleepMillis: ms };
  return builder.addNode(target, {}, []) as NodeOutputs<{}>;
}

/**
 * A gate node that waits until someone approves `value` (flytekit's `approve`), under the signal id
 * `name`; returns the approved value, to pass on to the nodes that must wait for the approval.
 *
 * ```ts
 * const report = approve(makeReport({ data }).o0, "review-report", { timeout: { hours: 4 } });
 * publish({ report });
 * ```
 */
export function approve<T>(value: Ref<T>, name: string, options?: GateOptions): Ref<T> {
  const what = `approve(…, ${JSON.stringify(name)})`;
  const builder = activeBuilder(what);
  checkSignalName(name, what);
  if (!isRef(value)) throw new WorkflowUsageError(`${what} approves a node output (or workflow input), got ${value === null ? "null" : typeof value}`);
  const data = refData(value);
  const target: GateTarget = { kind: "gate", name, gate: "approve", timeoutMillis: gateTimeout(options, what), variable: data.variable, type: data.type };
  const outputs = builder.addNode(target, { [data.variable]: value }, [[data.variable, data.type]]);
  return (outputs as unknown as Record<string, Ref<T>>)[data.variable] as Ref<T>;
}

/**
 * A gate node that waits for a value of `type` to be sent to the signal `name` (flytekit's
 * `wait_for_input`), and returns it.
 *
 * ```ts
 * const title = waitForInput("title", t.string(), { timeout: { hours: 1 } });
 * ```
 */
export function waitForInput<T>(name: string, type: TypeDescriptor<T>, options?: GateOptions): Ref<T> {
  const what = `waitForInput(${JSON.stringify(name)})`;
  const builder = activeBuilder(what);
  checkSignalName(name, what);
  if (!isTypeDescriptor(type)) throw new WorkflowUsageError(`${what} needs the type of the value it waits for, e.g. t.string()`);
  const target: GateTarget = { kind: "gate", name, gate: "signal", timeoutMillis: gateTimeout(options, what), variable: "o0", type: type.literalType };
  return (builder.addNode(target, {}, [["o0", type.literalType]]) as unknown as { o0: Ref<T> }).o0;
}
