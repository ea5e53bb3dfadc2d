import { createHash } from "./hash.js";
import { flyteidl } from "@flytekit-ts/idl";
import { serializationContext, type SerializationContext } from "./context.js";
import { entityKind } from "./entities.js";
import { isDefaultLaunchPlan } from "./launch-plan.js";
import { launchPlanSpec } from "./launch-plan-spec.js";
import { CompileError } from "./problems.js";
import { compileWorkflowClosure, launchPlanInterface } from "./closure/index.js";
import { entityId, taskSpec, typedInterface } from "./serialize.js";
import type { AnyEntity, AnyTask, DynamicLike, LaunchPlanLike, ReferenceLike, WorkflowLike } from "./vocabulary.js";
import { WorkflowCompiler, defaultLaunchPlan, workflowSpec, type CompiledWorkflow } from "./workflow-compiler.js";

/** One registration file of a bundle: a task spec, a workflow spec or a launch plan, with its name. */
export type BundleEntry =
  | { readonly kind: "task"; readonly name: string; readonly spec: flyteidl.admin.TaskSpec.$Properties }
  | { readonly kind: "workflow"; readonly name: string; readonly spec: flyteidl.admin.WorkflowSpec.$Properties }
  | { readonly kind: "launchPlan"; readonly name: string; readonly spec: flyteidl.admin.LaunchPlan.$Properties };

/**
 * Everything to register for the given entities, in registration order (each entity after what it
 * calls — tasks, then workflows, then launch plans, as flytekit's serializer orders them). Every
 * workflow passed in gets its default launch plan; launch plans passed in or called are registered
 * after their workflow; map tasks get their own task; references are not registered (they are).
 */
export async function registrationBundle(entities: readonly AnyEntity[], ctx: SerializationContext): Promise<BundleEntry[]> {
  return (await compileRegistration(entities, ctx)).entries;
}

/** A registration bundle with the references its workflows call (for `checkBundle`: they are on the cluster already). */
export interface CompiledRegistration {
  readonly entries: BundleEntry[];
  readonly references: readonly ReferenceLike[];
}

/**
 * `registrationBundle`, also returning every reference the bundle's workflows call, so that
 * `checkBundle` can type their nodes by the interfaces the references declare.
 */
export async function compileRegistration(entities: readonly AnyEntity[], ctx: SerializationContext): Promise<CompiledRegistration> {
  const compiler = new WorkflowCompiler(ctx);
  const entries: BundleEntry[] = [];
  const references = new Set<ReferenceLike>();
  const added = new Set<AnyEntity>();
  const byName = new Map<string, AnyEntity>();
  const claim = (entity: AnyEntity): void => {
    const other = byName.get(entity.name);
    if (other && other !== entity) {
      throw new CompileError(`the bundle`, [
        { kind: "DuplicateNodeID", nodeId: entity.name, message: "two different entities are declared with this name; registered names must be unique" },
      ]);
    }
    byName.set(entity.name, entity);
  };

  const addTask = (t: AnyTask): void => {
    if (added.has(t)) return;
    claim(t);
    added.add(t);
    if (entityKind(t) === "dynamic") for (const hint of (t as DynamicLike).nodeDependencyHints) pending.push(hint);
    entries.push({ kind: "task", name: t.name, spec: taskSpec(t, ctx) });
  };
  // Launch plan names are their own namespace; a workflow's default launch plan has the workflow's name.
  const launchPlanNames = new Map<string, AnyEntity>();
  const claimLaunchPlan = (name: string, owner: AnyEntity): boolean => {
    const other = launchPlanNames.get(name);
    if (other === owner) return false;
    if (other) {
      throw new CompileError(`the bundle`, [
        {
          kind: "DuplicateNodeID",
          nodeId: name,
          message: "two different launch plans are declared with this name (a workflow's default launch plan has the workflow's name); registered names must be unique",
        },
      ]);
    }
    launchPlanNames.set(name, owner);
    return true;
  };

  const addWorkflow = async (compiled: CompiledWorkflow): Promise<void> => {
    if (added.has(compiled.workflow)) return;
    for (const r of compiled.references) references.add(r);
    for (const t of compiled.tasks) addTask(t);
    for (const sub of compiled.subWorkflows) await addWorkflow(sub);
    for (const lp of compiled.launchPlans) await addLaunchPlan(lp);
    if (added.has(compiled.workflow)) return;
    claim(compiled.workflow);
    added.add(compiled.workflow);
    entries.push({ kind: "workflow", name: compiled.workflow.name, spec: workflowSpec(compiled) });
  };
  const addLaunchPlan = async (lp: LaunchPlanLike): Promise<void> => {
    if (added.has(lp)) return;
    added.add(lp);
    await addWorkflow(await compiler.compile(lp.workflow));
    // A launch plan without a name or settings of its own is the workflow's default one.
    const owner = isDefaultLaunchPlan(lp) ? lp.workflow : lp;
    if (claimLaunchPlan(lp.name, owner)) entries.push({ kind: "launchPlan", name: lp.name, spec: await launchPlanSpec(lp, ctx) });
  };

  const pending: AnyEntity[] = [...entities];
  while (pending.length) {
    const entity = pending.shift() as AnyEntity;
    const kind = entityKind(entity);
    if (kind === "workflow") {
      const compiled = await compiler.compile(entity as WorkflowLike);
      await addWorkflow(compiled);
      if (entities.includes(entity) && claimLaunchPlan(entity.name, entity)) {
        entries.push({ kind: "launchPlan", name: entity.name, spec: await defaultLaunchPlan(compiled, ctx) });
      }
    } else if (kind === "launchPlan") await addLaunchPlan(entity as LaunchPlanLike);
    else if (kind !== "reference") addTask(entity as AnyTask);
  }
  return { entries, references: [...references] };
}

/** The bytes of an entry's message. */
export function encodeEntry(entry: BundleEntry): Uint8Array {
  switch (entry.kind) {
    case "task":
      return flyteidl.admin.TaskSpec.encode(entry.spec as flyteidl.admin.TaskSpec).finish();
    case "workflow":
      return flyteidl.admin.WorkflowSpec.encode(entry.spec as flyteidl.admin.WorkflowSpec).finish();
    case "launchPlan":
      return flyteidl.admin.LaunchPlan.encode(entry.spec as flyteidl.admin.LaunchPlan).finish();
  }
}

/** pyflyte's file names: `<index>_<name>_<1 task | 2 workflow | 3 launch plan>.pb`. */
export function entryFileName(entry: BundleEntry, index: number): string {
  const suffix = entry.kind === "task" ? 1 : entry.kind === "workflow" ? 2 : 3;
  return `${index}_${entry.name}_${suffix}.pb`;
}

/**
 * A version derived from content: the same source compiles to the same bytes and so the same version;
 * any change to any entity changes it. (Compile with an empty version, then register with this one.)
 */
export function contentVersion(entries: readonly BundleEntry[]): string {
  const hash = createHash("sha256");
  for (const entry of entries) {
    hash.update(entry.kind).update("\0").update(entry.name).update("\0").update(encodeEntry(entry));
  }
  return hash.digest("base64url").slice(0, 22);
}

/**
 * Compiles every workflow of a bundle as FlyteAdmin will at registration (FlytePropeller's compiler,
 * with the bundle's tasks and launch plans), so that what a cluster would reject fails here first.
 * Referenced tasks and launch plans (registered elsewhere, e.g. Python tasks by pyflyte) are typed by
 * the interfaces they declare, which FlyteAdmin then checks against the registered ones.
 * Throws a `ClosureCompileError` listing every problem.
 */
export function checkBundle(entries: readonly BundleEntry[], references: readonly ReferenceLike[] = []): void {
  const tasks = entries.flatMap((e) => (e.kind === "task" && e.spec.template ? [e.spec.template] : []));
  const workflows = new Map(entries.flatMap((e) => (e.kind === "workflow" && e.spec.template ? [[e.name, e.spec.template] as const] : [])));
  const launchPlans = entries.flatMap((e) =>
    e.kind === "launchPlan" ? [launchPlanInterface(e.spec, workflows.get(e.spec.spec?.workflowId?.name ?? "")?.interface ?? null)] : [],
  );
  for (const r of references) {
    const { resourceType } = r.reference;
    // A reference's id is its own: the context's coordinates never fill it in.
    const id = entityId(r, serializationContext({ image: "" }));
    const iface = typedInterface(r);
    if (resourceType === "task") tasks.push(r.reference.template ?? { id, type: "reference", interface: iface });
    else if (resourceType === "launchPlan") {
      // A launch plan's defaults are not known here: every declared input counts as optional.
      const parameters = Object.fromEntries(Object.entries(iface.inputs?.variables ?? {}).map(([name, v]) => [name, { var: v, required: false }]));
      launchPlans.push({ id, expectedInputs: { parameters }, expectedOutputs: iface.outputs ?? null });
    }
  }
  for (const entry of entries) {
    if (entry.kind !== "workflow") continue;
    compileWorkflowClosure(entry.spec, { tasks, launchPlans }, { label: `workflow "${entry.name}"` });
  }
}
