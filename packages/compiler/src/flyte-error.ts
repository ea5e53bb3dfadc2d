import { flyteidl } from "@flytekit-ts/idl";
import { LiteralTypeError, ValueTypeError, defineType, describeValue, type TypeDescriptor } from "@flytekit-ts/types";

/** The failure a failure node receives (flytekit's `FlyteError`): the failed node and its message. */
export interface FlyteError {
  readonly failedNodeId: string;
  readonly message: string;
}

const descriptor = defineType<FlyteError>({
  name: "FlyteError",
  tag: "FlyteError",
  literalType: { simple: flyteidl.core.SimpleType.ERROR },
  check(value, path, issues) {
    const v = value as Partial<FlyteError> | null;
    if (typeof v !== "object" || v === null || typeof v.failedNodeId !== "string" || typeof v.message !== "string") {
      issues.push({ path, expected: "{ failedNodeId: string, message: string }", got: describeValue(value) });
    }
  },
  toLiteral(value) {
    const v = value as Partial<FlyteError> | null;
    if (typeof v !== "object" || v === null || typeof v.failedNodeId !== "string" || typeof v.message !== "string") {
      throw new ValueTypeError([{ path: [], expected: "{ failedNodeId: string, message: string }", got: describeValue(value) }]);
    }
    return { scalar: { error: { failedNodeId: v.failedNodeId, message: v.message } } };
  },
  fromLiteral(literal) {
    const error = literal.scalar?.error;
    if (!error) throw new LiteralTypeError("expected an error literal");
    return { failedNodeId: error.failedNodeId ?? "", message: error.message ?? "" };
  },
});

/**
 * The type of the error a failure handler receives (flytekit's `FlyteError`). Declare it as an
 * optional input of the `onFailure` task, `err: t.optional(flyteError())`; Flyte fills it.
 */
export function flyteError(): TypeDescriptor<FlyteError> {
  return descriptor;
}
