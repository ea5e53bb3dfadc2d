import { flyteidl } from "@flytekit-ts/idl";
import {
  compareQuantities,
  isParsedQuantity,
  isWholeQuantity,
  parseQuantity,
  quantityText,
  type ParsedQuantity,
  type Quantity,
} from "./quantity.js";
import { checkKnownKeys, isPlainObject, show, type ProblemList } from "./problems.js";

/** The resources a task can ask for; Flyte's `Resources.ResourceName` without the unused `STORAGE`. */
export type ResourceName = "cpu" | "memory" | "gpu" | "ephemeralStorage";

export const RESOURCE_NAMES: readonly ResourceName[] = ["cpu", "memory", "gpu", "ephemeralStorage"];

/** flytekit's `Resources` field names, for hints when they turn up here. */
const FLYTEKIT_NAMES: Readonly<Record<string, ResourceName>> = {
  mem: "memory",
  disk: "ephemeralStorage",
  ephemeral_storage: "ephemeralStorage",
  storage: "ephemeralStorage",
};

/** Amounts per resource, used for `requests` and for `limits`. */
export type ResourceValues = { readonly [N in ResourceName]?: Quantity };

/** `[request, limit]`, as flytekit's `Resources(cpu=("1", "2"))`. */
export type RequestAndLimit = readonly [request: Quantity, limit: Quantity];

/**
 * Requests and limits in one object: a `[request, limit]` pair, or a single amount that is a request
 * only (flytekit's rule; Flyte's backend then uses the request as the limit, see the README).
 */
export type CombinedResources = { readonly [N in ResourceName]?: Quantity | RequestAndLimit };

/** The resource part of task settings and node overrides. */
export interface ResourceSettings {
  /** Minimum amounts the scheduler reserves. */
  readonly requests?: ResourceValues;
  /** Maximum amounts the container may use. */
  readonly limits?: ResourceValues;
  /** Requests and limits together; cannot be combined with `requests` / `limits`. */
  readonly resources?: CombinedResources;
}

/** Requests and limits as the quantity texts that go on the wire, only for the amounts given. */
export interface ResolvedResources {
  readonly requests: { readonly [N in ResourceName]?: string };
  readonly limits: { readonly [N in ResourceName]?: string };
}

// `flyteidl.core.Resources.ResourceName`'s value names, read when a template is built: touching a
// message class at import builds its protobuf type in every process that imports this package.
const RESOURCE_ENUM: Readonly<Record<ResourceName, keyof typeof flyteidl.core.Resources.ResourceName>> = {
  cpu: "CPU",
  memory: "MEMORY",
  gpu: "GPU",
  ephemeralStorage: "EPHEMERAL_STORAGE",
};

/**
 * Entry order flytekit writes for a task's container (`_get_container_definition`). Order carries no
 * meaning for Flyte, but keeping it makes our templates byte-comparable with flytekit's.
 */
export const CONTAINER_RESOURCE_ORDER: readonly ResourceName[] = ["ephemeralStorage", "cpu", "gpu", "memory"];
/** Entry order flytekit writes for node overrides (`convert_resources_to_resource_model`). */
export const OVERRIDE_RESOURCE_ORDER: readonly ResourceName[] = ["cpu", "memory", "gpu", "ephemeralStorage"];

/** Kubernetes names in a pod spec: flytekit lower-cases the enum name and turns `_` into `-`. */
const K8S_RESOURCE_NAME: Readonly<Record<ResourceName, string>> = {
  cpu: "cpu",
  memory: "memory",
  // Propeller renames "gpu" to the cluster's GPU resource (default nvidia.com/gpu).
  gpu: "gpu",
  ephemeralStorage: "ephemeral-storage",
};

/**
 * Validates requests, limits and combined resources: known names, valid non-negative quantities,
 * whole GPUs, `resources` not mixed with `requests`/`limits`, and every request at most its limit.
 */
export function checkResourceSettings(problems: ProblemList, settings: ResourceSettings, prefix = ""): void {
  const at = (name: string) => (prefix ? `${prefix}.${name}` : name);
  const requests = new Map<ResourceName, { path: string; q: ParsedQuantity }>();
  const limits = new Map<ResourceName, { path: string; q: ParsedQuantity }>();

  const checkValues = (field: "requests" | "limits", values: unknown, into: typeof requests) => {
    if (values === undefined) return;
    if (!isPlainObject(values)) {
      problems.add(at(field), values, `must be an object such as { cpu: "1", memory: "1Gi" }, got ${show(values)}`);
      return;
    }
    checkKnownKeys(problems, at(field), values, RESOURCE_NAMES, "resource", FLYTEKIT_NAMES);
    for (const name of RESOURCE_NAMES) {
      if (values[name] === undefined) continue;
      const q = checkAmount(problems, `${at(field)}.${name}`, name, values[name]);
      if (q) into.set(name, { path: `${at(field)}.${name}`, q });
    }
  };

  checkValues("requests", settings.requests, requests);
  checkValues("limits", settings.limits, limits);

  const combined: unknown = settings.resources;
  if (combined !== undefined) {
    if (settings.requests !== undefined || settings.limits !== undefined) {
      problems.add(at("resources"), combined, "cannot be combined with requests or limits; give either resources or requests/limits");
    }
    if (!isPlainObject(combined)) {
      problems.add(at("resources"), combined, `must be an object such as { cpu: ["1", "2"], memory: "1Gi" }, got ${show(combined)}`);
    } else {
      checkKnownKeys(problems, at("resources"), combined, RESOURCE_NAMES, "resource", FLYTEKIT_NAMES);
      for (const name of RESOURCE_NAMES) {
        const value = combined[name];
        const path = `${at("resources")}.${name}`;
        if (value === undefined) continue;
        if (Array.isArray(value)) {
          if (value.length !== 2) {
            problems.add(path, value, `must be a single amount or a [request, limit] pair, got ${value.length} values`);
            continue;
          }
          const request = checkAmount(problems, `${path}[0]`, name, value[0]);
          const limit = checkAmount(problems, `${path}[1]`, name, value[1]);
          if (request) requests.set(name, { path: `${path}[0]`, q: request });
          if (limit) limits.set(name, { path: `${path}[1]`, q: limit });
        } else {
          const request = checkAmount(problems, path, name, value);
          if (request) requests.set(name, { path, q: request });
        }
      }
    }
  }

  for (const [name, request] of requests) {
    const limit = limits.get(name);
    if (!limit) continue;
    if (compareQuantities(request.q, limit.q) > 0) {
      problems.add(
        request.path,
        request.q.text,
        `the ${name} request ${show(request.q.text)} is more than its limit ${show(limit.q.text)} (${limit.path})`,
      );
    } else if (name === "gpu" && compareQuantities(request.q, limit.q) !== 0) {
      // GPUs are a Kubernetes extended resource, which cannot be overcommitted: the API server
      // rejects a pod whose GPU request differs from its limit.
      problems.add(
        request.path,
        request.q.text,
        `the gpu request ${show(request.q.text)} must equal its limit ${show(limit.q.text)}: Kubernetes does not overcommit GPUs`,
      );
    }
  }
}

function checkAmount(problems: ProblemList, path: string, name: ResourceName, value: unknown): ParsedQuantity | undefined {
  const parsed = parseQuantity(value);
  if (!isParsedQuantity(parsed)) {
    problems.add(path, value, `${show(value)} ${parsed.error}`);
    return undefined;
  }
  if (parsed.numerator < 0n) {
    problems.add(path, value, `${show(value)} is negative; resource amounts must be zero or more`);
    return undefined;
  }
  if (name === "gpu" && !isWholeQuantity(parsed)) {
    problems.add(path, value, `${show(value)} is not a whole number of GPUs`);
    return undefined;
  }
  return parsed;
}

/** Requests and limits as wire texts. Assumes {@link checkResourceSettings} found no problems. */
export function resolveResources(settings: ResourceSettings): ResolvedResources {
  const requests: { [N in ResourceName]?: string } = {};
  const limits: { [N in ResourceName]?: string } = {};
  for (const name of RESOURCE_NAMES) {
    const request = settings.requests?.[name];
    const limit = settings.limits?.[name];
    if (request !== undefined) requests[name] = quantityText(request);
    if (limit !== undefined) limits[name] = quantityText(limit);
    const combined = settings.resources?.[name];
    if (Array.isArray(combined)) {
      const [req, lim] = combined as RequestAndLimit;
      requests[name] = quantityText(req);
      limits[name] = quantityText(lim);
    } else if (combined !== undefined) {
      // flytekit's ResourceSpec.from_multiple_resource: a single value sets the request only.
      requests[name] = quantityText(combined as Quantity);
    }
  }
  return { requests, limits };
}

/** True when no request or limit was given. */
export function hasNoResources(resolved: ResolvedResources): boolean {
  return Object.keys(resolved.requests).length === 0 && Object.keys(resolved.limits).length === 0;
}

/** `flyteidl.core.Resources` with entries only for the amounts given, in the given order. */
export function resourcesMessage(resolved: ResolvedResources, order: readonly ResourceName[]): flyteidl.core.Resources {
  const entries = (values: ResolvedResources["requests"]) =>
    order.flatMap((name) => {
      const value = values[name];
      return value === undefined ? [] : [flyteidl.core.Resources.ResourceEntry.create({ name: flyteidl.core.Resources.ResourceName[RESOURCE_ENUM[name]], value })];
    });
  return flyteidl.core.Resources.create({ requests: entries(resolved.requests), limits: entries(resolved.limits) });
}

/** Requests and limits keyed by Kubernetes resource names, for a pod spec's container. */
export function k8sResourceRequirements(resolved: ResolvedResources): {
  limits: Record<string, string>;
  requests: Record<string, string>;
} {
  const convert = (values: ResolvedResources["requests"]) => {
    const out: Record<string, string> = {};
    for (const name of CONTAINER_RESOURCE_ORDER) {
      const value = values[name];
      if (value !== undefined) out[K8S_RESOURCE_NAME[name]] = value;
    }
    return out;
  };
  return { limits: convert(resolved.limits), requests: convert(resolved.requests) };
}
