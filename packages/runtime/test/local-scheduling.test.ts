import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { NodeFailure, runLocally, type NodeEvent } from "../src/index.js";
import { runDag } from "../src/local/scheduler.js";
import { callsFailingFan, callsLaunchPlan, failWhileRunning, fanOfWaits, fanWithFailure } from "./fixtures/local.js";

const scratch = () => ({ workDir: mkdtempSync(join(tmpdir(), "flyte-ts-sched-")), cacheDir: false as const });

/** The most tasks running at once, from a run's events. */
function peakRunning(events: readonly NodeEvent[]): number {
  let running = 0;
  let peak = 0;
  for (const e of events) {
    if (e.phase === "running") peak = Math.max(peak, ++running);
    else if (e.phase === "succeeded" || e.phase === "failed" || e.phase === "retrying") running--;
  }
  return peak;
}

describe("the local scheduler", () => {
  it("starts each node once its upstream nodes finished, in dependency order", async () => {
    const started: string[] = [];
    const nodes = [
      { id: "c", upstream: ["a", "b"] },
      { id: "a", upstream: [""] },
      { id: "b", upstream: ["a"] },
      { id: "d", upstream: [] },
    ];
    await runDag(nodes, async (i) => {
      started.push(nodes[i]?.id ?? "");
      await new Promise((r) => setTimeout(r, 5));
    });
    expect(started.indexOf("a")).toBeLessThan(started.indexOf("b"));
    expect(started.indexOf("b")).toBeLessThan(started.indexOf("c"));
    expect(started.sort()).toEqual(["a", "b", "c", "d"]);
  });

  it("reports nodes that wait for nodes that never run", async () => {
    await expect(runDag([{ id: "a", upstream: ["nowhere"] }, { id: "b", upstream: ["a"] }, { id: "c", upstream: [] }], async () => undefined)).rejects.toThrow(
      /nodes a, b wait for nodes that never run/,
    );
    await expect(runDag([{ id: "a", upstream: ["b"] }, { id: "b", upstream: ["a"] }], async () => undefined)).rejects.toThrow(/nodes a, b wait/);
  });

  it("runs a graph of 20,000 chained and fanned-out nodes", async () => {
    // A chain then a fan-out: the shapes where a scheduler that rescans everything per step is quadratic.
    const n = 10_000;
    const nodes = [
      ...Array.from({ length: n }, (_, i) => ({ id: `c${i}`, upstream: i ? [`c${i - 1}`] : [] })),
      ...Array.from({ length: n }, (_, i) => ({ id: `f${i}`, upstream: [`c${n - 1}`] })),
    ];
    let count = 0;
    await runDag(nodes, async () => void count++);
    expect(count).toBe(2 * n);
  });

  it("after a failure starts no more nodes, lets running ones finish, then reports the failed node", async () => {
    const events: NodeEvent[] = [];
    const error = await runLocally(failWhileRunning, {}, { ...scratch(), onEvent: (e) => events.push(e) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NodeFailure);
    expect((error as NodeFailure).message).toBe("node n1 (local.fast_fail) failed: fast failure");
    // n0 was running when n1 failed: it finished before the run reported; n2 (which reads n0) never started.
    expect(events.filter((e) => e.path === "n0").map((e) => e.phase)).toEqual(["running", "succeeded"]);
    expect(events.some((e) => e.path === "n2")).toBe(false);
  });

  it("stops a fan-out at its first failure and names the node by its path in the run", async () => {
    const events: NodeEvent[] = [];
    const error = await runLocally(callsFailingFan, { n: 30, bad: 3 }, { ...scratch(), maxParallelism: 1, onEvent: (e) => events.push(e) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NodeFailure);
    expect((error as NodeFailure).path).toBe("n0/dn3");
    expect((error as NodeFailure).message).toBe("node n0/dn3 (local.fail_at) failed: item 3 is bad");
    // One task at a time: dn0…dn3 ran, nothing after the failure started.
    expect(events.filter((e) => e.phase === "running").map((e) => e.path)).toEqual(["n0/dn0", "n0/dn1", "n0/dn2", "n0/dn3"]);
  });

  it("runs at most maxParallelism tasks at once", async () => {
    const events: NodeEvent[] = [];
    const { o0 } = await runLocally(fanOfWaits, { n: 6, ms: 40 }, { ...scratch(), maxParallelism: 2, onEvent: (e) => events.push(e) });
    expect(o0).toHaveLength(6);
    expect(peakRunning(events)).toBe(2);
    const one: NodeEvent[] = [];
    await runLocally(fanOfWaits, { n: 4, ms: 10 }, { ...scratch(), maxParallelism: 1, onEvent: (e) => one.push(e) });
    expect(peakRunning(one)).toBe(1);
    const all: NodeEvent[] = [];
    await runLocally(fanOfWaits, { n: 6, ms: 100 }, { ...scratch(), maxParallelism: 6, onEvent: (e) => all.push(e) });
    expect(peakRunning(all)).toBe(6);
  });

  it("runs launch plans a dynamic calls (their fixed inputs applied)", async () => {
    // (0+100) + (1+100) + (2+100)
    expect(await runLocally(callsLaunchPlan, { n: 3 }, scratch())).toEqual({ o0: 303 });
  });

  it("lets a fan-out that does not fail finish", async () => {
    expect(await runLocally(fanWithFailure, { n: 5, bad: -1 }, scratch())).toEqual({ o0: [0, 1, 2, 3, 4] });
  });
});
