import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { t } from "@flytekit-ts/types";
import { EXIT, main, parseInputValue } from "../src/index.js";

const examples = resolve(dirname(fileURLToPath(import.meta.url)), "../../../examples/workflows");

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

describe("flyte-ts run", () => {
  it("runs a dynamic locally, shows progress and prints typed outputs as JSON", async () => {
    const { io, out, err } = capture();
    const code = await main(["run", `${examples}/src/seed.ts`, "loopOverInput", "--a", "2"], io);
    expect(code).toBe(EXIT.ok);
    expect(JSON.parse(out.join("\n"))).toEqual({ o0: ["v0", "v1"], o1: 5 });
    expect(err.filter((l) => l.includes("✓")).length).toBe(2);
  });

  it("uses workflow defaults for inputs not given", async () => {
    const { io, out } = capture();
    expect(await main(["run", `${examples}/src/static-wf.ts`, "staticWf", "-q"], io)).toBe(EXIT.ok);
    expect(JSON.parse(out.join("\n"))).toEqual({ o0: "hi-7!", o1: 14 });
  });

  it("exits with the usage code for unknown, missing or ill-typed inputs", async () => {
    for (const [args, message] of [
      [["--b", "1"], /unknown input --b; seed\.my_dynamic_subwf takes --a/],
      [[], /missing input --a/],
      [["--a", "x"], /--a "x": expected int/],
    ] as const) {
      const { io, err } = capture();
      expect(await main(["run", `${examples}/src/seed.ts`, "loopOverInput", ...args], io)).toBe(EXIT.usage);
      expect(err.join("\n")).toMatch(message);
    }
  });

  it("parses values by the input's type", () => {
    expect(parseInputValue("a", "[1,2]", t.list(t.int()))).toEqual([1, 2]);
    expect(parseInputValue("s", "42", t.string())).toBe("42");
    expect(parseInputValue("d", "2024-01-02T00:00:00Z", t.datetime())).toEqual(new Date("2024-01-02T00:00:00Z"));
    expect(parseInputValue("n", "9007199254740993", t.int64())).toBe(9007199254740993n);
  });
});

describe("flyte-ts execute", () => {
  it("exits with the usage code on malformed entrypoint arguments", async () => {
    const { io, err } = capture();
    expect(await main(["execute", "--inputs", "x"], io)).toBe(EXIT.usage);
    expect(err.join("\n")).toMatch(/missing --output-prefix/);
  });
});

describe("flyte-ts graph", () => {
  it("draws a workflow, and a dynamic's expansion for given inputs", async () => {
    const wf = capture();
    expect(await main(["graph", `${examples}/src/static-wf.ts`, "staticWf"], wf.io)).toBe(EXIT.ok);
    expect(wf.out.join("\n")).toContain("n0 --> n2");
    const dyn = capture();
    expect(await main(["graph", `${examples}/src/seed.ts`, "loopOverInput", "--format", "dot", "--a", "2"], dyn.io)).toBe(EXIT.ok);
    expect(dyn.out.join("\n")).toContain('dn1 [shape=box, label="dn1: seed.t1"];');
    const task = capture();
    expect(await main(["graph", `${examples}/src/seed.ts`, "t1"], task.io)).toBe(EXIT.usage);
  });
});
