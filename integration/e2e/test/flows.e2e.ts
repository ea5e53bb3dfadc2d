/**
 * This suite's own workflows (workflows/flows.ts) on the real FlytePropeller: a dynamic calling a
 * launch plan (a child execution FlyteAdmin creates) and a workflow, a dynamic of dynamics, retries
 * of recoverable failures, and the Node.js a pod runs on.
 */
import { describe, expect, it } from "vitest";
import { executionPhaseName } from "@flytekit-ts/remote";
import { imageNodeVersion } from "@flytekit-ts/image-node";
import { flakyWf, nested, nodeVersionWf, viaLaunchPlanAndWorkflow } from "../workflows/flows.js";
import { finished, flowsDir, launch, remote } from "./support.js";

describe.concurrent("dynamic workflows and retries on FlytePropeller", () => {
  it("a dynamic calling a launch plan and a workflow", async () => {
    const name = await launch(flowsDir, "flows.ts", "viaLaunchPlanAndWorkflow", "--n", "3");
    await finished(name);
    expect(await remote().outputs(name, { entity: viaLaunchPlanAndWorkflow })).toEqual({ fromLaunchPlan: [1, 2, 5], fromWorkflow: [1, 2, 5] });
  });

  it("a dynamic whose children are dynamics", async () => {
    const name = await launch(flowsDir, "flows.ts", "nested", "--n", "3");
    await finished(name);
    // inner(1) = 0, inner(2) = 0 + 1, inner(3) = 0 + 1 + 4
    expect(await remote().outputs(name, { entity: nested })).toEqual({ o0: [0, 1, 5] });
  });

  it("a task failing recoverably is retried until it succeeds on its last attempt", async () => {
    const name = await launch(flowsDir, "flows.ts", "flakyWf");
    await finished(name);
    expect(await remote().outputs(name, { entity: flakyWf })).toEqual({ attempt: 2 });
  });

  it("a task's pod runs on the runtime image's Node.js", async () => {
    const name = await launch(flowsDir, "flows.ts", "nodeVersionWf");
    await finished(name);
    expect(await remote().outputs(name, { entity: nodeVersionWf })).toEqual({ o0: `v${imageNodeVersion()}` });
  });

  it("a task that always fails uses its retries, then the execution fails with its error", async () => {
    const name = await launch(flowsDir, "flows.ts", "alwaysFailsWf");
    const execution = await finished(name);
    expect(executionPhaseName(execution.closure?.phase)).toBe("FAILED");
    expect(execution.closure?.error?.message).toMatch(/attempt 1 fails on purpose/);
  });
});
