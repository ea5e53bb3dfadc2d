import { describe, expect, it } from "vitest";
import { t } from "@flytekit-ts/types";
import { defaultEntityName, isNamed, launchPlan, mapTask, mapTaskName, moduleName, nameEntity, nameEntityAs, nameExports, task, workflow } from "../src/index.js";

describe("default entity names", () => {
  it("are <module path, dots>.<export>, built files named as their sources", () => {
    expect(moduleName("src/flows.ts")).toBe("src.flows");
    expect(moduleName("./flows.mts")).toBe("flows");
    expect(moduleName("flyte-ts-build/src/flows.mjs")).toBe("src.flows");
    expect(moduleName("my_pkg/index.ts")).toBe("my_pkg");
    expect(defaultEntityName("flyte-ts-build/workflows/example.mjs", "t1")).toBe("workflows.example.t1");
    expect(() => defaultEntityName("2024/flows.ts", "t1")).toThrow(/"2024\.flows\.t1" is not a valid entity name; give it name/);
  });

  it("are given once, to entities without a name, and read through derived names", () => {
    const double = task({ inputs: { a: t.int() }, outputs: { o0: t.int() } }, ({ a }) => ({ o0: a * 2 }));
    const mapped = mapTask(double);
    const wf = workflow({ inputs: { a: t.int() }, outputs: { o0: t.int() } }, ({ a }) => ({ o0: double({ a }).o0 }));
    const lp = launchPlan(wf);
    expect(isNamed(double)).toBe(false);
    expect(() => double.name).toThrow(/this task has no name yet: export it from a module that flyte-ts loads/);

    expect(nameEntity(double, "flyte-ts-build/src/flows.mjs", "double")).toBe("src.flows.double");
    // A second loader does not rename it.
    expect(nameEntity(double, "src/other.ts", "again")).toBe("src.flows.double");
    nameEntityAs(double, "ignored");
    expect(double.name).toBe("src.flows.double");
    expect(mapped.name).toBe(mapTaskName("src.flows.double", [], undefined, undefined, 1));

    nameEntity(wf, "src/flows.ts", "wf");
    expect(wf.name).toBe("src.flows.wf");
    expect(lp.name).toBe("src.flows.wf");
  });

  it("are given to a module's exports by nameExports, as flyte-ts's loader gives them (a test importing a module itself)", () => {
    const square = task({ inputs: { x: t.int() }, outputs: { o0: t.int() } }, ({ x }) => ({ o0: x * x }));
    const twice = workflow({ inputs: { x: t.int() }, outputs: { o0: t.int() } }, ({ x }) => ({ o0: square({ x }).o0 }));
    const named = task({ name: "kept.name", outputs: { o0: t.int() } }, () => ({ o0: 1 }));
    // An entity exported twice is named by the first export in name order, as module namespaces list them.
    nameExports({ twice, square, alias: square, named, notAnEntity: 42 }, "src/flows.ts");
    expect(square.name).toBe("src.flows.alias");
    expect(twice.name).toBe("src.flows.twice");
    expect(named.name).toBe("kept.name");
    const late = task({ outputs: { o0: t.int() } }, () => ({ o0: 1 }));
    expect(() => late.name).toThrow(/in a test that imports the module itself: nameExports\(module, "<path from the project root>"\)/);
  });

  it("never replace an explicit name", () => {
    const named = task({ name: "custom.name", outputs: { o0: t.int() } }, () => ({ o0: 1 }));
    expect(isNamed(named)).toBe(true);
    expect(nameEntity(named, "src/flows.ts", "named")).toBe("custom.name");
    expect(() => task({ name: "bad name" }, () => ({}))).toThrow(/task name must be a non-empty identifier/);
  });
});
