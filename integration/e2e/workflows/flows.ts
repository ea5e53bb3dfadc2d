/**
 * Workflows of the end-to-end suite that examples/ does not have: a dynamic calling a launch plan and
 * a workflow, a dynamic calling a dynamic, a task that fails recoverably until its last retry, and a
 * task that says which Node.js runs it.
 * Registered and launched with `flyte-ts run --remote` (source root: this folder).
 */
import { currentContext, dynamic, launchPlan, RecoverableError, t, task, workflow, type Ref } from "flytekit-ts";

const M = "e2e.flows";

export const square = task({ name: `${M}.square`, inputs: { n: t.int() }, outputs: { o0: t.int() } }, ({ n }) => ({ o0: n * n }));
export const addOne = task({ name: `${M}.add_one`, inputs: { n: t.int() }, outputs: { o0: t.int() } }, ({ n }) => ({ o0: n + 1 }));
export const total = task({ name: `${M}.total`, inputs: { xs: t.list(t.int()) }, outputs: { o0: t.int() } }, ({ xs }) => ({ o0: xs.reduce((a, b) => a + b, 0) }));

/** n² + 1 */
export const squarePlusOne = workflow({ name: `${M}.square_plus_one`, inputs: { n: t.int() }, outputs: { o0: t.int() } }, ({ n }) => ({
  o0: addOne({ n: square({ n }).o0 }).o0,
}));
export const squarePlusOneLp = launchPlan(squarePlusOne, { name: `${M}.square_plus_one_lp` });

/** For each i < n: the launch plan (a child execution) and the workflow (a sub-workflow), both i² + 1. */
export const viaLaunchPlanAndWorkflow = dynamic(
  { name: `${M}.via_launch_plan_and_workflow`, inputs: { n: t.int() }, outputs: { fromLaunchPlan: t.list(t.int()), fromWorkflow: t.list(t.int()) } },
  ({ n }) => {
    const fromLaunchPlan: Ref<number>[] = [];
    const fromWorkflow: Ref<number>[] = [];
    for (let i = 0; i < n; i++) {
      fromLaunchPlan.push(squarePlusOneLp({ n: i }).o0);
      fromWorkflow.push(squarePlusOne({ n: i }).o0);
    }
    return { fromLaunchPlan, fromWorkflow };
  },
);

/** Σ_{j<i} j² */
export const inner = dynamic({ name: `${M}.inner`, inputs: { i: t.int() }, outputs: { o0: t.int() } }, ({ i }) => {
  const squares: Ref<number>[] = [];
  for (let j = 0; j < i; j++) squares.push(square({ n: j }).o0);
  return { o0: total({ xs: squares }).o0 };
});

/** [inner(1), …, inner(n)]: a dynamic whose children are dynamics. */
export const nested = dynamic({ name: `${M}.nested`, inputs: { n: t.int() }, outputs: { o0: t.list(t.int()) } }, ({ n }) => {
  const sums: Ref<number>[] = [];
  for (let i = 1; i <= n; i++) sums.push(inner({ i }).o0);
  return { o0: sums };
});

/** Fails recoverably on attempts 0 and 1, succeeds on attempt 2 (its last: retries 2), returning the attempt. */
export const flaky = task({ name: `${M}.flaky`, retries: 2, outputs: { attempt: t.int() } }, () => {
  const { attempt } = currentContext();
  if (attempt < 2) throw new RecoverableError(`attempt ${attempt} fails on purpose`);
  return { attempt };
});

/** Always fails, recoverably: every retry is used, then the execution fails. */
export const alwaysFails = task({ name: `${M}.always_fails`, retries: 1, outputs: { o0: t.int() } }, () => {
  throw new RecoverableError(`attempt ${currentContext().attempt} fails on purpose`);
});

// In workflows: a task launched on its own runs in the workflow FlyteAdmin generates for it, whose node
// gets 3 retries whatever the task declares (flyteadmin's single_task_execution.go).
export const flakyWf = workflow({ name: `${M}.flaky_wf`, outputs: { attempt: t.int() } }, () => ({ attempt: flaky({}).attempt }));
export const alwaysFailsWf = workflow({ name: `${M}.always_fails_wf`, outputs: { o0: t.int() } }, () => ({ o0: alwaysFails({}).o0 }));

/** The Node.js version the pod ran the task with: the runtime image's, not the test machine's. */
export const nodeVersion = task({ name: `${M}.node_version`, outputs: { o0: t.string() } }, () => ({ o0: process.version }));
export const nodeVersionWf = workflow({ name: `${M}.node_version_wf`, outputs: { o0: t.string() } }, () => ({ o0: nodeVersion({}).o0 }));
