import { describe, expect, it } from "vitest";
import { compareQuantities, isInvalidSettingsError, parseQuantity, quantity, type ParsedQuantity } from "../src/index.js";
import { thrownBy } from "./helpers.js";

function parsed(value: string | number): ParsedQuantity {
  const q = parseQuantity(value);
  if ("error" in q) throw new Error(`${value}: ${q.error}`);
  return q;
}

const cmp = (a: string | number, b: string | number) => compareQuantities(parsed(a), parsed(b));

describe("Kubernetes quantities", () => {
  it("parse every suffix exactly", () => {
    const exact = (v: string | number) => {
      const q = parsed(v);
      return Number(q.numerator) / Number(q.denominator);
    };
    expect(exact("500m")).toBe(0.5);
    expect(exact("2")).toBe(2);
    expect(exact("1.5Gi")).toBe(1.5 * 2 ** 30);
    expect(exact("1k")).toBe(1000);
    expect(exact("1Ki")).toBe(1024);
    expect(exact("3M")).toBe(3e6);
    expect(exact("2Mi")).toBe(2 * 2 ** 20);
    expect(exact("1e3")).toBe(1000);
    expect(exact("1E3")).toBe(1000);
    expect(exact("5e-1")).toBe(0.5);
    expect(exact(".5")).toBe(0.5);
    expect(exact("1.")).toBe(1);
    expect(exact("1E")).toBe(1e18); // exa, not an exponent
    expect(exact("+2")).toBe(2);
    expect(exact(0.25)).toBe(0.25);
    expect(exact(1e21 / 1e6)).toBe(1e15);
    expect(parsed("-1").numerator).toBe(-1n);
  });

  it("compare numerically, across suffixes", () => {
    expect(cmp("500m", "1")).toBe(-1);
    expect(cmp("1Gi", "1024Mi")).toBe(0);
    expect(cmp("1G", "1Gi")).toBe(-1);
    expect(cmp("1000m", 1)).toBe(0);
    expect(cmp("1.5", "1500m")).toBe(0);
    expect(cmp("4Gi", "2Gi")).toBe(1);
    expect(cmp("1e3", "1k")).toBe(0);
    expect(cmp(0.5, "499m")).toBe(1);
  });

  it("say why a string is not a quantity", () => {
    for (const bad of ["1GB", "1 Gi", "", "abc", "1.2.3", "Gi", "1gi", "0x10", "1e", "1Ki3"]) {
      const result = parseQuantity(bad);
      expect(result, bad).toHaveProperty("error");
      expect((result as { error: string }).error).toMatch(/is not a Kubernetes quantity/);
    }
    expect(parseQuantity(Number.NaN)).toEqual({ error: "is not a finite number" });
    expect(parseQuantity(Infinity)).toEqual({ error: "is not a finite number" });
    expect(parseQuantity(true)).toHaveProperty("error", expect.stringMatching(/must be a Kubernetes quantity string/));
    expect(parseQuantity("1e99")).toEqual({ error: "has an exponent out of range (at most ±30)" });
    expect(parseQuantity("9Ei")).toEqual({ error: "is larger than Kubernetes can represent (2^63-1)" });
  });

  it("are checked at run time by quantity()", () => {
    expect(quantity("1.5Gi")).toBe("1.5Gi");
    expect(quantity(2)).toBe(2);
    const error = thrownBy(() => quantity("1GB"));
    expect(isInvalidSettingsError(error)).toBe(true);
    expect(error.problems).toEqual([{ setting: "quantity", value: "1GB", message: expect.stringMatching(/^"1GB" is not a Kubernetes quantity/) }]);
    expect(thrownBy(() => quantity("-1")).message).toMatch(/"-1" is negative/);
  });
});
