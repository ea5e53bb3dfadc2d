import { isCastable, formatLiteralType, type LiteralType } from "@flytekit-ts/types";
import { GraphBuilder, activeBuilder, withGraph } from "./builder.js";
import { asCondition, type Condition } from "./condition.js";
import { WorkflowUsageError } from "./problems.js";
import { isRef, refData } from "./refs.js";
import { NODE, type BranchCase, type BranchTarget, type NodeRecord } from "./vocabulary.js";

/** What a branch returns: the outputs of its one call (anything with a node). */
export type BranchOutputs = { readonly [NODE]: NodeRecord };
/** The outputs every branch has: what the conditional yields. */
export type CommonOutputs<A, B> = { readonly [K in keyof A & keyof B]: A[K] };

/** A conditional before its first case: `conditional(name).if(…)`. */
export interface ConditionalStart {
  /** The first case. */
  if(condition: Condition): FirstCase;
}
/** A case waiting for the call it makes: `.then(() => …)`. */
export interface FirstCase {
  /** The call this case makes, as a function: `.then(() => t1({ a }))`. */
  then<R extends BranchOutputs>(branch: () => R): ConditionalChain<R>;
}
/** An `elif` case waiting for the call it makes. */
export interface NextCase<Acc> {
  /** The call this case makes, as a function; the outputs become those every case so far has. */
  then<R extends BranchOutputs>(branch: () => R): ConditionalChain<CommonOutputs<Acc, R>>;
}
/** A conditional with at least one case: add `elif` cases, then finish it with `else`. */
export interface ConditionalChain<Acc> {
  /** Another case, tried when the ones before do not hold. */
  elif(condition: Condition): NextCase<Acc>;
  /** What happens when no case holds: `.then(…)` runs a last node, `.fail(message)` fails the workflow. */
  else(): ElseCase<Acc>;
}
/** The last part of a conditional: a call, or a failure. */
export interface ElseCase<Acc> {
  /** The call made when no case holds. Returns the outputs all branches have. */
  then<R extends BranchOutputs>(branch: () => R): CommonOutputs<Acc, R>;
  /** Fails the execution with `message` when no case holds. Returns the outputs all branches have. */
  fail(message: string): Acc;
}

interface Section {
  readonly name: string;
  readonly parent: GraphBuilder;
  readonly section: GraphBuilder;
  readonly cases: BranchCase[];
  readonly outputs: (readonly (readonly [string, LiteralType])[])[];
  readonly token: { readonly name: string };
  done: boolean;
}

/**
 * A conditional section (flytekit's `conditional`): a branch node that runs the first case whose
 * condition holds. Conditions compare workflow inputs and node outputs with constants or each other;
 * each case makes exactly one call (a task, workflow, launch plan, map task or a nested conditional),
 * given as a function; the result is the outputs every case has.
 *
 * ```ts
 * const out = conditional("fractions")
 *   .if(x.gt(0.1).and(x.lt(1.0))).then(() => double({ n: x }))
 *   .elif(x.gt(1.0)).then(() => square({ n: x }))
 *   .else().fail("x must be more than 0.1");
 * ```
 *
 * It works in workflows and in dynamic workflows (where a plain `if` on the real inputs works too).
 */
export function conditional(name: string): ConditionalStart {
  if (typeof name !== "string" || name.trim() === "") throw new WorkflowUsageError(`conditional(…) needs a name, the branch node's name; got ${JSON.stringify(name)}`);
  const parent = activeBuilder(`conditional("${name}")`);
  const state: Section = {
    name,
    parent,
    section: new GraphBuilder(parent.owner, parent.prefix, parent),
    cases: [],
    outputs: [],
    token: { name },
    done: false,
  };
  root(parent).openConditionals.add(state.token);
  return {
    if: (condition) => {
      const checked = asCondition(condition, `conditional("${name}").if`);
      return { then: (branch) => addCase(state, checked, branch, "if") as never };
    },
  };
}

function root(builder: GraphBuilder): GraphBuilder {
  let b = builder;
  while (b.parent) b = b.parent;
  return b;
}

function chain(state: Section): ConditionalChain<never> {
  return {
    elif: (condition) => {
      const checked = asCondition(condition, `conditional("${state.name}").elif`);
      return { then: (branch) => addCase(state, checked, branch, "elif") as never };
    },
    else: () => ({
      then: (branch) => {
        const node = runBranch(state, branch, "else().then");
        return finish(state, { node }) as never;
      },
      fail: (message) => {
        if (typeof message !== "string") throw new WorkflowUsageError(`conditional("${state.name}").else().fail(…) takes the failure message, got ${typeof message}`);
        return finish(state, { fail: message === "" ? "Condition failed" : message }) as never;
      },
    }),
  };
}

function addCase(state: Section, condition: Condition, branch: unknown, where: string): ConditionalChain<never> {
  const node = runBranch(state, branch, `${where}(…).then`);
  state.cases.push({ condition, node });
  return chain(state);
}

/** Runs a case's function in the section, which must make exactly one call and return its outputs. */
function runBranch(state: Section, branch: unknown, where: string): NodeRecord {
  const at = `conditional("${state.name}").${where}`;
  if (state.done) throw new WorkflowUsageError(`${at}: this conditional is already finished`);
  if (typeof branch !== "function") {
    throw new WorkflowUsageError(`${at}(…) takes a function that makes the branch's call, e.g. .then(() => t1({ a })), got ${branch === null ? "null" : typeof branch}`);
  }
  const before = state.section.nodes.length;
  const result: unknown = withGraph(state.section, branch as () => unknown);
  if (result instanceof Promise) throw new WorkflowUsageError(`${at}(…): the branch function must be synchronous`);
  const made = state.section.nodes.length - before;
  const record = typeof result === "object" && result !== null ? (result as { [NODE]?: NodeRecord })[NODE] : undefined;
  if (made !== 1 || !record || record.builder !== state.section) {
    throw new WorkflowUsageError(
      `${at}(…): a branch runs exactly one node and must return that call's outputs, e.g. () => t1({ a }); this one ${made === 0 ? "made no call" : made > 1 ? `made ${made} calls (put several calls in a workflow and call that)` : "did not return the outputs of its call"}`,
    );
  }
  const outputs: (readonly [string, LiteralType])[] = [];
  for (const [key, value] of Object.entries(result as Record<string, unknown>)) if (isRef(value)) outputs.push([key, refData(value).type]);
  state.outputs.push(outputs);
  return record;
}

/** Adds the branch node to the body the conditional started in, with the outputs all branches have. */
function finish(state: Section, otherwise: BranchTarget["otherwise"]): unknown {
  if (state.done) throw new WorkflowUsageError(`conditional("${state.name}") is already finished`);
  state.done = true;
  root(state.parent).openConditionals.delete(state.token);
  const target: BranchTarget = { kind: "branch", name: state.name, cases: state.cases, otherwise, section: state.section };
  // The outputs: names every branch has, in the first branch's order (flytekit's compute_output_vars).
  const [first = [], ...rest] = state.outputs;
  const common = first.filter(([name]) => rest.every((o) => o.some(([n]) => n === name)));
  const result = state.parent.addNode(target, {}, common);
  const record = result[NODE];
  for (const [name, type] of common) {
    for (const other of rest) {
      const otherType = other.find(([n]) => n === name)?.[1] as LiteralType;
      if (!isCastable(otherType, type) || !isCastable(type, otherType)) {
        root(state.parent).problems.push({
          kind: "MismatchingInterfaces",
          nodeId: record.id,
          variable: name,
          message: `the branches of conditional "${state.name}" produce "${name}" with different types: ${formatLiteralType(type)} and ${formatLiteralType(otherType)}`,
        });
        break;
      }
    }
  }
  return result;
}
