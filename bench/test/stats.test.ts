import { describe, expect, it } from "vitest";
import { median, sample, speedup } from "../src/stats.js";

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

  it("sample the requested number of runs after warm-up", async () => {
    let calls = 0;
    const times = await sample(() => calls++, 4, 2);
    expect(times).toHaveLength(4);
    expect(calls).toBe(6);
  });
});
