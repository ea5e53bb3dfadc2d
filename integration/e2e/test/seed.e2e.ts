/**
 * The seed's two dynamics (examples/workflows/src/seed.ts) launched with `flyte-ts run --remote` and
 * run by the real FlytePropeller: the dynamic's pod writes futures.pb, propeller compiles and runs it
 * as a sub-workflow whose tasks are more pods; the outputs come back typed through @flytekit-ts/remote.
 */
import { describe, expect, it } from "vitest";
import { chained, loopOverInput } from "../../../examples/workflows/src/seed.js";
import { examplesDir, finished, launch, remote } from "./support.js";

describe.concurrent("the seed's dynamics on FlytePropeller", () => {
  it("loopOverInput(a=3): a loop of t1 calls made at run time", async () => {
    const name = await launch(examplesDir, "src/seed.ts", "loopOverInput", "--a", "3");
    const execution = await finished(name);
    expect(execution.closure?.error?.message ?? "").toBe("");
    expect(await remote().outputs(name, { entity: loopOverInput })).toEqual({ o0: ["v0", "v1", "v2"], o1: 5 });
  });

  it("chained(a=4, b=10): t2 depends on t1's output", async () => {
    const name = await launch(examplesDir, "src/seed.ts", "chained", "--a", "4", "--b", "10");
    await finished(name);
    expect(await remote().outputs(name, { entity: chained })).toEqual({ o0: 12 });
  });
});
