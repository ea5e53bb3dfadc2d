import { flyteidl, fromProtoJson, google, type JsonValue } from "@flytekit-ts/idl";
import type { Container as K8sContainer, PodSpec } from "kubernetes-types/core/v1.js";
import { checkAnnotations, checkDnsLabel, checkLabels, k8sObjectMetadataMessage, type Annotations, type Labels } from "./k8s-metadata.js";
import { checkKnownKeys, isPlainObject, show, type ProblemList } from "./problems.js";
import { hasNoResources, k8sResourceRequirements, type ResolvedResources } from "./resources.js";

/** A Kubernetes pod spec whose `containers` may be left out: the primary container is added for you. */
export type PodTemplateSpec = Omit<PodSpec, "containers"> & { readonly containers?: readonly K8sContainer[] };

/**
 * A pod to run the task in, as flytekit's `PodTemplate`: sidecars, volumes, tolerations, node selectors…
 * The task's own container (image, command, args, resources, environment) is merged into the container
 * named `primaryContainerName`, which is appended if the spec does not have one.
 */
export interface PodTemplate {
  /** The pod spec in Kubernetes' own (camelCase) JSON shape. */
  readonly podSpec?: PodTemplateSpec;
  /** The container that runs the task; default `"primary"`. */
  readonly primaryContainerName?: string;
  /** Labels for the pod. */
  readonly labels?: Labels;
  /** Annotations for the pod. */
  readonly annotations?: Annotations;
}

/** The container of a pod template the task's own container is merged into, unless `primaryContainerName` says otherwise. */
export const DEFAULT_PRIMARY_CONTAINER_NAME = "primary";
/** The `TaskTemplate.config` key propeller reads the primary container's name from. */
export const PRIMARY_CONTAINER_NAME_FIELD = "primary_container_name";

/** What the task contributes to its primary container. */
export interface PrimaryContainerParts {
  readonly image: string;
  readonly command: readonly string[];
  readonly args: readonly string[];
  readonly resources: ResolvedResources;
  /** In order; placed before any `env` the template's container already has. */
  readonly env: readonly (readonly [name: string, value: string])[];
}

type JsonObject = { [key: string]: JsonValue };

export function primaryContainerName(template: PodTemplate): string {
  return template.primaryContainerName ?? DEFAULT_PRIMARY_CONTAINER_NAME;
}

export function checkPodTemplate(problems: ProblemList, path: string, template: unknown): void {
  if (template === undefined) return;
  if (!isPlainObject(template)) {
    problems.add(path, template, `must be a pod template { podSpec?, primaryContainerName?, labels?, annotations? }, got ${show(template)}`);
    return;
  }
  checkKnownKeys(problems, path, template, ["podSpec", "primaryContainerName", "labels", "annotations"], "pod template field");
  const name = template["primaryContainerName"];
  if (name !== undefined) checkDnsLabel(problems, `${path}.primaryContainerName`, name, "container name");
  checkLabels(problems, `${path}.labels`, template["labels"]);
  checkAnnotations(problems, `${path}.annotations`, template["annotations"]);

  const spec = template["podSpec"];
  if (spec === undefined) return;
  if (!isPlainObject(spec)) {
    problems.add(`${path}.podSpec`, spec, `must be a Kubernetes pod spec object, got ${show(spec)}`);
    return;
  }
  const jsonProblem = nonJsonValue(spec, `${path}.podSpec`);
  if (jsonProblem) problems.add(jsonProblem.path, jsonProblem.value, "is not JSON data (functions, symbols, bigints, non-finite numbers and class instances cannot go into a pod spec)");
  const containers = spec["containers"];
  if (containers === undefined) return;
  if (!Array.isArray(containers)) {
    problems.add(`${path}.podSpec.containers`, containers, `must be a list of containers, got ${show(containers)}`);
    return;
  }
  const seen = new Set<string>();
  containers.forEach((container: unknown, i) => {
    const at = `${path}.podSpec.containers[${i}]`;
    if (!isPlainObject(container)) {
      problems.add(at, container, `must be a container object with a name, got ${show(container)}`);
      return;
    }
    const containerName = container["name"];
    checkDnsLabel(problems, `${at}.name`, containerName, "container name");
    if (typeof containerName === "string") {
      if (seen.has(containerName)) problems.add(`${at}.name`, containerName, `container name ${show(containerName)} is used twice`);
      seen.add(containerName);
    }
  });
}

/** The first place where `value` holds something JSON cannot carry faithfully. */
function nonJsonValue(value: unknown, path: string): { path: string; value: unknown } | undefined {
  if (value === null || typeof value === "string" || typeof value === "boolean") return undefined;
  if (typeof value === "number") return Number.isFinite(value) ? undefined : { path, value };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nonJsonValue(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (isPlainObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined) continue; // dropped, as Kubernetes clients drop unset fields
      const found = nonJsonValue(item, `${path}.${key}`);
      if (found) return found;
    }
    return undefined;
  }
  return { path, value };
}

/** A deep copy as plain JSON: unset (`undefined`) fields dropped, the caller's object never touched. */
function toJson(spec: PodTemplateSpec | undefined): JsonObject {
  const json = JSON.parse(JSON.stringify(spec ?? {})) as JsonObject;
  // flytekit's default pod spec is V1PodSpec(containers=[]); Kubernetes requires the field.
  if (!Array.isArray(json["containers"])) json["containers"] = [];
  return json;
}

/**
 * The pod spec flytekit's `_serialize_pod_spec` produces: the primary container found by name (or
 * appended), its image set only when the template left it empty, command and args replaced, requests
 * and limits replaced when the task has any, and the task's environment placed before the
 * container's own.
 */
export function taskPodSpec(template: PodTemplate, primary: PrimaryContainerParts): JsonObject {
  const spec = toJson(template.podSpec);
  const name = primaryContainerName(template);
  const containers = spec["containers"] as JsonObject[];
  let container = containers.find((c) => c["name"] === name);
  if (!container) {
    container = { name };
    containers.push(container);
  }
  if (typeof container["image"] !== "string" || container["image"] === "") container["image"] = primary.image;
  container["command"] = [...primary.command];
  container["args"] = [...primary.args];
  if (!hasNoResources(primary.resources)) container["resources"] = k8sResourceRequirements(primary.resources);
  const ownEnv = Array.isArray(container["env"]) ? container["env"] : [];
  const taskEnv = primary.env.map(([envName, value]): JsonObject => ({ name: envName, value }));
  // flytekit always writes the list, empty or not.
  container["env"] = [...taskEnv, ...ownEnv];
  spec["containers"] = containers;
  return spec;
}

function structOf(json: JsonObject): google.protobuf.Struct {
  return fromProtoJson(google.protobuf.Struct, json);
}

/**
 * The `k8s_pod` target of a task. Its `primary_container_name` stays unset: propeller reads the name
 * from `TaskTemplate.config` for tasks (see {@link PRIMARY_CONTAINER_NAME_FIELD}).
 */
export function taskK8sPod(template: PodTemplate, primary: PrimaryContainerParts): flyteidl.core.K8sPod {
  return flyteidl.core.K8sPod.create({
    metadata: k8sObjectMetadataMessage(template.labels, template.annotations),
    podSpec: structOf(taskPodSpec(template, primary)),
  });
}

/**
 * A node-level pod template override (`TaskNodeOverrides.pod_template`): the pod spec as given (the
 * task's container is merged by propeller), and — unlike the task level — the primary container's
 * name in `K8sPod.primary_container_name`, which is where propeller reads it for overrides.
 */
export function nodeK8sPod(template: PodTemplate): flyteidl.core.K8sPod {
  return flyteidl.core.K8sPod.create({
    metadata: k8sObjectMetadataMessage(template.labels, template.annotations),
    podSpec: structOf(toJson(template.podSpec)),
    primaryContainerName: primaryContainerName(template),
  });
}
