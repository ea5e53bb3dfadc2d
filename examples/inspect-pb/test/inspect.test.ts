import { join } from "node:path";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { inspectFile } from "../src/inspect.js";

const golden = resolve(dirname(fileURLToPath(import.meta.url)), "../../../../shared/golden/flytekit");

describe("inspectFile", () => {
  it("describes the DynamicJobSpec flytekit wrote for a fan-out of three", () => {
    const result = inspectFile(join(golden, "dynamic_fanout/exec/my_dynamic_subwf_a3/futures.pb"));
    expect(result.messageType).toBe("flyteidl.core.DynamicJobSpec");
    expect(result.summary[0]).toBe("3 node(s), 1 task template(s), 0 sub-workflow(s)");
    expect(result.summary).toContain("node dn0 → TASK flytesnacks/development/examples.dynamic_fanout.t1@v1");
    expect(result.summary.filter((l) => l.startsWith("output "))).toEqual(["output o0 bound", "output o1 bound"]);
    expect(JSON.parse(result.json).nodes).toHaveLength(3);
  });

  it("lists the literals of an inputs.pb", () => {
    expect(inspectFile(join(golden, "dynamic_fanout/exec/my_dynamic_subwf_a3/inputs.pb")).summary).toEqual(["literal a"]);
  });

  it("asks for a type when the name does not tell", () => {
    expect(() => inspectFile("/tmp/whatever.bin")).toThrow(/pass one with --type/);
  });
});
