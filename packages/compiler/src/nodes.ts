import { createHash } from "./hash.js";
import { InvalidSettingsError, nodeOverrides, type NodeOverrideSettings } from "@flytekit-ts/resources";
import { isEntityTarget } from "./builder.js";
import { WorkflowUsageError } from "./problems.js";
import { isRef, refData, describe } from "./refs.js";
import { ENTITY, NODE, type NodeOverrideOptions, type NodeRecord, type NodeTarget, type Ref } from "./vocabulary.js";

/** Something that stands for a node: the outputs of a call, or a reference to one of them. */
export type NodeLike = { readonly [NODE]: NodeRecord } | Ref<unknown>;

/** The node behind a call's outputs or an output reference. */
export function nodeOf(value: unknown, where: string): NodeRecord {
  if (typeof value === "object" && value !== null) {
    const record = (value as { [NODE]?: NodeRecord })[NODE];
    if (record) return record;
    if (isRef(value)) {
      const data = refData(value);
      if (data.node) return data.node;
      throw new WorkflowUsageError(`${where}: ${describe(data)} is not a node; pass the outputs of a call (or one of them)`);
    }
  }
  throw new WorkflowUsageError(`${where} takes the outputs of a call (what t1({ … }) returned) or one of its outputs, got ${value === null ? "null" : typeof value}`);
}

/** Whether a node target runs a task (and so takes resource, image and pod overrides). */
function runsTask(target: NodeTarget): boolean {
  const kind = isEntityTarget(target) ? target[ENTITY] : undefined;
  if (kind === "task" || kind === "dynamic" || kind === "map") return true;
  return kind === "reference" && (target as { reference: { resourceType: string } }).reference.resourceType === "task";
}

const TASK_ONLY: readonly (keyof NodeOverrideSettings)[] = ["requests", "limits", "resources", "accelerator", "sharedMemory", "podTemplate", "containerImage"];

/**
 * Overrides settings of one node — flytekit's `with_overrides` — and returns what it was given, so a
 * call can be wrapped in place:
 *
 * ```ts
 * const { o0 } = withOverrides(train({ data }), { retries: 3, requests: { gpu: 1 }, accelerator: T4, nodeName: "train-big" });
 * ```
 *
 * Settings are checked here; repeated calls merge (later values win). Resources, accelerator, shared
 * memory, pod template and image apply to task nodes (and map tasks) only.
 */
export function withOverrides<N extends NodeLike>(node: N, settings: NodeOverrideOptions): N {
  const record = nodeOf(node, "withOverrides");
  if (typeof settings !== "object" || settings === null) throw new WorkflowUsageError(`withOverrides(…) takes an object of settings, got ${typeof settings}`);
  const merged: NodeOverrideOptions = { ...record.overrides, ...settings };
  const { nodeName, ...rest } = merged;
  const subject = `overrides of node ${record.id}`;
  if (nodeName !== undefined && (typeof nodeName !== "string" || dnsify(nodeName) === "")) {
    throw new InvalidSettingsError(subject, [{ setting: "nodeName", value: nodeName, message: `${JSON.stringify(nodeName)} must be a name with at least one letter or digit` }]);
  }
  nodeOverrides(rest, subject); // throws InvalidSettingsError with every problem
  if (!runsTask(record.entity)) {
    const taskOnly = TASK_ONLY.filter((k) => settings[k] !== undefined);
    if (taskOnly.length) {
      throw new WorkflowUsageError(`${subject}: ${taskOnly.join(", ")} can only be overridden on a node that runs a task; this node runs ${describeTarget(record.entity)}`);
    }
  }
  record.overrides = merged;
  return node;
}

function describeTarget(target: NodeTarget): string {
  if (isEntityTarget(target)) return `${target[ENTITY] === "launchPlan" ? "launch plan" : target[ENTITY]} ${target.name}`;
  return target.kind === "branch" ? `the conditional "${target.name}"` : `the gate "${target.name}"`;
}

/**
 * Makes every node in `after` wait for every node in `before` without passing data between them
 * (flytekit's `a >> b` / `a.runs_before(b)`): an upstream edge in the graph.
 *
 * ```ts
 * const created = createCluster({ name });
 * const ran = job({ name });
 * runsBefore(created, ran);
 * ```
 */
export function runsBefore(before: NodeLike | readonly NodeLike[], after: NodeLike | readonly NodeLike[]): void {
  const firsts = (Array.isArray(before) ? before : [before]).map((n) => nodeOf(n, "runsBefore"));
  const thens = (Array.isArray(after) ? after : [after]).map((n) => nodeOf(n, "runsBefore"));
  for (const then of thens) {
    for (const first of firsts) {
      if (first === then) throw new WorkflowUsageError(`runsBefore: node ${first.id} cannot run before itself`);
      if (first.builder !== then.builder) {
        throw new WorkflowUsageError(`runsBefore: nodes ${first.id} and ${then.id} are in different bodies (or branches); only nodes of one body can be ordered`);
      }
      then.after ??= [];
      if (!then.after.includes(first)) then.after.push(first);
    }
  }
}

/**
 * flytekit's `_dnsify`: a DNS-1123 label for a node id — lower case; `_`, `-` and `.` become `-`
 * (dropped at the start); an upper-case letter gets a `-` before it; other characters are dropped;
 * at most 63 characters, a value of 63 or more first shortened to a sha224 prefix and its tail.
 */
export function dnsify(value: string): string {
  const MAX = 63;
  const HASH_LEN = 10;
  let input = value;
  if ([...input].length >= MAX) {
    const hash = createHash("sha224").update(input, "utf8").digest("hex").slice(0, HASH_LEN);
    input = `${hash}-${[...input].slice(-(MAX - HASH_LEN - 1)).join("")}`;
  }
  let res = "";
  for (const ch of input) {
    if (ch === "_" || ch === "-" || ch === ".") {
      if (res !== "" && res.length < 62) res += "-";
    } else if (!/^[\p{L}\p{N}]$/u.test(ch)) {
      // dropped
    } else if (/^\p{Nd}$/u.test(ch) || (ch === ch.toLowerCase() && ch !== ch.toUpperCase())) {
      res += ch;
    } else {
      if (res !== "" && !res.endsWith("-") && res.length < 62) res += "-";
      res += ch.toLowerCase();
    }
  }
  if (res.endsWith("-")) res = res.slice(0, -1);
  return res;
}
