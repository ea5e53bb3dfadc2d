import { flyteidl, google, toProtoJson } from "@flytekit-ts/idl";
import { ClosureCompileError, Errors, issue } from "./errors.js";
import { formatId } from "./ids.js";

type TaskTemplate = flyteidl.core.TaskTemplate.$Properties;
type ResourceEntry = flyteidl.core.Resources.ResourceEntry.$Properties;

/** A decoded or plain task template, or a CompiledTask wrapping one. */
export type TaskLike = TaskTemplate | flyteidl.core.CompiledTask.$Properties;

export function taskTemplateOf(task: TaskLike): TaskTemplate | undefined {
  if ("template" in task && task.template !== undefined) return task.template ?? undefined;
  return task as TaskTemplate;
}

/** A deep copy as a decoded message, so that compiling never touches the caller's objects. */
export function cloneTask(task: TaskTemplate): flyteidl.core.TaskTemplate {
  const { TaskTemplate } = flyteidl.core;
  return TaskTemplate.decode(TaskTemplate.encode(task).finish());
}

/**
 * Kubernetes' resource.Quantity grammar (what propeller parses CPU/memory values with): a signed
 * decimal number followed by a binary SI suffix (Ki…Ei), a decimal SI suffix (m, k, M…E) or an
 * exponent (e3, E-2).
 */
const QUANTITY = /^[+-]?(\d+(\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

/** A DNS-1123 label, which Kubernetes requires of container names. */
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function validateResourceEntries(entries: readonly ResourceEntry[] | null | undefined, errs: Errors): void {
  for (const entry of entries ?? []) {
    const value = entry.value ?? "";
    if (!QUANTITY.test(value)) {
      const name = flyteidl.core.Resources.ResourceName[entry.name ?? 0] ?? String(entry.name);
      errs.collect(issue("UnrecognizedValue", `resources.${name}`, `Unrecognized value [${value}].`));
    }
  }
}

function validateContainer(task: TaskTemplate, errs: Errors): void {
  const container = task.container;
  if (!container) {
    errs.collect(issue("ValueRequired", "root", "Value required [container]."));
    return;
  }
  const iface = task.interface;
  const hasVariables = (map: flyteidl.core.VariableMap.$Properties | null | undefined) => Object.keys(map?.variables ?? {}).length > 0;
  // A task that takes or returns values needs a command or args to receive/produce them.
  if (iface && (hasVariables(iface.inputs) || hasVariables(iface.outputs))) {
    if ((container.command ?? []).length === 0 && (container.args ?? []).length === 0) {
      errs.collect(issue("ValueRequired", "container", "Value required [command]."));
    }
  }
  if (!container.image) errs.collect(issue("ValueRequired", "container", "Value required [image]."));
  if (container.resources) {
    validateResourceEntries(container.resources.requests, errs);
    validateResourceEntries(container.resources.limits, errs);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function validateK8sPod(task: TaskTemplate, errs: Errors): void {
  const pod = task.k8sPod;
  if (!pod) {
    errs.collect(issue("ValueRequired", "root", "Value required [k8s pod]."));
    return;
  }
  const spec = pod.podSpec
    ? (toProtoJson(google.protobuf.Struct, google.protobuf.Struct.fromObject(pod.podSpec as { [k: string]: unknown }) as google.protobuf.Struct) as unknown)
    : undefined;
  // Propeller decodes the struct into a Kubernetes PodSpec; a shape that cannot decode is invalid.
  const containers = isObject(spec) ? spec["containers"] : undefined;
  const containersDecode =
    containers === undefined || containers === null || (Array.isArray(containers) && containers.every((c) => isObject(c) && (c["name"] === undefined || typeof c["name"] === "string")));
  const decodes = isObject(spec) && containersDecode;
  if (!decodes) {
    errs.collect(issue("InvalidValue", "root", "Invalid value [k8s pod spec]."));
    return;
  }
  for (const container of (containers as Record<string, unknown>[] | null | undefined) ?? []) {
    const name = (container["name"] as string | undefined) ?? "";
    if (name.length > 63 || !DNS1123_LABEL.test(name)) {
      errs.collect(issue("InvalidValue", "root", "Invalid value [k8s pod spec container name]."));
    }
  }
}

/** Collects what propeller's CompileTask rejects in a task template. */
export function validateTask(task: TaskTemplate, errs: Errors): void {
  if (!task.id) errs.collect(issue("ValueRequired", "root", "Value required [Id]."));
  if (task.container) validateContainer(task, errs.scope());
  else if (task.k8sPod) validateK8sPod(task, errs.scope());
}

/**
 * Compiles a task template as FlytePropeller (and flyteadmin at registration) does: checks that a
 * container has an image, a command or args when the task has inputs or outputs, and parseable
 * resource quantities; that a pod spec decodes and names its containers DNS-1123 labels. The
 * result is `CompiledTask{template}` with the template unchanged (copied).
 *
 * @throws ClosureCompileError listing every problem found.
 */
export function compileTask(task: TaskTemplate): flyteidl.core.CompiledTask {
  const errs = new Errors();
  validateTask(task, errs);
  if (errs.hasErrors()) throw new ClosureCompileError(`task ${formatId(task.id)}`, errs.list());
  return flyteidl.core.CompiledTask.create({ template: cloneTask(task) });
}
