import { FlytekitError, durationToMillis, flyteidl } from "@flytekit-ts/idl";
import { guessType, type LiteralMap, type TypeContext } from "@flytekit-ts/types";

type Node = flyteidl.core.Node.$Properties;

/** A gate node run locally: sleep waits; approvals and signals take their values from the run's `signals`. */
export async function runGate(node: Node, inputs: LiteralMap, signals: Readonly<Record<string, unknown>>, typeContext: TypeContext): Promise<LiteralMap> {
  const gate = node.gateNode ?? {};
  if (gate.sleep) {
    await new Promise((resolve) => setTimeout(resolve, durationToMillis(gate.sleep?.duration ?? {})));
    return { literals: {} };
  }
  const id = gate.approve?.signalId ?? gate.signal?.signalId ?? "";
  if (!Object.hasOwn(signals, id)) {
    throw new FlytekitError("GATE", `gate ${node.id ?? ""} waits for signal "${id}"; give its value in the run's signals to run it locally`);
  }
  if (gate.approve) {
    if (signals[id] !== true) throw new FlytekitError("GATE", `gate ${node.id ?? ""} was not approved (signal "${id}")`);
    return inputs;
  }
  const type = guessType(gate.signal?.type ?? {});
  const literal = await type.toLiteral(signals[id], typeContext);
  return { literals: { [gate.signal?.outputVariableName || "o0"]: literal } };
}
