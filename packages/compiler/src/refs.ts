import { flyteidl } from "@flytekit-ts/idl";
import { formatLiteralType, type LiteralType } from "@flytekit-ts/types";
import { COMPARISON_METHODS, comparisonMethod } from "./expressions.js";
import { WorkflowUsageError } from "./problems.js";
import { REF, type NodeRecord, type Ref, type RefData } from "./vocabulary.js";

/*
 * References to values a node will produce (`Ref` is declared in vocabulary.ts): recognising them,
 * describing them in messages, and making them — proxies whose attribute access makes deeper
 * references and whose misuse as a plain value throws at the line that did it.
 */

/** Whether a value is a node output reference rather than a plain value. */
export function isRef(value: unknown): value is Ref<unknown> {
  return typeof value === "object" && value !== null && (value as { [REF]?: unknown })[REF] !== undefined;
}

export function refData(value: Ref<unknown>): RefData {
  return value[REF];
}

/** What a reference points at, for messages: `workflow input "a"`, `output "o0".rows[2] of node n1`. */
export function describe(data: RefData): string {
  const path = data.attrPath.map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`)).join("");
  return data.nodeId === "" ? `workflow input "${data.variable}"${path}` : `output "${data.variable}"${path} of node ${data.nodeId}`;
}

function misuse(data: RefData, how: string): never {
  throw new WorkflowUsageError(
    `${describe(data)} was ${how}, but it has no value yet: a workflow body only builds the graph. ` +
      "Pass it to another task, return it, or branch on it with a conditional; a dynamic workflow sees its own inputs as real values.",
  );
}

/** The type of `type` one step down `segment`, or undefined when the step does not exist. */
function stepType(type: LiteralType, segment: string | number): LiteralType | undefined {
  if (typeof segment === "number") return type.collectionType ?? undefined;
  if (type.mapValueType) return type.mapValueType;
  const fields = type.structure?.dataclassType;
  if (fields && Object.hasOwn(fields, segment)) return fields[segment] ?? undefined;
  if (type.simple === flyteidl.core.SimpleType.STRUCT && !fields) {
    // An untyped STRUCT (dict): any key, of unknown type.
    return { simple: flyteidl.core.SimpleType.STRUCT };
  }
  return undefined;
}

const INDEX = /^(0|[1-9]\d*)$/;

/** The attribute path of a whole value, shared by every such reference. */
export const WHOLE_VALUE: readonly (string | number)[] = Object.freeze([]);

/**
 * A reference's proxy target, which is its data: one small fixed-shape object per reference (a
 * null-prototype object would be a hash table in V8), and one handler for all of them.
 */
class RefTarget implements RefData {
  readonly nodeId: string;
  readonly variable: string;
  readonly attrPath: readonly (string | number)[];
  readonly type: LiteralType;
  readonly node: NodeRecord | undefined;
  constructor(data: RefData) {
    this.nodeId = data.nodeId;
    this.variable = data.variable;
    this.attrPath = data.attrPath;
    this.type = data.type;
    this.node = data.node;
  }
}

/**
 * The behaviour of every reference, shared: a dynamic that fans out to 100,000 calls makes a reference
 * per output, and a handler with its own closures per reference was a tenth of its memory.
 */
const refHandler: ProxyHandler<RefTarget> = {
  get(data, key, ref: Ref<unknown>) {
    if (key === REF) return data;
    if (key === "then") misuse(data, "awaited");
    if (key === Symbol.toPrimitive || key === "valueOf" || key === "toString" || key === "toJSON") {
      return () => misuse(data, "used as a plain value (in arithmetic, a comparison, a template string or JSON)");
    }
    if (key === Symbol.iterator) {
      return () => misuse(data, "destructured or iterated; index it instead (out.list[0])");
    }
    if (typeof key === "symbol") return undefined;
    const segment: string | number = data.type.collectionType && INDEX.test(key) ? Number(key) : key;
    const next = stepType(data.type, segment);
    // An attribute of that name wins; otherwise the comparison methods conditions are built with.
    if (!next && COMPARISON_METHODS.has(key)) return comparisonMethod(key, ref);
    if (!next) {
      throw new WorkflowUsageError(`${describe(data)} (${formatLiteralType(data.type)}) has no ${typeof segment === "number" ? "index" : "attribute"} "${key}"`);
    }
    return makeRef({ ...data, attrPath: [...data.attrPath, segment], type: next });
  },
  has(_, key) {
    return key === REF;
  },
  getPrototypeOf() {
    return null;
  },
  ownKeys() {
    return [];
  },
  getOwnPropertyDescriptor() {
    return undefined;
  },
  set(data) {
    throw new WorkflowUsageError(`${describe(data)} cannot be assigned to: node outputs are read-only`);
  },
};

/** Makes a reference. Attribute access on it makes deeper references, typed by the value's structure. */
export function makeRef(data: RefData): Ref<unknown> {
  return new Proxy(new RefTarget(data), refHandler) as unknown as Ref<unknown>;
}
