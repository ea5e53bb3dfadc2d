import { entityKind, type AnyEntity } from "@flytekit-ts/compiler";
import { FlytekitError, flyteidl, formatIdentifier } from "@flytekit-ts/idl";
import {
  describeValue,
  formatIssue,
  formatLiteralType,
  guessType,
  isCastable,
  isRemoteUri,
  issuesOf,
  type LiteralType,
  type TypeContext,
  type TypeDescriptor,
} from "@flytekit-ts/types";
import type { AdminClient } from "../client.js";
import { NotFoundError } from "../errors.js";
import { InputError } from "../remote-errors.js";

const { ResourceType } = flyteidl.core;

/** An input as the registered entity declares it. */
export interface RemoteInput {
  type: LiteralType;
  /** Has a default (launch plan default input) or is optional. */
  required: boolean;
  default?: flyteidl.core.ILiteral;
}

/** What an execution of a registered entity takes and gives, from FlyteAdmin. */
export interface RemoteInterface {
  /** What is launched: a LAUNCH_PLAN or TASK id (a workflow is launched through its default launch plan). */
  launched: flyteidl.core.Identifier;
  inputs: Record<string, RemoteInput>;
  /** Launch plan inputs fixed at registration: they cannot be given. */
  fixed: string[];
  outputs: Record<string, LiteralType>;
}

/** An entity's Flyte identifier: resource type, project, domain, name, version. */
export type EntityId = flyteidl.core.IIdentifier;

/** The id an entity is registered under, for the given coordinates. Reference entities carry their own. */
export function registeredId(entity: AnyEntity, coords: { project: string; domain: string; version: string; org?: string }): flyteidl.core.Identifier {
  const kind: string = entityKind(entity);
  const base = { project: coords.project, domain: coords.domain, name: entity.name, version: coords.version, ...(coords.org ? { org: coords.org } : {}) };
  if (kind === "reference") {
    const ref = (entity as unknown as { reference: { resourceType: string; project: string; domain: string; name: string; version: string } }).reference;
    const resourceType = ref.resourceType === "task" ? ResourceType.TASK : ref.resourceType === "workflow" ? ResourceType.WORKFLOW : ResourceType.LAUNCH_PLAN;
    return flyteidl.core.Identifier.create({ resourceType, project: ref.project, domain: ref.domain, name: ref.name, version: ref.version });
  }
  if (kind === "workflow") return flyteidl.core.Identifier.create({ ...base, resourceType: ResourceType.WORKFLOW });
  if (kind === "launchPlan") return flyteidl.core.Identifier.create({ ...base, resourceType: ResourceType.LAUNCH_PLAN });
  return flyteidl.core.Identifier.create({ ...base, resourceType: ResourceType.TASK });
}

function variables(map: flyteidl.core.IVariableMap | null | undefined): Record<string, LiteralType> {
  return Object.fromEntries(Object.entries(map?.variables ?? {}).map(([name, v]) => [name, (v.type ?? {}) as LiteralType]));
}

/**
 * Fetches the registered interface of what `id` names: a task (GetTask), a launch plan
 * (GetLaunchPlan; expected inputs with defaults, fixed inputs) or a workflow (its default launch
 * plan: same name and version, as `pyflyte run` launches it). A launch plan without a version is
 * the active one.
 */
export async function fetchInterface(client: AdminClient, id: EntityId): Promise<RemoteInterface> {
  const type = id.resourceType ?? ResourceType.UNSPECIFIED;
  const where = formatIdentifier(id);
  try {
    if (type === ResourceType.TASK) {
      const task = await client.admin.getTask({ id });
      const iface = task.closure?.compiledTask?.template?.interface;
      const inputs = variables(iface?.inputs);
      return {
        launched: flyteidl.core.Identifier.create({ ...id, resourceType: ResourceType.TASK }),
        inputs: Object.fromEntries(Object.entries(inputs).map(([n, t]) => [n, { type: t, required: !acceptsNone(t) }])),
        fixed: [],
        outputs: variables(iface?.outputs),
      };
    }
    if (type === ResourceType.WORKFLOW || type === ResourceType.LAUNCH_PLAN) {
      const lpId = flyteidl.core.Identifier.create({ ...id, resourceType: ResourceType.LAUNCH_PLAN });
      const lp = lpId.version
        ? await client.admin.getLaunchPlan({ id: lpId })
        : await client.admin.getActiveLaunchPlan({ id: { project: lpId.project, domain: lpId.domain, name: lpId.name, ...(lpId.org ? { org: lpId.org } : {}) } });
      const parameters = Object.keys(lp.closure?.expectedInputs?.parameters ?? {}).length ? lp.closure?.expectedInputs?.parameters : lp.spec?.defaultInputs?.parameters;
      const fixed = Object.keys(lp.spec?.fixedInputs?.literals ?? {});
      let outputs = variables(lp.closure?.expectedOutputs);
      if (Object.keys(outputs).length === 0 && lp.spec?.workflowId) {
        const wf = await client.admin.getWorkflow({ id: lp.spec.workflowId });
        outputs = variables(wf.closure?.compiledWorkflow?.primary?.template?.interface?.outputs);
      }
      return {
        launched: flyteidl.core.Identifier.create({ ...(lp.id ?? lpId), resourceType: ResourceType.LAUNCH_PLAN }),
        inputs: Object.fromEntries(
          Object.entries(parameters ?? {})
            .filter(([name]) => !fixed.includes(name))
            .map(([name, p]) => {
              const t = (p.var?.type ?? {}) as LiteralType;
              const input: RemoteInput = { type: t, required: p.default ? false : (p.required ?? false) || !acceptsNone(t) };
              if (p.default) input.default = p.default;
              return [name, input];
            }),
        ),
        fixed,
        outputs,
      };
    }
  } catch (error) {
    if (error instanceof NotFoundError) {
      throw new FlytekitError("NOT_REGISTERED", `${where} is not registered${type === ResourceType.WORKFLOW ? " (or has no launch plan of the same name and version)" : ""}: ${error.serverMessage}`, { cause: error });
    }
    throw error;
  }
  throw new FlytekitError("USAGE", `cannot launch ${where}: give a TASK, WORKFLOW or LAUNCH_PLAN id`);
}

/** Optional inputs (unions with none) may be left out; Flyte binds none for them. */
function acceptsNone(type: LiteralType): boolean {
  return (type.unionType?.variants ?? []).some((v) => !!v && v.simple === flyteidl.core.SimpleType.NONE && !v.collectionType && !v.mapValueType);
}

/**
 * Checks inputs against the registered interface — and, when a local entity is given, that its
 * declaration matches what is registered — and converts them to literals. Every problem is reported
 * at once, before anything is sent. Local files among the inputs are uploaded with `upload` first.
 */
export async function inputLiterals(
  subject: string,
  remote: RemoteInterface,
  values: Readonly<Record<string, unknown>>,
  options: { entity?: AnyEntity; candidates?: readonly TypeDescriptor<unknown>[]; typeContext: TypeContext; upload: (path: string) => Promise<string> },
): Promise<flyteidl.core.LiteralMap> {
  const problems: string[] = [];
  const local = (options.entity?.inputs ?? {}) as Record<string, TypeDescriptor<unknown>>;
  const descriptors = new Map<string, TypeDescriptor<unknown>>();

  for (const name of Object.keys(values)) {
    const input = remote.inputs[name];
    if (!input) {
      if (remote.fixed.includes(name)) problems.push(`"${name}" is fixed by the launch plan and cannot be given`);
      else problems.push(`unknown input "${name}" (it takes ${Object.keys(remote.inputs).map((n) => `"${n}"`).join(", ") || "no inputs"})`);
      continue;
    }
    let descriptor: TypeDescriptor<unknown> | undefined = Object.hasOwn(local, name) ? local[name] : undefined;
    if (descriptor && !(isCastable(descriptor.literalType, input.type) && isCastable(input.type, descriptor.literalType))) {
      problems.push(
        `"${name}": the local declaration says ${formatLiteralType(descriptor.literalType)} but the registered entity takes ${formatLiteralType(input.type)} (register this version first?)`,
      );
      continue;
    }
    if (!descriptor) {
      try {
        descriptor = guessType(input.type, options.candidates ?? []);
      } catch (error) {
        problems.push(`"${name}": ${(error as Error).message}`);
        continue;
      }
    }
    const issues = issuesOf(descriptor, values[name]);
    if (issues.length) {
      problems.push(`"${name}": expected ${descriptor.name}, ${issues.map((i) => formatIssue(i)).join("; ")} (got ${describeValue(values[name])})`);
      continue;
    }
    descriptors.set(name, descriptor);
  }
  for (const [name, input] of Object.entries(remote.inputs)) {
    if (input.required && !Object.hasOwn(values, name)) problems.push(`missing required input "${name}" (${formatLiteralType(input.type)})`);
  }
  if (problems.length) throw new InputError(subject, problems);

  const literals: Record<string, flyteidl.core.ILiteral> = {};
  for (const [name, descriptor] of descriptors) {
    const type = (remote.inputs[name] as RemoteInput).type;
    const value = await uploadLocalFiles(values[name], type, options.upload);
    literals[name] = await descriptor.toLiteral(value, options.typeContext);
  }
  return flyteidl.core.LiteralMap.create({ literals: literals as Record<string, flyteidl.core.Literal> });
}

const isPath = (v: unknown): v is { path: string } => typeof v === "object" && v !== null && typeof (v as { path?: unknown }).path === "string";

/** Replaces local file paths (at any depth of lists, maps and unions) by the native URLs they were uploaded to. */
async function uploadLocalFiles(value: unknown, type: LiteralType, upload: (path: string) => Promise<string>): Promise<unknown> {
  if (type.blob && isPath(value)) {
    if (isRemoteUri(value.path)) return value;
    if (type.blob.dimensionality === flyteidl.core.BlobType.BlobDimensionality.MULTIPART) {
      throw new FlytekitError("USAGE", `${value.path}: local directories cannot be sent as inputs through the data proxy; upload it to the blob store and pass its URI`);
    }
    return { ...value, path: await upload(value.path) };
  }
  if (type.collectionType && Array.isArray(value)) return Promise.all(value.map((v) => uploadLocalFiles(v, type.collectionType as LiteralType, upload)));
  if (type.mapValueType && typeof value === "object" && value !== null && !Array.isArray(value) && !isPath(value)) {
    const entries = await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await uploadLocalFiles(v, type.mapValueType as LiteralType, upload)] as const));
    return Object.fromEntries(entries);
  }
  if (type.unionType && isPath(value)) {
    const blob = (type.unionType.variants ?? []).find((v) => v?.blob);
    if (blob) return uploadLocalFiles(value, blob as LiteralType, upload);
  }
  return value;
}
