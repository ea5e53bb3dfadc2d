import { flyteidl } from "@flytekit-ts/idl";
import { taskDescription, taskTemplateParts } from "@flytekit-ts/resources";
import type { TypeDescriptor } from "@flytekit-ts/types";
import {
  REGISTRATION_CONTEXT_ENV,
  encodeRegistrationContext,
  fastExecutePrefix,
  type SerializationContext,
} from "./context.js";
import { containerTaskTemplate, isContainerTask } from "./container-task.js";
import { entityKind } from "./entities.js";
import type { AnyEntity, AnyTask, MapTaskLike, ReferenceLike, Variables } from "./vocabulary.js";

const { ResourceType } = flyteidl.core;

const REFERENCE_TYPES = { task: ResourceType.TASK, workflow: ResourceType.WORKFLOW, launchPlan: ResourceType.LAUNCH_PLAN } as const;

/** The id an entity is registered under in this context (a reference's own id, whatever the context). */
export function entityId(entity: AnyEntity, ctx: SerializationContext): flyteidl.core.Identifier.$Properties {
  const kind = entityKind(entity);
  if (kind === "reference") {
    const { resourceType, project, domain, name, version } = (entity as ReferenceLike).reference;
    return { resourceType: REFERENCE_TYPES[resourceType], project, domain, name, version };
  }
  const id: flyteidl.core.Identifier.$Properties = {
    resourceType: kind === "workflow" ? ResourceType.WORKFLOW : kind === "launchPlan" ? ResourceType.LAUNCH_PLAN : ResourceType.TASK,
    name: entity.name,
  };
  // Empty coordinates stay unset, as pyflyte package leaves them for registration to fill in.
  if (ctx.project) id.project = ctx.project;
  if (ctx.domain) id.domain = ctx.domain;
  if (ctx.version) id.version = ctx.version;
  return id;
}

/** `TypedInterface` variables; the description defaults to the name, as flytekit's does without docstrings. */
export function variableMap(variables: Variables): flyteidl.core.VariableMap.$Properties {
  const out: Record<string, flyteidl.core.Variable.$Properties> = {};
  for (const [name, descriptor] of Object.entries(variables)) {
    out[name] = { type: (descriptor as TypeDescriptor<unknown>).literalType, description: name };
  }
  return { variables: out };
}

/** An entity's `TypedInterface`: its inputs and outputs as Flyte variables, in declaration order. */
export function typedInterface(entity: AnyEntity): flyteidl.core.TypedInterface.$Properties {
  return { inputs: variableMap(entity.inputs as Variables), outputs: variableMap(entity.outputs as Variables) };
}

/** Where a task reads and writes: Flyte's template variables, substituted by FlytePropeller in every pod. */
const IO_ARGS = [
  "--inputs",
  "{{.input}}",
  "--output-prefix",
  "{{.outputPrefix}}",
  "--raw-output-data-prefix",
  "{{.rawOutputDataPrefix}}",
  "--checkpoint-path",
  "{{.checkpointOutputPrefix}}",
  "--prev-checkpoint",
  "{{.prevCheckpointPrefix}}",
] as const;

/**
 * The container command the entrypoint runs: Flyte substitutes the `{{.…}}` template variables, and
 * the loader arguments after `--` tell `flyte-ts execute` where the task's code is.
 */
export function entrypointArgs(entity: AnyEntity, ctx: SerializationContext): string[] {
  const location = ctx.locate(entity);
  return [
    ...(ctx.fast ? fastExecutePrefix(ctx.fast) : []),
    "flyte-ts",
    "execute",
    ...IO_ARGS,
    "--",
    "module",
    location.module,
    "name",
    location.name,
  ];
}

/**
 * The container command of a map task, for one array index: `flyte-ts execute-map`, the same I/O
 * flags as `execute`, then `vars <bound inputs, comma-separated>` and the mapped task's loader
 * arguments (the analogue of flytekit's `pyflyte-map-execute … -- vars <bound> resolver <r> <args>`).
 * The index is `$BATCH_JOB_ARRAY_INDEX_OFFSET` (default 0) plus the value of the variable named by
 * `$BATCH_JOB_ARRAY_INDEX_VAR_NAME` (propeller sets it to `FLYTE_K8S_ARRAY_INDEX`).
 */
export function mapTaskArgs(entity: MapTaskLike, ctx: SerializationContext): string[] {
  const location = ctx.locate(entity.task);
  return [
    ...(ctx.fast ? fastExecutePrefix(ctx.fast) : []),
    "flyte-ts",
    "execute-map",
    ...IO_ARGS,
    "--",
    "vars",
    entity.boundInputs.join(","),
    "module",
    location.module,
    "name",
    location.name,
  ];
}

/**
 * A map task's template, as flytekit's `ArrayNodeMapTask` serializes: the mapped task's template
 * (metadata, image, resources, environment, pod template, security context) with the map entrypoint,
 * the list interface, its own id and `task_type_version` 1.
 */
function mapTaskTemplate(entity: MapTaskLike, ctx: SerializationContext): flyteidl.core.TaskTemplate.$Properties {
  const parts = taskTemplateParts(entity.settings, {
    args: mapTaskArgs(entity, ctx),
    defaultImage: ctx.image,
    sdkVersion: ctx.sdkVersion,
    inputNames: Object.keys(entity.inputs),
    subject: `map task "${entity.name}"`,
  });
  return { id: entityId(entity, ctx), type: "python-task", interface: typedInterface(entity), ...parts, taskTypeVersion: 1 };
}

/**
 * The `TaskTemplate` of a task, dynamic task or map task. Dynamic tasks are ordinary container tasks
 * at registration (flytekit emits `python-task` for both); they also carry the registration context.
 */
export function taskTemplate(entity: AnyTask, ctx: SerializationContext): flyteidl.core.TaskTemplate.$Properties {
  if (entityKind(entity) === "map") return mapTaskTemplate(entity as MapTaskLike, ctx);
  if (isContainerTask(entity)) return containerTaskTemplate(entity, ctx, { id: entityId(entity, ctx), interface: typedInterface(entity) });
  const dynamicEnv =
    entityKind(entity) === "dynamic"
      ? {
          [REGISTRATION_CONTEXT_ENV]: encodeRegistrationContext({
            project: ctx.project,
            domain: ctx.domain,
            version: ctx.version,
            image: ctx.image,
            ...(ctx.locations ? { locations: { ...ctx.locations() } } : {}),
          }),
        }
      : undefined;
  const parts = taskTemplateParts(entity.settings, {
    args: entrypointArgs(entity, ctx),
    defaultImage: ctx.image,
    sdkVersion: ctx.sdkVersion,
    inputNames: Object.keys(entity.inputs),
    subject: `task "${entity.name}"`,
    ...(dynamicEnv ? { env: dynamicEnv } : {}),
  });
  return { id: entityId(entity, ctx), type: "python-task", interface: typedInterface(entity), ...parts };
}

/** The registration envelope of a task (a map task has no description: flytekit's has no docstring). */
export function taskSpec(entity: AnyTask, ctx: SerializationContext): flyteidl.admin.TaskSpec.$Properties {
  if (entityKind(entity) === "map") return { template: taskTemplate(entity, ctx) };
  // flytekit registers a container task's description only when it was given docs.
  if (isContainerTask(entity) && entity.settings.docs === undefined) return { template: taskTemplate(entity, ctx) };
  return { template: taskTemplate(entity, ctx), description: taskDescription(entity.settings, `task "${entity.name}"`) };
}
