import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { flyteidl } from "@flytekit-ts/idl";
import { FlytekitBench, pythonDir } from "../src/flytekit/driver.js";
import { findFlytekit } from "../src/flytekit/venv.js";
import { sharedDir } from "../src/shared.js";

const env = findFlytekit();

// The side-by-side rows are only as good as the flytekit work they time: check it is the work PERF.md measured.
describe.skipIf(!env)("the flytekit bench driver (real flytekit)", () => {
  let flytekit: FlytekitBench;
  beforeAll(async () => {
    const started = await FlytekitBench.start(env!);
    expect(started.version).toMatch(/^1\.16\./);
    flytekit = started.bench;
  }, 120_000);
  afterAll(() => flytekit?.close());

  it("builds the golden dynamic_fanout spec: as many nodes, the same size as flytekit's golden futures.pb", async () => {
    const golden = readFileSync(resolve(sharedDir, "golden/flytekit/dynamic_fanout/exec/my_dynamic_subwf_a3/futures.pb"));
    const timing = await flytekit.call("dynamic", { n: 3 });
    expect(timing).toMatchObject({ nodes: 3, bytes: golden.length });
    expect(timing.build).toBeGreaterThan(0);
  }, 120_000);

  it("round-trips the types cases and compiles the static workflows", async () => {
    const objects = await flytekit.call("types", { case: "objects" });
    expect(objects.bytes).toBe(578_510); // PERF.md (b)'s literal size
    expect(await flytekit.call("static", { which: "chain" })).toBeGreaterThan(0);
  }, 300_000);

  it("prepares a pyflyte-execute run that writes what a pod would (outputs.pb, futures.pb) and its peak RSS", async () => {
    for (const [task, file] of [["hello", "outputs.pb"], ["fan_out", "futures.pb"]] as const) {
      const dir = mkdtempSync(join(tmpdir(), "flytekit-bench-test-"));
      const { env: podEnv, args } = await flytekit.call("prepare_exec", { task, a: 2, directory: dir });
      execFileSync(env!.python, [join(pythonDir, "rss_exec.py"), ...args], { env: { ...process.env, ...podEnv, FLYTE_TS_RSS_FILE: join(dir, "rss") }, stdio: "ignore" });
      expect(readdirSync(join(dir, "out"))).toEqual([file]);
      expect(Number(readFileSync(join(dir, "rss"), "utf8"))).toBeGreaterThan(10_000);
      if (task === "hello") {
        const outputs = flyteidl.core.LiteralMap.decode(readFileSync(join(dir, "out", file)));
        expect(Number(outputs.literals["o0"]?.scalar?.primitive?.integer)).toBe(3);
      }
    }
  }, 300_000);
});
