/** Reading an execution's inputs or outputs: the literal map (inline or offloaded) and the types to read it by. */
import { flyteidl } from "@flytekit-ts/idl";
import { guessType, type LiteralMap, type LiteralType, type TypeDescriptor } from "@flytekit-ts/types";
import type { AdminClient } from "../client.js";
import { downloadThroughDataProxy, type HttpFetch } from "../data.js";
import type { ExecutionRef, Vars } from "../remote-types.js";
import { fetchInterface } from "./interface.js";

/** The execution's inputs or outputs as a literal map, fetched through a signed URL when too large to inline. */
export async function executionLiterals(
  client: AdminClient,
  id: flyteidl.core.WorkflowExecutionIdentifier,
  which: "inputs" | "outputs",
  fetch: HttpFetch | undefined,
  signal?: AbortSignal,
): Promise<LiteralMap> {
  const data = await client.admin.getExecutionData({ id }, signal ? { signal } : {});
  const full = which === "outputs" ? data.fullOutputs : data.fullInputs;
  const blob = which === "outputs" ? data.outputs : data.inputs;
  // Beyond admin's inline limit (2 MB by default) the map is only a URL to the literal map.
  if ((!full || Object.keys(full.literals ?? {}).length === 0) && blob?.url) {
    return flyteidl.core.LiteralMap.decode(await downloadThroughDataProxy(client, blob.url, fetch, signal)) as LiteralMap;
  }
  return (full ?? { literals: {} }) as LiteralMap;
}

/**
 * Descriptors for the execution's inputs or outputs, guessed from the registered interface (the one
 * the handle carries, else the launched entity's); `candidates` add struct and plugin descriptors.
 */
export async function remoteTypes(
  client: AdminClient,
  current: flyteidl.admin.Execution,
  execution: ExecutionRef,
  which: "inputs" | "outputs",
  candidates: readonly TypeDescriptor<unknown>[],
): Promise<Vars> {
  const known = typeof execution === "object" && "remoteInterface" in execution ? execution.remoteInterface : undefined;
  const remote = known ?? (current.spec?.launchPlan ? await fetchInterface(client, current.spec.launchPlan) : undefined);
  const types: Record<string, LiteralType> = which === "outputs" ? (remote?.outputs ?? {}) : Object.fromEntries(Object.entries(remote?.inputs ?? {}).map(([n, i]) => [n, i.type]));
  return Object.fromEntries(Object.entries(types).map(([name, type]) => [name, guessType(type, candidates)]));
}
