import { flyteidl } from "@flytekit-ts/idl";
import { formatIssue, issuesOf, type Infer, type InferValues, type TypeDescriptor } from "@flytekit-ts/types";
import { callableEntity, checkName, displayName, entityKind, isEntity, type Workflow } from "./entities.js";
import { durationMillis } from "./gates.js";
import {
  ENTITY,
  type Bindable,
  type LaunchPlanLike,
  type LaunchPlanOptions,
  type NodeOutputs,
  type NotificationPhase,
  type Variables,
  type WorkflowLike,
} from "./vocabulary.js";

/*
 * Declaring a launch plan and checking what it sets; launch-plan-spec.ts writes the registered
 * message.
 */

export interface LaunchPlanDeclaration<D, F> extends LaunchPlanOptions {
  /** The registered name; leave it out (with nothing else set) for the workflow's default launch plan. */
  readonly name?: string;
  /** Default values, overriding the workflow's; a launch may still change them. */
  readonly defaultInputs?: D;
  /** Values fixed for every execution; calls and launches cannot change them. */
  readonly fixedInputs?: F;
}

/** A call's inputs: fixed inputs are not passed; defaulted ones may be left out. */
export type LaunchPlanCallInputs<I extends Variables, DK extends PropertyKey, FK extends PropertyKey> = {
  [K in Exclude<keyof I, DK | FK>]: Bindable<Infer<I[K]>>;
} & { [K in Exclude<keyof I & DK, FK>]?: Bindable<Infer<I[K]>> };

/**
 * A launch plan made by `launchPlan`: a workflow with default and fixed inputs, a schedule and
 * notifications. Call it in a workflow or dynamic body to launch the workflow as a node.
 */
export interface LaunchPlan<I extends Variables = Variables, O extends Variables = Variables, DK extends PropertyKey = never, FK extends PropertyKey = never> {
  readonly [ENTITY]: "launchPlan";
  readonly name: string;
  readonly inputs: I;
  readonly outputs: O;
  readonly workflow: WorkflowLike;
  readonly defaultInputs: Partial<InferValues<I>>;
  readonly fixedInputs: Partial<InferValues<I>>;
  readonly options: LaunchPlanOptions;
  /** Inside a workflow or dynamic body: adds a `launchplan_ref` node (fixed inputs are not bound). */
  (inputs: LaunchPlanCallInputs<I, DK, FK>): NodeOutputs<O>;
}

const PHASES: readonly NotificationPhase[] = ["SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"];
const OPTION_KEYS = ["schedule", "notifications", "labels", "annotations", "rawOutputDataPrefix", "maxParallelism", "securityContext", "overwriteCache"] as const;

const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function checkValues(subject: string, which: string, values: unknown, wf: WorkflowLike): Record<string, unknown> {
  if (values === undefined) return {};
  if (!isPlain(values)) throw new TypeError(`${subject}: ${which} must be an object of input values`);
  for (const [name, value] of Object.entries(values)) {
    const descriptor = (wf.inputs as Variables)[name];
    if (!descriptor) throw new TypeError(`${subject}: ${which} "${name}" is not an input of workflow ${displayName(wf)}; its inputs are ${Object.keys(wf.inputs).join(", ") || "none"}`);
    const issues = issuesOf(descriptor, value);
    if (issues.length) throw new TypeError(`${subject}: ${which} "${name}": ${issues.map((i) => formatIssue(i)).join("; ")}`);
  }
  return { ...values };
}

function checkSchedule(subject: string, schedule: unknown, wf: WorkflowLike, fixed: Record<string, unknown>): void {
  if (schedule === undefined) return;
  if (!isPlain(schedule) || ("cron" in schedule) === ("fixedRate" in schedule)) throw new TypeError(`${subject}: schedule must be { cron, offset?, kickoffTimeInput? } or { fixedRate, kickoffTimeInput? }`);
  if ("cron" in schedule) {
    const cron = schedule["cron"];
    const fields = typeof cron === "string" ? cron.trim().split(/\s+/) : [];
    if (typeof cron !== "string" || !(cron.trim().startsWith("@") ? fields.length === 1 : fields.length === 5 || fields.length === 6)) {
      throw new TypeError(`${subject}: schedule.cron must be a cron expression such as "0 10 * * *" or "@daily", got ${JSON.stringify(cron)}`);
    }
    if (schedule["offset"] !== undefined && typeof schedule["offset"] !== "string") throw new TypeError(`${subject}: schedule.offset must be an ISO-8601 duration such as "PT1H"`);
  } else {
    const ms = durationMillis(schedule["fixedRate"], `${subject}: schedule.fixedRate`);
    if (ms <= 0 || ms % 60_000 !== 0) throw new TypeError(`${subject}: schedule.fixedRate must be a whole number of minutes, more than zero (as Flyte's scheduler counts)`);
  }
  const kickoff: unknown = schedule["kickoffTimeInput"];
  if (kickoff !== undefined) {
    const descriptor = typeof kickoff === "string" ? (wf.inputs as Variables)[kickoff] : undefined;
    if (!descriptor || descriptor.literalType.simple !== flyteidl.core.SimpleType.DATETIME) {
      throw new TypeError(`${subject}: schedule.kickoffTimeInput ${JSON.stringify(kickoff)} must name a datetime input of workflow ${displayName(wf)}`);
    }
    if ((kickoff as string) in fixed) throw new TypeError(`${subject}: schedule.kickoffTimeInput "${kickoff}" cannot also be a fixed input`);
  }
}

function checkOptions(subject: string, options: LaunchPlanOptions): void {
  const { notifications, labels, annotations, rawOutputDataPrefix, maxParallelism, securityContext, overwriteCache } = options;
  if (notifications !== undefined) {
    if (!Array.isArray(notifications)) throw new TypeError(`${subject}: notifications must be a list`);
    for (const [i, n] of (notifications as readonly unknown[]).entries()) {
      const at = `${subject}: notifications[${i}]`;
      if (!isPlain(n) || !Array.isArray(n["phases"]) || n["phases"].length === 0) throw new TypeError(`${at} needs phases, some of ${PHASES.join(", ")}`);
      for (const p of n["phases"] as unknown[]) if (!PHASES.includes(p as NotificationPhase)) throw new TypeError(`${at}: phase ${JSON.stringify(p)} is not one of ${PHASES.join(", ")}`);
      const channels = ["email", "slack", "pagerDuty"].filter((c) => n[c] !== undefined);
      if (channels.length !== 1) throw new TypeError(`${at} needs exactly one of email, slack, pagerDuty (a list of recipients)`);
      const recipients = n[channels[0] as string];
      if (!Array.isArray(recipients) || recipients.length === 0 || recipients.some((r) => typeof r !== "string" || r === "")) {
        throw new TypeError(`${at}.${channels[0] as string} must be a non-empty list of recipients`);
      }
    }
  }
  for (const [which, map] of [["labels", labels], ["annotations", annotations]] as const) {
    if (map !== undefined && (!isPlain(map) || Object.values(map).some((v) => typeof v !== "string"))) throw new TypeError(`${subject}: ${which} must map names to strings`);
  }
  if (rawOutputDataPrefix !== undefined && (typeof rawOutputDataPrefix !== "string" || rawOutputDataPrefix === "")) throw new TypeError(`${subject}: rawOutputDataPrefix must be a non-empty URI such as "s3://bucket/prefix"`);
  if (maxParallelism !== undefined && !(Number.isInteger(maxParallelism) && maxParallelism >= 0 && maxParallelism <= 2 ** 31 - 1)) {
    throw new TypeError(`${subject}: maxParallelism must be a whole number, zero or more`);
  }
  if (securityContext !== undefined) {
    if (!isPlain(securityContext)) throw new TypeError(`${subject}: securityContext must be { serviceAccount?, iamRole?, executionIdentity? }`);
    for (const [key, value] of Object.entries(securityContext)) {
      if (!["serviceAccount", "iamRole", "executionIdentity"].includes(key)) throw new TypeError(`${subject}: securityContext.${key} is unknown; expected serviceAccount, iamRole, executionIdentity`);
      if (typeof value !== "string" || value === "") throw new TypeError(`${subject}: securityContext.${key} must be a non-empty string`);
    }
  }
  if (overwriteCache !== undefined && typeof overwriteCache !== "boolean") throw new TypeError(`${subject}: overwriteCache must be true or false`);
}

const admitsNone = (d: TypeDescriptor<unknown>): boolean => (d.literalType.unionType?.variants ?? []).some((v) => v.simple === flyteidl.core.SimpleType.NONE);

/**
 * A launch plan (flytekit's `LaunchPlan.get_or_create`): a workflow with default and fixed inputs, an
 * optional schedule, notifications, labels, annotations, raw output location, max parallelism and
 * security context. Register it by passing it to `registrationBundle` (or exporting it); call it in a
 * workflow or dynamic body to start it as a child execution.
 *
 * ```ts
 * const nightly = launchPlan(report, {
 *   name: "my_pkg.report_nightly",
 *   fixedInputs: { region: "eu" },
 *   schedule: { cron: "0 2 * * *", kickoffTimeInput: "run_at" },
 * });
 * ```
 */
export function launchPlan<I extends Variables, O extends Variables, D extends Partial<InferValues<I>> = {}, F extends Partial<InferValues<I>> = {}>(
  workflow: Workflow<I, O>,
  declaration: LaunchPlanDeclaration<D, F> = {},
): LaunchPlan<I, O, keyof D, keyof F> {
  if (!isEntity(workflow) || entityKind(workflow) !== "workflow") throw new TypeError(`launchPlan(…) takes a workflow, got ${isEntity(workflow) ? `a ${entityKind(workflow)}` : typeof workflow}`);
  const wf = workflow as unknown as WorkflowLike;
  const subject = `launch plan ${JSON.stringify(declaration.name ?? displayName(wf))}`;
  if (!isPlain(declaration)) throw new TypeError(`${subject}: the declaration must be an object`);
  const { name, defaultInputs, fixedInputs, ...options } = declaration;
  for (const key of Object.keys(options)) {
    if (!(OPTION_KEYS as readonly string[]).includes(key)) throw new TypeError(`${subject}: unknown setting "${key}"; expected name, defaultInputs, fixedInputs, ${OPTION_KEYS.join(", ")}`);
  }
  if (name === undefined && (defaultInputs !== undefined || fixedInputs !== undefined || Object.keys(options).length > 0)) {
    throw new TypeError(`${subject}: a launch plan with inputs or settings needs a name of its own (only the workflow's default launch plan has the workflow's name)`);
  }
  // The default launch plan has its workflow's name, read when needed (the loader may name the workflow later).
  const lpName = name === undefined ? () => wf.name : checkName("launch plan", name);
  const defaults = checkValues(subject, "default input", defaultInputs, wf);
  const fixed = checkValues(subject, "fixed input", fixedInputs, wf);
  for (const key of Object.keys(defaults)) if (key in fixed) throw new TypeError(`${subject}: input "${key}" is both a default and a fixed input`);
  checkSchedule(subject, options.schedule, wf, fixed);
  checkOptions(subject, options);
  if (options.schedule) {
    // A scheduled run gets no inputs but the kickoff time: everything else needs a value.
    const kickoff = (options.schedule as { kickoffTimeInput?: string }).kickoffTimeInput;
    for (const [input, descriptor] of Object.entries(wf.inputs as Variables)) {
      const has = input in fixed || input in defaults || Object.hasOwn(wf.defaults, input) || input === kickoff || admitsNone(descriptor);
      if (!has) throw new TypeError(`${subject}: the schedule starts executions without inputs, but input "${input}" has no default or fixed value`);
    }
  }
  return callableEntity("launchPlan", {
    name: lpName,
    inputs: wf.inputs,
    outputs: wf.outputs,
    workflow: wf,
    defaultInputs: defaults,
    fixedInputs: fixed,
    options,
  });
}

/** Whether a launch plan is just the workflow's default one (same name, nothing set). */
export function isDefaultLaunchPlan(lp: LaunchPlanLike): boolean {
  return lp.name === lp.workflow.name && Object.keys(lp.defaultInputs).length === 0 && Object.keys(lp.fixedInputs).length === 0 && Object.keys(lp.options).length === 0;
}
