import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { t } from "@flytekit-ts/types";
import { EXIT, main, parseInputValue } from "../src/index.js";

const examples = resolve(dirname(fileURLToPath(import.meta.url)), "../../../examples/workflows");
const fixtures = resolve(dirname(fileURLToPath(import.meta.url)), "fixtures");

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

// Heavy tests (modules imported and compiled, runs in process or in child processes) get a generous timeout: they must pass on a loaded 2-core machine.
describe("flyte-ts run", { timeout: 60_000 }, () => {
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
      [["--a", "x"], /--a: expected int \(an integer.*\), got string "x"/],
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

describe("flyte-ts run checks what flyte-ts package checks", { timeout: 60_000 }, () => {
  it("refuses a workflow that calls a task it does not export, with packaging's error", async () => {
    // In a copy of the fixtures, where packaging's JavaScript build may write (and is removed after).
    const cwd = process.cwd();
    const copy = mkdtempSync(join(fixtures, "..", ".work-"));
    cpSync(fixtures, copy, { recursive: true });
    process.chdir(copy);
    try {
      const run = capture();
      expect(await main(["run", "hidden.ts", "wf"], run.io)).toBe(EXIT.failure);
      const pack = capture();
      expect(await main(["package", "--image", "img:1", "-o", join(copy, "b.tgz"), "hidden.ts"], pack.io)).toBe(EXIT.failure);
      expect(run.err[0]).toMatch(/flows\.hidden is called but not exported/);
      expect(run.err[0]).toBe(pack.err[0]);
      expect(run.out).toEqual([]);
    } finally {
      process.chdir(cwd);
      rmSync(copy, { recursive: true, force: true });
    }
  });
});

describe("flyte-ts run's command line", { timeout: 60_000 }, () => {
  it("names the element of an input that is wrong", async () => {
    const { io, err } = capture();
    expect(await main(["run", `${fixtures}/run-inputs.ts`, "joinWords", "--words", '["a", 2]', "--sep", "-"], io)).toBe(EXIT.usage);
    expect(err.join("\n")).toMatch(/--words\[1\]: expected a string, got number 2/);
  });

  it("takes --name=value as well as --name value", async () => {
    const { io, out } = capture();
    expect(await main(["run", "-q", `${fixtures}/run-inputs.ts`, "joinWords", '--words=["a","b=c"]', "--sep", "+"], io)).toBe(EXIT.ok);
    expect(JSON.parse(out.join("\n"))).toEqual({ o0: "a+b=c" });
  });

  it("lists an entity's inputs with their types and defaults on --help", async () => {
    const { io, out } = capture();
    expect(await main(["run", `${fixtures}/run-inputs.ts`, "greet", "--help"], io)).toBe(EXIT.ok);
    const text = out.join("\n");
    expect(text).toContain("greet: workflow run_inputs.greet");
    expect(text).toMatch(/--words\s+list<str>\s+required/);
    expect(text).toMatch(/--sep\s+str\s+default "-"/);
    expect(text).toMatch(/--times\s+int\s+default 2/);
  });

  it("suggests the closest export and lists them all for a misspelt one", async () => {
    const { io, err } = capture();
    expect(await main(["run", `${fixtures}/run-inputs.ts`, "gret"], io)).toBe(EXIT.usage);
    expect(err.join("\n")).toMatch(/exports no task, workflow or dynamic workflow named "gret" \(did you mean "greet"\?\); it exports explode, greet, joinWords/);
  });

  it("suggests the closest input for a misspelt one", async () => {
    const { io, err } = capture();
    expect(await main(["run", `${fixtures}/run-inputs.ts`, "greet", "--word", "[]"], io)).toBe(EXIT.usage);
    expect(err.join("\n")).toMatch(/unknown input --word \(did you mean "words"\?\)/);
  });

  it("shows a failing task's stack with the .ts file and line it threw at", async () => {
    const { io, err } = capture();
    expect(await main(["run", "-q", `${fixtures}/run-inputs.ts`, "explode", "--n", "3"], io)).toBe(EXIT.failure);
    const line = readFileSync(`${fixtures}/run-inputs.ts`, "utf8").split("\n").findIndex((l) => l.includes("EXPLODE_LINE")) + 1;
    expect(err[0]).toMatch(/exploded on 3/);
    expect(err[1]).toContain(`run-inputs.ts:${line}:`);
    // The frames stop where flytekit-ts's own code begins.
    expect(err.slice(1).join("\n")).not.toMatch(/executor\.ts/);
  });
});

describe("flyte-ts execute", () => {
  it("exits with the usage code on malformed entrypoint arguments", async () => {
    const { io, err } = capture();
    expect(await main(["execute", "--inputs", "x"], io)).toBe(EXIT.usage);
    expect(err.join("\n")).toMatch(/missing --output-prefix/);
  });
});

describe("flyte-ts graph", { timeout: 60_000 }, () => {
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
