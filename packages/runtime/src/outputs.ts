import { FlytekitError } from "@flytekit-ts/idl";
import { describeValue, formatIssue, toLiteralMap, ValueTypeError, type LiteralMap, type TypeContext, type TypeDescriptor } from "@flytekit-ts/types";

/**
 * What a task returned, as its output literals. A value that does not fit is an `OutputTypeError` naming
 * the output and what was wrong (not a conversion's bare TypeError); the container entrypoint reports it
 * as flytekit does, SYSTEM and non-recoverable (decision 0023), a local run as the node's failure.
 */
export async function taskOutputs(
  task: { readonly name: string; readonly outputs: Readonly<Record<string, TypeDescriptor<unknown>>> },
  returned: unknown,
  ctx: TypeContext,
): Promise<LiteralMap> {
  const declared = Object.keys(task.outputs);
  if (returned === undefined || returned === null) {
    if (declared.length === 0) return { literals: {} };
    throw outputError(task.name, `it returned ${String(returned)}; return an object with ${declared.map((n) => `"${n}"`).join(", ")}, e.g. { ${declared[0] ?? ""}: … }`);
  }
  if (typeof returned !== "object" || Array.isArray(returned)) {
    throw outputError(task.name, `it returned ${describeValue(returned)}; return an object with ${declared.map((n) => `"${n}"`).join(", ") || "no values"}`);
  }
  try {
    return await toLiteralMap(task.outputs, returned as never, ctx);
  } catch (error) {
    if (!(error instanceof ValueTypeError)) throw error;
    const where = error.input === undefined ? "" : `output "${error.input}" `;
    throw outputError(task.name, `${where}${error.issues.map((i) => formatIssue(i)).join("; ")}`, error);
  }
}

function outputError(name: string, detail: string, cause?: unknown): FlytekitError {
  return new FlytekitError("USER:OutputTypeError", `${name} returned a value that does not fit its declared outputs: ${detail}`, cause === undefined ? undefined : { cause });
}
