import { flyteidl } from "./generated/flyteidl.js";

/** The parts of a Flyte entity id other than its kind. `org` is optional, as in the IDL. */
export interface EntityCoordinates {
  project: string;
  domain: string;
  name: string;
  version: string;
  org?: string;
}

type ResourceTypeName = "TASK" | "WORKFLOW" | "LAUNCH_PLAN";

function makeIdentifier(resourceType: ResourceTypeName, c: EntityCoordinates): flyteidl.core.Identifier {
  return flyteidl.core.Identifier.create({
    resourceType: flyteidl.core.ResourceType[resourceType],
    project: c.project,
    domain: c.domain,
    name: c.name,
    version: c.version,
    ...(c.org ? { org: c.org } : {}),
  });
}

/** `Identifier{resource_type: TASK, ...}`, as flytekit builds a task id. */
export const taskId = (c: EntityCoordinates): flyteidl.core.Identifier => makeIdentifier("TASK", c);
/** `Identifier{resource_type: WORKFLOW, ...}`. */
export const workflowId = (c: EntityCoordinates): flyteidl.core.Identifier => makeIdentifier("WORKFLOW", c);
/** `Identifier{resource_type: LAUNCH_PLAN, ...}`. */
export const launchPlanId = (c: EntityCoordinates): flyteidl.core.Identifier => makeIdentifier("LAUNCH_PLAN", c);

/**
 * A readable one-line form of an id, e.g. `TASK flytesnacks/development/my.tasks.t1@v1` — for error
 * messages and logs, not for the wire.
 */
export function formatIdentifier(id: flyteidl.core.Identifier.$Properties): string {
  const kind = flyteidl.core.ResourceType[id.resourceType ?? 0] ?? String(id.resourceType);
  const org = id.org ? `${id.org}:` : "";
  return `${kind} ${org}${id.project ?? ""}/${id.domain ?? ""}/${id.name ?? ""}@${id.version ?? ""}`;
}
