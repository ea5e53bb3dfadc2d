import { readFile } from "node:fs/promises";
import {
  REGISTRATION_CONTEXT_ENV,
  decodeRegistrationContext,
  encodeEntry,
  encodeRegistrationContext,
  fastExecutePrefix,
  type BundleEntry,
  type FastDistribution,
} from "@flytekit-ts/compiler";

export type { FastDistribution };
import { FlytekitError, flyteidl, fromProtoJson, google, messageTypeForFile, toProtoJson, type JsonValue } from "@flytekit-ts/idl";
import { readTar } from "../tar.js";

/** Where entities are registered: every id of a bundle gets these unless it already names its own. */
export interface Coordinates {
  project: string;
  domain: string;
  version: string;
  /** Multi-tenant deployments only. */
  org?: string;
}

/** A registrable entry whose spec is a decoded message (safe to change; never shared with the caller). */
export type RegistrationEntry =
  | { readonly kind: "task"; readonly name: string; readonly spec: flyteidl.admin.TaskSpec }
  | { readonly kind: "workflow"; readonly name: string; readonly spec: flyteidl.admin.WorkflowSpec }
  | { readonly kind: "launchPlan"; readonly name: string; readonly spec: flyteidl.admin.LaunchPlan };

/** A private, decoded copy of a bundle entry (the compiler hands out plain objects that may be shared). */
export function toRegistrationEntry(entry: BundleEntry): RegistrationEntry {
  const bytes = encodeEntry(entry);
  switch (entry.kind) {
    case "task":
      return { kind: "task", name: entry.name, spec: flyteidl.admin.TaskSpec.decode(bytes) };
    case "workflow":
      return { kind: "workflow", name: entry.name, spec: flyteidl.admin.WorkflowSpec.decode(bytes) };
    case "launchPlan":
      return { kind: "launchPlan", name: entry.name, spec: flyteidl.admin.LaunchPlan.decode(bytes) };
  }
}

/**
 * The entries of a registration bundle (`flyte-ts package` or `pyflyte package` output): a .tgz, its
 * bytes, or its files. Files are `<index>_<name>_<1|2|3>.pb` and are returned in index order, which is
 * registration order.
 */
export async function readBundle(source: string | Uint8Array): Promise<RegistrationEntry[]> {
  const archive = typeof source === "string" ? await readFile(source) : source;
  const files = readTar(archive).filter((f) => f.path.endsWith(".pb"));
  const indexed = files.map((f) => {
    const base = f.path.split("/").pop() ?? f.path;
    const match = /^(\d+)_(.+)_([123])\.pb$/.exec(base);
    if (!match) throw new FlytekitError("INVALID_BUNDLE", `${base} is not a bundle member (<index>_<name>_<1|2|3>.pb)`);
    return { index: Number(match[1]), base, data: f.data };
  });
  if (indexed.length === 0) throw new FlytekitError("INVALID_BUNDLE", "the bundle holds no .pb files");
  indexed.sort((a, b) => a.index - b.index || (a.base < b.base ? -1 : 1));
  return indexed.map(({ base, data }): RegistrationEntry => {
    const type = messageTypeForFile(base);
    try {
      if (type === "flyteidl.admin.TaskSpec") {
        const spec = flyteidl.admin.TaskSpec.decode(data);
        return { kind: "task", name: spec.template?.id?.name || nameOf(base), spec };
      }
      if (type === "flyteidl.admin.WorkflowSpec") {
        const spec = flyteidl.admin.WorkflowSpec.decode(data);
        return { kind: "workflow", name: spec.template?.id?.name || nameOf(base), spec };
      }
      const spec = flyteidl.admin.LaunchPlan.decode(data);
      return { kind: "launchPlan", name: spec.id?.name || nameOf(base), spec };
    } catch (cause) {
      throw new FlytekitError("INVALID_BUNDLE", `${base} does not decode as ${type ?? "a bundle message"}: ${(cause as Error).message}`, { cause });
    }
  });
}

const nameOf = (base: string): string => base.replace(/^\d+_/, "").replace(/_[123]\.pb$/, "");

/** pyflyte's placeholders for coordinates left to registration (older `pyflyte package` wrote them). */
const PLACEHOLDER = /^\{\{\s*registration\.(project|domain|version)\s*\}\}$/;
const unset = (value: string | null | undefined): boolean => !value || PLACEHOLDER.test(value);

/** Fills the coordinates an id leaves empty (as pyflyte's registration does); ids that name their own keep them. */
export function hydrateId(id: flyteidl.core.IIdentifier | null | undefined, coords: Coordinates): void {
  if (!id) return;
  if (unset(id.project)) id.project = coords.project;
  if (unset(id.domain)) id.domain = coords.domain;
  if (unset(id.version)) id.version = coords.version;
  if (coords.org && !id.org) id.org = coords.org;
}

function hydrateNode(node: flyteidl.core.INode, coords: Coordinates): void {
  hydrateId(node.taskNode?.referenceId, coords);
  hydrateId(node.workflowNode?.launchplanRef, coords);
  hydrateId(node.workflowNode?.subWorkflowRef, coords);
  const branch = node.branchNode?.ifElse;
  if (branch) {
    for (const c of [branch.case, ...(branch.other ?? [])]) if (c?.thenNode) hydrateNode(c.thenNode, coords);
    if (branch.elseNode) hydrateNode(branch.elseNode, coords);
  }
  if (node.arrayNode?.node) hydrateNode(node.arrayNode.node, coords);
}

function hydrateWorkflow(template: flyteidl.core.IWorkflowTemplate | null | undefined, coords: Coordinates): void {
  if (!template) return;
  hydrateId(template.id, coords);
  for (const node of template.nodes ?? []) hydrateNode(node, coords);
  if (template.failureNode) hydrateNode(template.failureNode, coords);
}

/** A task's containers: the `container` target and every container of a `k8s_pod` target, as JSON. */
function editContainers(template: flyteidl.core.ITaskTemplate, edit: (container: { args: string[]; env: [string, string][] }) => void): void {
  if (template.container) {
    const c = template.container;
    const view = { args: [...(c.args ?? [])], env: (c.env ?? []).map((kv): [string, string] => [kv.key ?? "", kv.value ?? ""]) };
    edit(view);
    c.args = view.args;
    c.env = view.env.map(([key, value]) => flyteidl.core.KeyValuePair.create({ key, value }));
  }
  const podSpec = template.k8sPod?.podSpec;
  if (template.k8sPod && podSpec) {
    const json = toProtoJson(google.protobuf.Struct, google.protobuf.Struct.fromObject(podSpec as { [k: string]: unknown })) as Record<string, JsonValue>;
    const containers = Array.isArray(json["containers"]) ? json["containers"] : [];
    for (const container of containers) {
      if (!container || typeof container !== "object" || Array.isArray(container)) continue;
      const args = Array.isArray(container["args"]) ? container["args"].map(String) : [];
      const env = Array.isArray(container["env"])
        ? container["env"].flatMap((e): [string, string][] => (e && typeof e === "object" && !Array.isArray(e) && typeof e["value"] === "string" ? [[String(e["name"]), e["value"]]] : []))
        : [];
      const view = { args, env };
      edit(view);
      if (args.length || view.args.length) container["args"] = view.args;
      if (Array.isArray(container["env"])) {
        const values = new Map(view.env);
        container["env"] = container["env"].map((e) =>
          e && typeof e === "object" && !Array.isArray(e) && values.has(String(e["name"])) ? { ...e, value: values.get(String(e["name"])) as string } : e,
        );
      }
    }
    template.k8sPod.podSpec = fromProtoJson(google.protobuf.Struct, json);
  }
}

/**
 * Fills project, domain and version into every id and every reference of the entries (task ids,
 * workflow ids, task and launch plan references in nodes — branches, array and failure nodes
 * included — sub-workflow templates, a launch plan's workflow id) and into the registration context
 * (`_FTS_SS_C`) of dynamic tasks, so that the children they create at run time are referenced under
 * the same coordinates. Ids that already name a project, domain or version keep them (references to
 * entities registered elsewhere). Changes the entries in place.
 */
export function hydrate(entries: readonly RegistrationEntry[], coords: Coordinates): void {
  for (const field of ["project", "domain", "version"] as const) {
    if (!coords[field]) throw new FlytekitError("USAGE", `registration needs a ${field}`);
  }
  for (const entry of entries) {
    switch (entry.kind) {
      case "task": {
        const template = entry.spec.template;
        if (!template) throw new FlytekitError("INVALID_BUNDLE", `task ${entry.name} has no template`);
        hydrateId(template.id, coords);
        editContainers(template, (c) => {
          for (const kv of c.env) {
            if (kv[0] !== REGISTRATION_CONTEXT_ENV) continue;
            const context = decodeRegistrationContext(kv[1]);
            kv[1] = encodeRegistrationContext({
              ...context,
              project: unset(context.project) ? coords.project : context.project,
              domain: unset(context.domain) ? coords.domain : context.domain,
              version: unset(context.version) ? coords.version : context.version,
            });
          }
        });
        break;
      }
      case "workflow":
        hydrateWorkflow(entry.spec.template, coords);
        for (const sub of entry.spec.subWorkflows ?? []) hydrateWorkflow(sub, coords);
        break;
      case "launchPlan":
        hydrateId(entry.spec.id, coords);
        hydrateId(entry.spec.spec?.workflowId, coords);
        break;
    }
  }
}

/**
 * The args of a fast-registered task: `flyte-ts fast-execute --additional-distribution <url>
 * --dest-dir <dir> -- flyte-ts execute …` (or `… -- flyte-ts execute-map …` for a map task). Args that already use fast-execute get the new
 * distribution; pyflyte's `{{ .remote_package_path }}` / `{{ .dest_dir }}` placeholders are
 * substituted; anything else (a custom command) is left alone.
 */
export function fastExecuteArgs(args: readonly string[], fast: FastDistribution): string[] {
  const substituted = args.map((a) => a.replace(/\{\{\s*\.remote_package_path\s*\}\}/g, fast.distribution).replace(/\{\{\s*\.dest_dir\s*\}\}/g, fast.destDir));
  if (substituted[0] === "flyte-ts" && substituted[1] === "fast-execute") {
    const separator = substituted.indexOf("--");
    const inner = separator < 0 ? [] : substituted.slice(separator + 1);
    return fastExecutePrefix(fast).concat(inner);
  }
  if (substituted[0] === "flyte-ts" && (substituted[1] === "execute" || substituted[1] === "execute-map")) return fastExecutePrefix(fast).concat(substituted);
  return substituted;
}

/** Rewrites every task's container args (and pod containers') to fetch and unpack the distribution first. In place. */
export function applyFastRegistration(entries: readonly RegistrationEntry[], fast: FastDistribution): void {
  for (const entry of entries) {
    if (entry.kind !== "task" || !entry.spec.template) continue;
    editContainers(entry.spec.template, (c) => {
      c.args = fastExecuteArgs(c.args, fast);
    });
  }
}

/** The registered id of an entry (after hydration). */
export function entryId(entry: RegistrationEntry): flyteidl.core.Identifier {
  const { ResourceType } = flyteidl.core;
  const id = entry.kind === "task" ? entry.spec.template?.id : entry.kind === "workflow" ? entry.spec.template?.id : entry.spec.id;
  return flyteidl.core.Identifier.create({
    ...(id ?? {}),
    resourceType: entry.kind === "task" ? ResourceType.TASK : entry.kind === "workflow" ? ResourceType.WORKFLOW : ResourceType.LAUNCH_PLAN,
    name: id?.name || entry.name,
  });
}
