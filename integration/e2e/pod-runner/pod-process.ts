/**
 * What a pod asks for, as a local process: the primary container's command line, its environment,
 * and where its program comes from. Pure: no Kubernetes client, no processes (see runner.ts).
 */
import type { V1Container, V1Pod } from "@kubernetes/client-node";

/** The annotation FlytePropeller puts on a pod whose primary container is not its only one. */
export const PRIMARY_CONTAINER_ANNOTATION = "primary_container_name";

/**
 * An image mapped to a local installation: a pod whose image starts with `image` runs with `path`
 * (directories holding the image's programs, e.g. a `flyte-ts` shim or a virtualenv's `bin/`)
 * in front of the runner's own PATH.
 */
export interface ImageMapping {
  image: string;
  path: readonly string[];
}

export interface PodProcess {
  /** The primary container's name. */
  container: string;
  /** The container's image, as the pod names it. */
  image: string;
  /** `command` then `args`; argv[0] is looked up on `env.PATH`. */
  argv: string[];
  /** The runner's base environment, PATH with the image's directories first, then the container's `env`. */
  env: Record<string, string>;
}

/** A pod the runner cannot run, and why; it reports the pod Failed with this message. */
export class UnrunnablePodError extends Error {
  override name = "UnrunnablePodError";
}

export function podName(pod: V1Pod): string {
  return `${pod.metadata?.namespace ?? "?"}/${pod.metadata?.name ?? "?"}`;
}

export function primaryContainer(pod: V1Pod): V1Container {
  const containers = pod.spec?.containers ?? [];
  const wanted = pod.metadata?.annotations?.[PRIMARY_CONTAINER_ANNOTATION];
  if (wanted !== undefined) {
    const found = containers.find((c) => c.name === wanted);
    if (!found) throw new UnrunnablePodError(`pod ${podName(pod)}: its ${PRIMARY_CONTAINER_ANNOTATION} annotation names "${wanted}", which is not one of its containers (${containers.map((c) => c.name).join(", ")})`);
    return found;
  }
  const [only, ...rest] = containers;
  if (!only) throw new UnrunnablePodError(`pod ${podName(pod)} has no containers`);
  if (rest.length > 0) throw new UnrunnablePodError(`pod ${podName(pod)} has ${containers.length} containers and no ${PRIMARY_CONTAINER_ANNOTATION} annotation saying which one to run`);
  return only;
}

/** The value of an environment variable taken from the pod itself (the downward API's common fields). */
function fieldValue(pod: V1Pod, fieldPath: string, variable: string): string {
  switch (fieldPath) {
    case "metadata.name":
      return pod.metadata?.name ?? "";
    case "metadata.namespace":
      return pod.metadata?.namespace ?? "";
    case "metadata.uid":
      return pod.metadata?.uid ?? "";
    case "status.podIP":
    case "status.hostIP":
      return "127.0.0.1";
    default:
      throw new UnrunnablePodError(`pod ${podName(pod)}: env ${variable} refers to the field ${fieldPath}, which this runner does not provide`);
  }
}

export function podProcess(pod: V1Pod, mappings: readonly ImageMapping[], baseEnv: Readonly<Record<string, string | undefined>>): PodProcess {
  const container = primaryContainer(pod);
  const image = container.image ?? "";
  const mapping = mappings.find((m) => image.startsWith(m.image));
  if (!mapping) {
    throw new UnrunnablePodError(`pod ${podName(pod)}: container ${container.name} has the image "${image}", which is mapped to no local installation (mapped: ${mappings.map((m) => `${m.image}*`).join(", ") || "none"})`);
  }
  const argv = [...(container.command ?? []), ...(container.args ?? [])];
  if (argv.length === 0) throw new UnrunnablePodError(`pod ${podName(pod)}: container ${container.name} has neither command nor args (an image's own entrypoint is unknown here)`);
  if ((container.envFrom ?? []).length > 0) throw new UnrunnablePodError(`pod ${podName(pod)}: container ${container.name} uses envFrom, which this runner does not provide`);
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(baseEnv)) if (value !== undefined) env[key] = value;
  env["PATH"] = [...mapping.path, env["PATH"] ?? ""].filter((p) => p !== "").join(":");
  for (const variable of container.env ?? []) {
    if (variable.value !== undefined) env[variable.name] = variable.value;
    else if (variable.valueFrom?.fieldRef) env[variable.name] = fieldValue(pod, variable.valueFrom.fieldRef.fieldPath, variable.name);
    else if (variable.valueFrom) throw new UnrunnablePodError(`pod ${podName(pod)}: env ${variable.name} comes from a source this runner does not provide (only values and fieldRef)`);
    else env[variable.name] = "";
  }
  return { container: container.name, image, argv, env };
}
