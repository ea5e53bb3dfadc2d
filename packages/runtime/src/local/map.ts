import { FlytekitError, flyteidl } from "@flytekit-ts/idl";
import type { MapTaskLike } from "@flytekit-ts/compiler";
import type { LiteralMap } from "@flytekit-ts/types";
import { Limiter } from "./limiter.js";
import { viaWire } from "./task-runner.js";

export interface MapSettings {
  parallelism?: number | undefined;
  minSuccesses?: number | undefined;
  minSuccessRatio?: number | undefined;
  boundInputs: readonly string[];
}

/**
 * A map task as FlytePropeller runs an ArrayNode: the task once per index of the list inputs (bound
 * inputs passed whole), at most `parallelism` at a time; an index that fails leaves none in the
 * outputs when enough others succeed (min successes / min success ratio), else the node fails.
 */
export async function runMap(
  map: MapTaskLike,
  inputs: LiteralMap,
  settings: MapSettings,
  runElement: (element: LiteralMap, index: number) => Promise<LiteralMap>,
): Promise<LiteralMap> {
  const literals = inputs.literals ?? {};
  const bound = new Set(settings.boundInputs);
  const mapped = Object.keys(literals).filter((k) => !bound.has(k));
  const length = mapped.length ? (literals[mapped[0] as string]?.collection?.literals?.length ?? 0) : 0;
  for (const name of mapped) {
    if ((literals[name]?.collection?.literals?.length ?? -1) !== length) {
      throw new FlytekitError("MAP_INPUTS", `map task ${map.name}: list input "${name}" does not have ${length} elements like "${mapped[0] ?? ""}"`);
    }
  }
  const limit = new Limiter(Math.max(1, settings.parallelism || length || 1));
  const results = await Promise.all(
    Array.from({ length }, (_, i) =>
      limit.run(async () => {
        const element: LiteralMap = { literals: Object.fromEntries(Object.entries(literals).map(([k, v]) => [k, bound.has(k) ? v : (v.collection?.literals?.[i] ?? {})])) };
        try {
          return await runElement(element, i);
        } catch (error) {
          return error instanceof Error ? error : new Error(String(error));
        }
      }),
    ),
  );
  const failures = results.filter((r): r is Error => r instanceof Error);
  const required = settings.minSuccesses ?? Math.ceil((settings.minSuccessRatio ?? 1) * length);
  if (length - failures.length < required) {
    throw new FlytekitError("MAP_FAILED", `map task ${map.name}: ${failures.length} of ${length} failed, ${required} must succeed (first: ${failures[0]?.message ?? ""})`);
  }
  const outputs: Record<string, flyteidl.core.Literal.$Properties> = {};
  for (const name of Object.keys(map.outputs)) {
    outputs[name] = { collection: { literals: results.map((r) => (r instanceof Error ? { scalar: { noneType: {} } } : (r.literals?.[name] ?? { scalar: { noneType: {} } }))) } };
  }
  return viaWire({ literals: outputs });
}
