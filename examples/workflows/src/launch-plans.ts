/**
 * Launch plans. The first part is flytectl's `launchplan-in-wf` test package (flytekit 1.11): a
 * workflow calling a launch plan that has a name and a default of its own. The second part is
 * flytesnacks' `lp_schedules` and `lp` examples (flytekit 0.32): fixed and default inputs, cron and
 * fixed-rate schedules with a kickoff-time input. Last, a dynamic workflow that starts a launch plan.
 */
import { dynamic, launchPlan, t, task, workflow } from "flytekit-ts";

// --- flytectl launchplan-in-wf (module workflows.wf) ---------------------------------------------

export const myTask = task({ name: "workflows.wf.my_task", inputs: { num: t.int() }, outputs: { o0: t.int() } }, ({ num }) => ({ o0: num * 2 }));

export const innerWorkflow = workflow({ name: "workflows.wf.inner_workflow", inputs: { num: t.int() }, outputs: { o0: t.int() } }, ({ num }) => ({
  o0: myTask({ num }).o0,
}));

/** `LaunchPlan.get_or_create(inner_workflow, name="name_override", default_inputs={"num": 42})` */
export const nameOverride = launchPlan(innerWorkflow, { name: "name_override", defaultInputs: { num: 42 } });

/** Calls the launch plan with no inputs: its default is bound, the node is a `launchplan_ref`. */
export const outerWorkflow = workflow({ name: "workflows.wf.outer_workflow", outputs: { o0: t.int() } }, () => ({ o0: nameOverride({}).o0 }));

// --- flytesnacks lp_schedules / lp (module core.*) ------------------------------------------------

export const formatDate = task({ name: "core.scheduled_workflows.lp_schedules.format_date", inputs: { run_date: t.datetime() }, outputs: { o0: t.string() } }, ({ run_date }) => ({
  o0: run_date.toISOString().slice(0, 10),
}));

export const dateFormatterWf = workflow({ name: "core.scheduled_workflows.lp_schedules.date_formatter_wf", inputs: { kickoff_time: t.datetime() } }, ({ kickoff_time }) => {
  formatDate({ run_date: kickoff_time });
  return {};
});

/** Every minute; Flyte passes the scheduled time as `kickoff_time`. */
export const cronScheduledLp = launchPlan(dateFormatterWf, {
  name: "my_cron_scheduled_lp",
  schedule: { cron: "*/1 * * * *", kickoffTimeInput: "kickoff_time" },
});

export const beHappy = task({ name: "core.scheduled_workflows.lp_schedules.be_positive", inputs: { name: t.string() }, outputs: { o0: t.string() } }, ({ name }) => ({
  o0: `Hello ${name}, you are great!`,
}));

export const positiveWf = workflow({ name: "core.scheduled_workflows.lp_schedules.positive_wf", inputs: { name: t.string() } }, ({ name }) => {
  beHappy({ name });
  return {};
});

/** Every ten minutes, with the input fixed. */
export const fixedRateLp = launchPlan(positiveWf, { name: "my_fixed_rate_lp", fixedInputs: { name: "you" }, schedule: { fixedRate: { minutes: 10 } } });

export const square = task({ name: "core.flyte_basics.lp.square", inputs: { val: t.int() }, outputs: { o0: t.int() } }, ({ val }) => ({ o0: val * val }));

export const myWf = workflow({ name: "core.flyte_basics.lp.my_wf", inputs: { val: t.int() }, outputs: { o0: t.int() } }, ({ val }) => ({ o0: square({ val }).o0 }));

export const default4Lp = launchPlan(myWf, { name: "default_4_lp", defaultInputs: { val: 4 } });
export const always2Lp = launchPlan(myWf, { name: "always_2_lp", fixedInputs: { val: 4 } });

export const greet = task(
  { name: "core.flyte_basics.lp.greet", inputs: { day_of_week: t.string(), number: t.int(), am: t.boolean() }, outputs: { o0: t.string() } },
  ({ day_of_week, number, am }) => ({ o0: `Have a ${am ? "morning" : "evening"} ${day_of_week} #${number}` }),
);

export const goGreet = workflow(
  { name: "core.flyte_basics.lp.go_greet", inputs: { day_of_week: t.string(), number: t.int(), am: t.boolean() }, outputs: { o0: t.string() }, defaults: { am: false } },
  ({ day_of_week, number, am }) => ({ o0: greet({ day_of_week, number, am }).o0 }),
);

export const morningGreeting = launchPlan(goGreet, { name: "morning_greeting", fixedInputs: { am: true }, defaultInputs: { number: 1 } });

// --- everything else a launch plan sets, and a dynamic starting launch plans ---------------------

export const nightlyReport = launchPlan(goGreet, {
  name: "examples.launch_plans.nightly_greeting",
  defaultInputs: { day_of_week: "Monday", number: 7 },
  fixedInputs: { am: false },
  schedule: { cron: "0 2 * * *", offset: "PT1H" },
  notifications: [
    { phases: ["FAILED", "TIMED_OUT"], email: ["oncall@example.com"] },
    { phases: ["SUCCEEDED"], slack: ["#reports"] },
  ],
  labels: { team: "data" },
  annotations: { "example.com/owner": "reports" },
  rawOutputDataPrefix: "s3://my-bucket/reports",
  maxParallelism: 5,
  securityContext: { serviceAccount: "reporter", iamRole: "arn:aws:iam::123456789012:role/reporter" },
  overwriteCache: true,
});

/** In a dynamic the launch plans are referenced, not embedded; only non-fixed inputs are bound. */
export const greetMany = dynamic(
  { name: "examples.launch_plans.greet_many", inputs: { days: t.list(t.string()) }, outputs: { o0: t.list(t.string()) } },
  ({ days }) => ({ o0: days.map((day_of_week, i) => morningGreeting({ day_of_week, number: i }).o0) }),
);
