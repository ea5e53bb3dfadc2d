import { compileWorkflowClosure, launchPlanInterface, type LaunchPlanInterface } from "@flytekit-ts/compiler";
import { flyteidl, formatIdentifier, type JsonValue } from "@flytekit-ts/idl";
import type { AdminClient } from "../client.js";
import { AlreadyExistsError, InvalidArgumentError, NotFoundError } from "../errors.js";
import { RegistrationConflictError, RegistrationError } from "../remote-errors.js";
import { canonicalJson, jsonDifferences } from "./compare.js";
import { applyFastRegistration, entryId, hydrate, type Coordinates, type FastDistribution, type RegistrationEntry } from "./entries.js";

/** What registering an entity did: `created` it, or found it already registered with identical content (`exists`). */
export type RegistrationStatus = "created" | "exists";

/** One step of a registration, for progress displays. */
export interface RegistrationProgress {
  /** 1-based position of the entity, and how many there are. */
  index: number;
  total: number;
  kind: RegistrationEntry["kind"];
  id: flyteidl.core.Identifier;
  /** `registering` before the call; then `created`, `exists` (identical content already registered) or `activated`. */
  status: "registering" | RegistrationStatus | "activated";
}

export interface RegisterEntriesOptions extends Coordinates {
  /** Rewrite task args to fetch and unpack this uploaded source archive first (fast registration). */
  fast?: FastDistribution;
  /** Activate the launch plans after registering (UpdateLaunchPlan ACTIVE): all of them, or those the predicate picks. */
  activate?: boolean | ((name: string) => boolean);
  /** Called before and after each entity's registration. */
  onProgress?: (progress: RegistrationProgress) => void;
  signal?: AbortSignal;
}

/** One entity as `registerEntries` registered it. */
export interface RegisteredEntity {
  kind: RegistrationEntry["kind"];
  id: flyteidl.core.Identifier;
  status: RegistrationStatus;
}

/** What `registerEntries` registered, in order. */
export interface RegistrationResult {
  entities: RegisteredEntity[];
  /** Launch plans set ACTIVE. */
  activated: flyteidl.core.Identifier[];
  /** The specs as registered (coordinates filled in, fast args applied). */
  entries: RegistrationEntry[];
}

/** flyteadmin (≥ 1.10) says whether a duplicate is identical; older versions say ALREADY_EXISTS either way. */
const IDENTICAL = /identical structure already exists/i;
const DIFFERENT = /different structure already exists/i;

/**
 * Registers entries in order — each after what it references (tasks, then workflows, then launch
 * plans, as bundles are ordered) — under the given project, domain and version, as `pyflyte register`
 * does. Idempotent: an entity already registered with the same content counts as registered
 * (ALREADY_EXISTS; when the server does not say the content is identical, it is fetched and
 * compared); the same id with different content is a {@link RegistrationConflictError} naming the
 * entity and where it differs. Other failures are a {@link RegistrationError} naming the entity.
 * The entries are changed in place (hydrated) and returned.
 */
export async function registerEntries(client: AdminClient, entries: RegistrationEntry[], options: RegisterEntriesOptions): Promise<RegistrationResult> {
  hydrate(entries, options);
  if (options.fast) applyFastRegistration(entries, options.fast);
  const total = entries.length;
  const results: RegisteredEntity[] = [];
  const call = options.signal ? { signal: options.signal } : {};

  for (const [i, entry] of entries.entries()) {
    options.signal?.throwIfAborted();
    const id = entryId(entry);
    const progress = (status: RegistrationProgress["status"]) => options.onProgress?.({ index: i + 1, total, kind: entry.kind, id, status });
    progress("registering");
    let status: RegistrationStatus = "created";
    try {
      switch (entry.kind) {
        case "task":
          await client.admin.createTask({ id, spec: entry.spec }, call);
          break;
        case "workflow":
          await client.admin.createWorkflow({ id, spec: entry.spec }, call);
          break;
        case "launchPlan":
          await client.admin.createLaunchPlan({ id, spec: entry.spec.spec ?? {} }, call);
          break;
      }
    } catch (error) {
      if (error instanceof AlreadyExistsError) {
        if (!IDENTICAL.test(error.serverMessage)) {
          const differences = await compareRegistered(client, entry, id, entries);
          if (differences.length) throw new RegistrationConflictError(id, differences);
        }
        status = "exists";
      } else if (error instanceof InvalidArgumentError && DIFFERENT.test(error.serverMessage)) {
        // flyteadmin lists the differences in its own terms (`/template/Target/Container/image: a -> b`);
        // compared here they are named as this SDK's fields are, like the ALREADY_EXISTS case.
        const differences = await compareRegistered(client, entry, id, entries).catch(() => []);
        throw new RegistrationConflictError(id, differences, error.serverMessage);
      } else throw new RegistrationError(id, error);
    }
    results.push({ kind: entry.kind, id, status });
    progress(status);
  }

  const activated: flyteidl.core.Identifier[] = [];
  if (options.activate) {
    for (const [i, entry] of entries.entries()) {
      if (entry.kind !== "launchPlan") continue;
      if (typeof options.activate === "function" && !options.activate(entry.name)) continue;
      const id = entryId(entry);
      try {
        await client.admin.updateLaunchPlan({ id, state: flyteidl.admin.LaunchPlanState.ACTIVE }, call);
      } catch (error) {
        throw new RegistrationError(id, error);
      }
      activated.push(id);
      options.onProgress?.({ index: i + 1, total, kind: entry.kind, id, status: "activated" });
    }
  }
  return { entities: results, activated, entries };
}

/**
 * Where the registered entity differs from the entry ([] when identical). Tasks compare templates;
 * workflows compare what flyteadmin stores — the compiled closure — so the entry is compiled here
 * with FlytePropeller's compiler first; launch plans compare specs.
 */
async function compareRegistered(client: AdminClient, entry: RegistrationEntry, id: flyteidl.core.Identifier, batch: readonly RegistrationEntry[]): Promise<string[]> {
  switch (entry.kind) {
    case "task": {
      const registered = await client.admin.getTask({ id });
      const theirs = registered.closure?.compiledTask?.template;
      if (!theirs) return ["closure.compiledTask (missing on the server)"];
      return jsonDifferences(canonicalJson(flyteidl.core.TaskTemplate, theirs), canonicalJson(flyteidl.core.TaskTemplate, { ...entry.spec.template, id }), 20, "template");
    }
    case "workflow": {
      const registered = await client.admin.getWorkflow({ id });
      const theirs = registered.closure?.compiledWorkflow;
      if (!theirs) return ["closure.compiledWorkflow (missing on the server)"];
      const ours = compileWorkflowClosure(entry.spec, { tasks: await referencedTasks(client, entry, batch), launchPlans: await referencedLaunchPlans(client, entry, batch) });
      const view = (closure: flyteidl.core.ICompiledWorkflowClosure): JsonValue => ({
        primary: canonicalJson(flyteidl.core.WorkflowTemplate, closure.primary?.template ?? {}),
        subWorkflows: (closure.subWorkflows ?? [])
          .map((s) => canonicalJson(flyteidl.core.WorkflowTemplate, s.template ?? {}))
          .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)),
      });
      return jsonDifferences(view(theirs), view(ours), 20, "compiled");
    }
    case "launchPlan": {
      const registered = await client.admin.getLaunchPlan({ id });
      return jsonDifferences(canonicalJson(flyteidl.admin.LaunchPlanSpec, registered.spec ?? {}), canonicalJson(flyteidl.admin.LaunchPlanSpec, entry.spec.spec ?? {}), 20, "spec");
    }
  }
}

const key = (id: flyteidl.core.IIdentifier | null | undefined): string => formatIdentifier(id ?? {});

function references(spec: flyteidl.admin.IWorkflowSpec, kind: "task" | "launchPlan"): flyteidl.core.IIdentifier[] {
  const found: flyteidl.core.IIdentifier[] = [];
  const visit = (node: flyteidl.core.INode): void => {
    if (kind === "task" && node.taskNode?.referenceId) found.push(node.taskNode.referenceId);
    if (kind === "launchPlan" && node.workflowNode?.launchplanRef) found.push(node.workflowNode.launchplanRef);
    const branch = node.branchNode?.ifElse;
    if (branch) {
      for (const c of [branch.case, ...(branch.other ?? [])]) if (c?.thenNode) visit(c.thenNode);
      if (branch.elseNode) visit(branch.elseNode);
    }
    if (node.arrayNode?.node) visit(node.arrayNode.node);
  };
  for (const template of [spec.template, ...(spec.subWorkflows ?? [])]) {
    for (const node of template?.nodes ?? []) visit(node);
    if (template?.failureNode) visit(template.failureNode);
  }
  return found;
}

/** The task templates a workflow references: from this registration when there, else as registered. */
async function referencedTasks(client: AdminClient, entry: RegistrationEntry & { kind: "workflow" }, batch: readonly RegistrationEntry[]): Promise<flyteidl.core.ITaskTemplate[]> {
  const local = new Map(batch.flatMap((e) => (e.kind === "task" && e.spec.template ? [[key(e.spec.template.id), e.spec.template] as const] : [])));
  const out = new Map<string, flyteidl.core.ITaskTemplate>();
  for (const ref of references(entry.spec, "task")) {
    const k = key(ref);
    if (out.has(k)) continue;
    const template = local.get(k) ?? (await fetchOptional(() => client.admin.getTask({ id: ref })))?.closure?.compiledTask?.template;
    if (template) out.set(k, template);
  }
  return [...out.values()];
}

async function referencedLaunchPlans(client: AdminClient, entry: RegistrationEntry & { kind: "workflow" }, batch: readonly RegistrationEntry[]): Promise<LaunchPlanInterface[]> {
  const workflows = new Map(batch.flatMap((e) => (e.kind === "workflow" && e.spec.template ? [[key(e.spec.template.id), e.spec.template.interface ?? null] as const] : [])));
  const local = new Map(batch.flatMap((e) => (e.kind === "launchPlan" ? [[key(e.spec.id), e.spec] as const] : [])));
  const out: LaunchPlanInterface[] = [];
  for (const ref of references(entry.spec, "launchPlan")) {
    const lp = local.get(key(ref)) ?? (await fetchOptional(() => client.admin.getLaunchPlan({ id: ref })));
    if (lp) out.push(launchPlanInterface(lp, workflows.get(key(lp.spec?.workflowId)) ?? null));
  }
  return out;
}

async function fetchOptional<T>(get: () => Promise<T>): Promise<T | undefined> {
  try {
    return await get();
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}
