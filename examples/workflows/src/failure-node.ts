/**
 * Failure nodes, the on-failure policy and explicit ordering: flytectl's `failure-node` test package
 * (flytekit 1.10, module `flyte-example.failure_node`) in TypeScript, plus a dynamic workflow that
 * orders its nodes the same way.
 */
import { dynamic, flyteError, runsBefore, t, task, workflow } from "flytekit-ts";

const M = "flyte-example.failure_node";

export const createCluster = task({ name: `${M}.create_cluster`, inputs: { name: t.string() } }, ({ name }) => {
  console.log(`Creating cluster: ${name}`);
  return {};
});

export const t1 = task({ name: `${M}.t1`, inputs: { name: t.string() } }, ({ name }) => {
  throw new Error(`Fail! ${name}`);
});

export const deleteCluster = task({ name: `${M}.delete_cluster`, inputs: { name: t.string(), err: t.optional(flyteError()) } }, ({ name }) => {
  console.log(`Deleting cluster ${name}`);
  return {};
});

/** The failure handler: every workflow input, and the error Flyte passes in. */
export const cleanUp = task({ name: `${M}.clean_up`, inputs: { name: t.string(), err: t.optional(flyteError()) } }, ({ name, err }) => {
  console.log(`Deleting cluster ${name} due to ${err?.message ?? "an unknown error"}`);
  return {};
});

export const wff = workflow({ name: `${M}.wff` }, () => {
  t1({ name: "2" });
  return {};
});

/** create_cluster >> t1 >> delete_cluster, with clean_up as the failure node. */
export const subwf = workflow(
  { name: `${M}.subwf`, inputs: { name: t.string() }, defaults: { name: "kevin" }, failurePolicy: "FAIL_AFTER_EXECUTABLE_NODES_COMPLETE", onFailure: cleanUp },
  ({ name }) => {
    const c = createCluster({ name });
    const r = t1({ name: "2" });
    const d = deleteCluster({ name });
    runsBefore(c, r);
    runsBefore(r, d);
    return {};
  },
);

export const wf1 = workflow(
  { name: `${M}.wf1`, inputs: { name: t.string() }, defaults: { name: "kevin" }, failurePolicy: "FAIL_AFTER_EXECUTABLE_NODES_COMPLETE", onFailure: cleanUp },
  ({ name }) => {
    const c = createCluster({ name });
    subwf({ name: "pingsutw" });
    const r = t1({ name: "2" });
    const d = deleteCluster({ name });
    runsBefore(c, r);
    runsBefore(r, d);
    return {};
  },
);

export const wf2 = workflow(
  { name: `${M}.wf2`, inputs: { name: t.string() }, defaults: { name: "kevin" }, failurePolicy: "FAIL_AFTER_EXECUTABLE_NODES_COMPLETE", onFailure: cleanUp },
  ({ name }) => {
    const c = createCluster({ name });
    const r = t1({ name: "2" });
    const d = deleteCluster({ name });
    runsBefore(c, r);
    runsBefore(r, d);
    return {};
  },
);

/** A workflow as the failure handler: it becomes a sub-workflow of the failing one. */
export const cleanUpWf = workflow({ name: `${M}.clean_up_wf`, inputs: { name: t.string() }, defaults: { name: "kevin" } }, ({ name }) => {
  createCluster({ name });
  return {};
});

export const wf3 = workflow(
  { name: `${M}.wf3`, inputs: { name: t.string() }, defaults: { name: "Kevin" }, failurePolicy: "FAIL_AFTER_EXECUTABLE_NODES_COMPLETE", onFailure: cleanUpWf },
  ({ name }) => {
    const c = createCluster({ name });
    const r = t1({ name: "2" });
    const d = deleteCluster({ name });
    runsBefore(c, r);
    runsBefore(r, d);
    return {};
  },
);

/** Explicit ordering inside a dynamic: one cluster per name, each created before its job runs. */
export const perCluster = dynamic({ name: "examples.failure_node.per_cluster", inputs: { names: t.list(t.string()) } }, ({ names }) => {
  for (const name of names) {
    const c = createCluster({ name });
    const d = deleteCluster({ name });
    runsBefore(c, d);
  }
  return {};
});
