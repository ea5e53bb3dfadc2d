/**
 * Static workflows of examples/workflows on the real FlytePropeller: plain task nodes, a map task (an
 * ArrayNode whose sub-node pods read their index from FLYTE_K8S_ARRAY_INDEX), a conditional.
 */
import { describe, expect, it } from "vitest";
import { staticWf } from "../../../examples/workflows/src/static-wf.js";
import { myMapWorkflow } from "../../../examples/workflows/src/map-tasks.js";
import { basicBooleanWf, multiplier3 } from "../../../examples/workflows/src/conditions.js";
import { examplesDir, finished, launch, remote } from "./support.js";

describe.concurrent("examples/workflows on FlytePropeller", () => {
  it("the static workflow: t1 → t2 → t3", async () => {
    const name = await launch(examplesDir, "src/static-wf.ts", "staticWf", "--a", "3", "--s", "x");
    await finished(name);
    expect(await remote().outputs(name, { entity: staticWf })).toEqual({ o0: "x-5!", o1: 10 });
  });

  it("a map task over three inputs, then a reduce", async () => {
    const name = await launch(examplesDir, "src/map-tasks.ts", "myMapWorkflow", "--a", "[1, 2, 3]");
    await finished(name);
    expect(await remote().outputs(name, { entity: myMapWorkflow })).toEqual({ o0: "345" });
  });

  it("conditionals: an elif branch whose output feeds a later node, and a condition on a node's output", async () => {
    const [m3, coin] = await Promise.all([
      launch(examplesDir, "src/conditions.ts", "multiplier3", "--my_input", "3.0"),
      launch(examplesDir, "src/conditions.ts", "basicBooleanWf", "--seed", "4"),
    ]);
    await Promise.all([finished(m3), finished(coin)]);
    expect(await remote().outputs(m3, { entity: multiplier3 })).toEqual({ o0: 18 });
    expect(await remote().outputs(coin, { entity: basicBooleanWf })).toEqual({ o0: 0 });
  });
});
