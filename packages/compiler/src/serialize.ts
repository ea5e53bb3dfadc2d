import { flyteidl } from "@flytekit-ts/idl";
import { taskDescription, taskTemplateParts } from "@flytekit-ts/resources";
import type { TypeDescriptor } from "@flytekit-ts/types";
import {
  REGISTRATION_CONTEXT_ENV,
  encodeRegistrationContext,
  type SerializationContext,
} from "./context.js";
import { entityKind, type AnyEntity, type AnyTask, type Variables } from "./entities.js";

const { ResourceType } = flyteidl.core;

/** The id an entity is registered under in this context. */
export function entityId(entity: AnyEntity, ctx: SerializationContext): flyteidl.core.Identifier.$Properties {
  const id: flyteidl.core.Identifier.$Properties = {
    resourceType: entityKind(entity) === "workflow" ? ResourceType.WORKFLOW : ResourceType.TASK,
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

export function typedInterface(entity: AnyEntity): flyteidl.core.TypedInterface.$Properties {
  return { inputs: variableMap(entity.inputs as Variables), outputs: variableMap(entity.outputs as Variables) };
}

/**
 * The container command the entrypoint runs: Flyte substitutes the `{{.…}}` template variables, and
 * the loader arguments after `--` tell `flyte-ts execute` where the task's code is.
 */
export function entrypointArgs(entity: AnyEntity, ctx: SerializationContext): string[] {
  const location = ctx.locate(entity);
  return [
    "flyte-ts",
    "execute",
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
    "--",
    "module",
    location.module,
    "name",
    location.name,
  ];
}

/**
 * The `TaskTemplate` of a task or dynamic task. Dynamic tasks are ordinary container tasks at
 * registration (flytekit emits `python-task` for both); they also carry the registration context.
 */
export function taskTemplate(entity: AnyTask, ctx: SerializationContext): flyteidl.core.TaskTemplate.$Properties {
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

/** The registration envelope of a task. */
export function taskSpec(entity: AnyTask, ctx: SerializationContext): flyteidl.admin.TaskSpec.$Properties {
  return { template: taskTemplate(entity, ctx), description: taskDescription(entity.settings, `task "${entity.name}"`) };
}
