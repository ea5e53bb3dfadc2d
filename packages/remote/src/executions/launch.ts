/** Starting an execution: its name, its spec from the launch options, and a CreateExecution that is safe to retry. */
import { randomBytes } from "node:crypto";
import { FlytekitError, flyteidl } from "@flytekit-ts/idl";
import type { AdminClient } from "../client.js";
import { AlreadyExistsError } from "../errors.js";
import type { ExecuteOptions } from "../remote-types.js";

const EXECUTION_NAME = /^[a-z][a-z0-9-]{0,62}$/;

/** The name given (checked), else a random `f…` name, as flytekit's. */
export function executionName(given: string | undefined): string {
  const name = given ?? `f${randomBytes(10).toString("hex").slice(0, 19)}`;
  if (!EXECUTION_NAME.test(name)) throw new FlytekitError("USAGE", `execution name "${name}" must match ^[a-z][a-z0-9-]*$ and be at most 63 characters`);
  return name;
}

/** The ExecutionSpec launching `launchPlan` (a launch plan or task id) with the options given. */
export function executionSpec(launchPlan: flyteidl.core.Identifier, options: ExecuteOptions): flyteidl.admin.IExecutionSpec {
  return {
    launchPlan,
    metadata: { mode: flyteidl.admin.ExecutionMetadata.ExecutionMode.MANUAL, principal: "placeholder", nesting: 0 },
    ...(options.labels ? { labels: { values: options.labels } } : {}),
    ...(options.annotations ? { annotations: { values: options.annotations } } : {}),
    ...(options.envs ? { envs: { values: Object.entries(options.envs).map(([key, value]) => ({ key, value })) } } : {}),
    ...(options.overwriteCache ? { overwriteCache: true } : {}),
    ...(options.interruptible !== undefined ? { interruptible: { value: options.interruptible } } : {}),
    ...(options.serviceAccount ? { securityContext: { runAs: { k8sServiceAccount: options.serviceAccount } } } : {}),
    ...(options.rawOutputDataPrefix ? { rawOutputDataConfig: { outputLocationPrefix: options.rawOutputDataPrefix } } : {}),
  };
}

/**
 * CreateExecution under a name chosen here, so a retry after a lost answer cannot start a second
 * execution: when our own earlier attempt got through before the connection dropped, the
 * execution it created is the one returned. A name the caller gave is theirs; its clash is an error.
 */
export async function createExecution(
  client: AdminClient,
  request: { project: string; domain: string; name: string; org: string | undefined; spec: flyteidl.admin.IExecutionSpec; inputs: flyteidl.core.LiteralMap },
  options: { nameGiven: boolean; signal: AbortSignal | undefined },
): Promise<flyteidl.core.WorkflowExecutionIdentifier> {
  const { project, domain, name, org, spec, inputs } = request;
  try {
    const created = await client.admin.createExecution(
      { project, domain, name, spec, inputs, ...(org ? { org } : {}) },
      { idempotent: true, ...(options.signal ? { signal: options.signal } : {}) },
    );
    return flyteidl.core.WorkflowExecutionIdentifier.create(created.id ?? { project, domain, name });
  } catch (error) {
    if (!(error instanceof AlreadyExistsError && error.attempts > 1 && !options.nameGiven)) throw error;
    return flyteidl.core.WorkflowExecutionIdentifier.create({ project, domain, name, ...(org ? { org } : {}) });
  }
}
