import { describe, expect, it } from "vitest";
import { baseline, interleave, median, sample, speedup, targetNote } from "../src/stats.js";

describe("benchmark statistics", () => {
  it("take the median of odd and even samples", () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(/no values/);
  });

  it("express speed-ups against a baseline", () => {
    expect(speedup(10, 300)).toBe("30.0×");
    expect(speedup(10, undefined)).toBe("—");
  });

  it("say when a target lies below what bare Node.js itself takes", () => {
    expect(targetNote("target ≤ half", 39.6, 40.4, "MB")).toBe("target ≤ half (≤ 39.6 MB): below bare Node's own 40.4 MB (node floor row), so no Node.js process can meet it");
    expect(targetNote("target ≤ half", 62.9, 40.4, "MB")).toBe("target ≤ half (≤ 62.9 MB)");
    expect(targetNote("target ≥ 12×", 72, undefined, "ms")).toBe("target ≥ 12× (≤ 72.0 ms)");
    expect(targetNote("target ≥ 12×", undefined, 60, "ms")).toBe("target ≥ 12×");
  });

  it("sample the requested number of runs after warm-up", async () => {
    let calls = 0;
    const times = await sample(() => calls++, 4, 2);
    expect(times).toHaveLength(4);
    expect(calls).toBe(6);
  });
});

describe("side-by-side rounds", () => {
  it("alternate which side goes first, keep only the measured rounds, and run ours alone without theirs", async () => {
    const order: string[] = [];
    const rounds = await interleave(
      3,
      () => (order.push("ours"), order.length),
      async () => (order.push("theirs"), -order.length),
      1,
    );
    expect(order).toEqual(["ours", "theirs", "theirs", "ours", "ours", "theirs", "theirs", "ours"]);
    expect(rounds.ours).toEqual([4, 5, 8]);
    expect(rounds.theirs).toEqual([-3, -6, -7]);
    const alone = await interleave(2, () => 1);
    expect(alone).toEqual({ ours: [1, 1], theirs: [] });
  });

  it("take flytekit's figure from this run when there is one, else the stored one, labelled", () => {
    expect(baseline([30, 10, 20], 99)).toEqual({ flytekitMs: 20, flytekitSource: "live" });
    expect(baseline([], 99)).toEqual({ flytekitMs: 99, flytekitSource: "stored" });
    expect(baseline([], undefined)).toEqual({});
  });
});
