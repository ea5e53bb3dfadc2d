import { flyteidl } from "@flytekit-ts/idl";
import type { TypeDescriptor } from "@flytekit-ts/types";
import type { SerializationContext } from "./context.js";
import { durationMillis } from "./gates.js";
import { CompileError, type Problem } from "./problems.js";
import { entityId, typedInterface } from "./serialize.js";
import type { LaunchPlanLike, Notification, Schedule, Variables, WorkflowLike } from "./vocabulary.js";

/*
 * A launch plan as registered (`admin.LaunchPlan`), and the default parameters a workflow's own
 * launch plan shares (workflow-compiler.ts); launch-plan.ts declares and checks them.
 */

/** The launch plan's default parameters: workflow defaults overridden by the launch plan's, fixed inputs left out. */
export async function parameterMap(
  wf: WorkflowLike,
  defaults: Readonly<Record<string, unknown>>,
  fixed: Readonly<Record<string, unknown>>,
  ctx: SerializationContext,
): Promise<flyteidl.core.ParameterMap.$Properties> {
  const parameters: Record<string, flyteidl.core.Parameter.$Properties> = {};
  const variables = typedInterface(wf).inputs?.variables ?? {};
  for (const [name, variable] of Object.entries(variables)) {
    if (Object.hasOwn(fixed, name)) continue;
    const descriptor = (wf.inputs as Variables)[name] as TypeDescriptor<unknown>;
    const has = (o: Readonly<Record<string, unknown>>) => Object.hasOwn(o, name);
    parameters[name] = has(defaults) || has(wf.defaults)
      ? { var: variable, default: await descriptor.toLiteral(has(defaults) ? defaults[name] : wf.defaults[name], ctx.typeContext) }
      : { var: variable, required: true };
  }
  return { parameters };
}

function scheduleMessage(schedule: Schedule): flyteidl.admin.Schedule.$Properties {
  const kickoff = schedule.kickoffTimeInput === undefined ? {} : { kickoffTimeInputArg: schedule.kickoffTimeInput };
  if ("cron" in schedule) {
    return { cronSchedule: { schedule: schedule.cron, ...(schedule.offset === undefined ? {} : { offset: schedule.offset }) }, ...kickoff };
  }
  const minutes = durationMillis(schedule.fixedRate, "schedule.fixedRate") / 60_000;
  const { FixedRateUnit } = flyteidl.admin;
  const rate =
    minutes % 1440 === 0 ? { value: minutes / 1440, unit: FixedRateUnit.DAY } : minutes % 60 === 0 ? { value: minutes / 60, unit: FixedRateUnit.HOUR } : { value: minutes, unit: FixedRateUnit.MINUTE };
  return { rate, ...kickoff };
}

function notificationMessage(n: Notification): flyteidl.admin.Notification.$Properties {
  const phases = n.phases.map((p) => flyteidl.core.WorkflowExecution.Phase[p]);
  if ("email" in n) return { phases, email: { recipientsEmail: [...n.email] } };
  if ("slack" in n) return { phases, slack: { recipientsEmail: [...n.slack] } };
  return { phases, pagerDuty: { recipientsEmail: [...n.pagerDuty] } };
}

/**
 * The `admin.LaunchPlan` to register, as flytekit's translator writes it: workflow id, schedule and
 * notifications, default parameters, fixed literals, labels, annotations, raw output location, max
 * parallelism and security context.
 */
export async function launchPlanSpec(lp: LaunchPlanLike, ctx: SerializationContext): Promise<flyteidl.admin.LaunchPlan.$Properties> {
  const problems: Problem[] = [];
  const fixedLiterals: Record<string, flyteidl.core.Literal.$Properties> = {};
  for (const [name, value] of Object.entries(lp.fixedInputs)) {
    const descriptor = (lp.workflow.inputs as Variables)[name] as TypeDescriptor<unknown>;
    try {
      fixedLiterals[name] = await descriptor.toLiteral(value, ctx.typeContext);
    } catch (error) {
      problems.push({ kind: "MismatchingTypes", nodeId: lp.name, variable: name, message: (error as Error).message });
    }
  }
  if (problems.length) throw new CompileError(`launch plan "${lp.name}"`, problems);
  const o = lp.options;
  const entityMetadata: flyteidl.admin.LaunchPlanMetadata.$Properties = {};
  if (o.schedule) entityMetadata.schedule = scheduleMessage(o.schedule);
  if (o.notifications?.length) entityMetadata.notifications = o.notifications.map(notificationMessage);
  const workflowId = entityId(lp.workflow, ctx);
  const spec: flyteidl.admin.LaunchPlanSpec.$Properties = {
    workflowId,
    entityMetadata,
    defaultInputs: await parameterMap(lp.workflow, lp.defaultInputs, lp.fixedInputs, ctx),
    fixedInputs: Object.keys(fixedLiterals).length ? { literals: fixedLiterals } : {},
    labels: o.labels ? { values: { ...o.labels } } : {},
    annotations: o.annotations ? { values: { ...o.annotations } } : {},
    rawOutputDataConfig: o.rawOutputDataPrefix === undefined ? {} : { outputLocationPrefix: o.rawOutputDataPrefix },
  };
  if (o.maxParallelism !== undefined) spec.maxParallelism = o.maxParallelism;
  if (o.securityContext) {
    const { serviceAccount, iamRole, executionIdentity } = o.securityContext;
    spec.securityContext = {
      runAs: {
        ...(iamRole === undefined ? {} : { iamRole }),
        ...(serviceAccount === undefined ? {} : { k8sServiceAccount: serviceAccount }),
        ...(executionIdentity === undefined ? {} : { executionIdentity }),
      },
    };
  }
  if (o.overwriteCache !== undefined) spec.overwriteCache = o.overwriteCache;
  return {
    id: entityId(lp, ctx),
    spec,
    closure: { expectedInputs: {}, expectedOutputs: {} },
  };
}
