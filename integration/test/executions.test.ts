import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serializationContext } from "@flytekit-ts/compiler";
import { flyteidl } from "@flytekit-ts/idl";
import { ExecutionFailedError, InvalidArgumentError, NotFoundError, type AdminClient, type ExecutionHandle, type FlyteRemote } from "@flytekit-ts/remote";
import { IMAGE, adminClient, echoWf, remote, uniqueVersion } from "./support/remote.js";

let client: AdminClient;
let flyte: FlyteRemote;
let version: string;
beforeAll(async () => {
  client = adminClient();
  flyte = remote(client);
  version = uniqueVersion("exec");
  await flyte.register([echoWf], serializationContext({ image: IMAGE }), { version });
});
afterAll(() => client.close());

/**
 * There is no FlytePropeller (and no Kubernetes) behind this FlyteAdmin: CreateExecution stores the
 * execution and marks it FAILED when it cannot hand the workflow to propeller. Everything FlyteAdmin
 * itself does with an execution is real.
 */
describe("executions on a real FlyteAdmin", () => {
  let run: ExecutionHandle;

  it("launches a workflow with typed inputs; the record exists and the inputs read back typed, defaults filled in", async () => {
    run = await flyte.execute(echoWf, { n: 7, xs: [1.5, 2] }, { version, labels: { suite: "integration" } });
    const execution = await flyte.fetchExecution(run);
    expect(execution.id?.name).toBe(run.id.name);
    expect(execution.spec?.launchPlan?.name).toBe("integration.echo_wf");
    expect(execution.spec?.labels?.values).toEqual({ suite: "integration" });

    const inputs = await flyte.inputs(run);
    expect(inputs).toEqual({ n: 7, s: "x", xs: [1.5, 2] });
    const data = await client.admin.getExecutionData({ id: run.id });
    expect(Object.keys(data.fullInputs?.literals ?? {}).sort()).toEqual(["n", "s", "xs"]);
  });

  it("ends FAILED without a FlytePropeller; wait() returns it and outputs() throws a typed error", async () => {
    const final = await flyte.wait(run, { pollIntervalMs: 500, timeoutMs: 120_000 });
    expect(flyteidl.core.WorkflowExecution.Phase[final.closure?.phase ?? 0]).toBe("FAILED");
    const error = await flyte.outputs(run).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExecutionFailedError);
    expect((error as ExecutionFailedError).phase).toBe("FAILED");
  });

  it("lists the execution among the project's executions", async () => {
    const list = await client.admin.listExecutions({ id: { project: "flytesnacks", domain: "development" }, limit: 100, filters: `eq(execution_name,${run.id.name})` });
    expect(list.executions.map((e) => e.id?.name)).toEqual([run.id.name]);
  });

  it("relaunches it with the same inputs under a new name", async () => {
    const again = await flyte.relaunch(run);
    expect(again.id.name).not.toBe(run.id.name);
    expect(await flyte.inputs(again)).toEqual({ n: 7, s: "x", xs: [1.5, 2] });
  });

  it("terminating a finished execution is refused with a typed error", async () => {
    const error = await flyte.terminate(run).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as { code?: string }).code).toMatch(/^(FAILED_PRECONDITION|INVALID_ARGUMENT)$/);
  });

  it("answers NOT_FOUND for an unknown execution and INVALID_ARGUMENT for inputs it does not accept", async () => {
    await expect(flyte.fetchExecution("nosuchexecution")).rejects.toBeInstanceOf(NotFoundError);
    const bad = await client.admin
      .createExecution({
        project: "flytesnacks",
        domain: "development",
        name: `bad${Date.now().toString(36)}`,
        spec: { launchPlan: run.launched, metadata: { mode: flyteidl.admin.ExecutionMetadata.ExecutionMode.MANUAL } },
        inputs: { literals: { n: { scalar: { primitive: { stringValue: "not an int" } } } } },
      })
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(InvalidArgumentError);
  });
});
