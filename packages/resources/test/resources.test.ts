import { describe, expect, it } from "vitest";
import { quantity, taskTemplateParts, type TaskSettings } from "../src/index.js";
import { context, problemLines, templateJson, thrownBy } from "./helpers.js";

const resourcesOf = (settings: TaskSettings) => templateJson(settings)["container"] as { resources?: unknown };

describe("requests and limits on the container", () => {
  it("become ResourceEntry lists in flytekit's order (EPHEMERAL_STORAGE, CPU, GPU, MEMORY), only for values given", () => {
    expect(
      resourcesOf({
        requests: { memory: "1Gi", cpu: "500m", ephemeralStorage: "2Gi", gpu: 1 },
        limits: { memory: "4Gi", cpu: 2 },
      }).resources,
    ).toEqual({
      requests: [
        { name: "EPHEMERAL_STORAGE", value: "2Gi" },
        { name: "CPU", value: "500m" },
        { name: "GPU", value: "1" },
        { name: "MEMORY", value: "1Gi" },
      ],
      limits: [
        { name: "CPU", value: "2" },
        { name: "MEMORY", value: "4Gi" },
      ],
    });
  });

  it("write numbers the way flytekit's str() does", () => {
    expect(resourcesOf({ requests: { cpu: 0.5, memory: 1048576 } }).resources).toEqual({
      requests: [
        { name: "CPU", value: "0.5" },
        { name: "MEMORY", value: "1048576" },
      ],
    });
  });

  it("keep a request without a limit as a request only (the backend then uses it as the limit)", () => {
    expect(resourcesOf({ requests: { cpu: "1" } }).resources).toEqual({ requests: [{ name: "CPU", value: "1" }] });
    expect(resourcesOf({ limits: { memory: "1Gi" } }).resources).toEqual({ limits: [{ name: "MEMORY", value: "1Gi" }] });
  });

  it("are an empty Resources message when nothing is asked for (flytekit sends it anyway)", () => {
    const parts = taskTemplateParts({}, context);
    expect(parts.container?.resources).toBeDefined();
    expect(resourcesOf({}).resources).toEqual({});
  });

  it("accept quantities checked at run time", () => {
    const fromConfig: string = "3Gi";
    expect(resourcesOf({ requests: { memory: quantity(fromConfig) } }).resources).toEqual({ requests: [{ name: "MEMORY", value: "3Gi" }] });
  });
});

describe("combined resources (flytekit's resources=)", () => {
  it("split [request, limit] pairs; a single amount is a request only", () => {
    expect(resourcesOf({ resources: { cpu: ["1", "2"], memory: "1Gi", gpu: [1, 1] } }).resources).toEqual({
      requests: [
        { name: "CPU", value: "1" },
        { name: "GPU", value: "1" },
        { name: "MEMORY", value: "1Gi" },
      ],
      limits: [
        { name: "CPU", value: "2" },
        { name: "GPU", value: "1" },
      ],
    });
  });

  it("cannot be mixed with requests or limits", () => {
    expect(problemLines({ resources: { cpu: "1" }, limits: { cpu: "2" } })).toEqual([
      'resources: cannot be combined with requests or limits; give either resources or requests/limits',
    ]);
  });

  it("must be pairs of exactly two", () => {
    const settings = { resources: { cpu: ["1", "2", "3"] } } as unknown as TaskSettings;
    expect(problemLines(settings)).toEqual(["resources.cpu: must be a single amount or a [request, limit] pair, got 3 values"]);
  });
});

describe("resource validation", () => {
  it("names the field and the value of a bad quantity", () => {
    const settings = { requests: { memory: "1GB", cpu: "lots" }, limits: { cpu: -1 } } as unknown as TaskSettings;
    const lines = problemLines(settings);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^requests\.cpu: "lots" is not a Kubernetes quantity: expected a number with an optional suffix/);
    expect(lines[1]).toMatch(/^requests\.memory: "1GB" is not a Kubernetes quantity/);
    expect(lines[2]).toBe("limits.cpu: -1 is negative; resource amounts must be zero or more");
  });

  it("compares requests with limits numerically", () => {
    expect(problemLines({ requests: { cpu: "500m", memory: "1024Mi" }, limits: { cpu: "1", memory: "1Gi" } })).toEqual([]);
    expect(problemLines({ requests: { cpu: "1500m", memory: "2Gi" }, limits: { cpu: 1, memory: "1024Mi" } })).toEqual([
      'requests.cpu: the cpu request "1500m" is more than its limit "1" (limits.cpu)',
      'requests.memory: the memory request "2Gi" is more than its limit "1024Mi" (limits.memory)',
    ]);
    expect(problemLines({ resources: { ephemeralStorage: ["2Gi", "1Gi"] } })).toEqual([
      'resources.ephemeralStorage[0]: the ephemeralStorage request "2Gi" is more than its limit "1Gi" (resources.ephemeralStorage[1])',
    ]);
  });

  it("wants whole GPUs, with the request equal to the limit", () => {
    expect(problemLines({ limits: { gpu: "500m" } })).toEqual(['limits.gpu: "500m" is not a whole number of GPUs']);
    expect(problemLines({ requests: { gpu: 1 }, limits: { gpu: 2 } })).toEqual([
      'requests.gpu: the gpu request "1" must equal its limit "2": Kubernetes does not overcommit GPUs',
    ]);
  });

  it("rejects unknown resource names, suggesting the nearest", () => {
    const settings = { requests: { cpuu: "1", mem: "1Gi", disk: "1Gi" } } as unknown as TaskSettings;
    expect(problemLines(settings)).toEqual([
      'requests.cpuu: unknown resource "cpuu" (did you mean "cpu"?); expected one of "cpu", "memory", "gpu", "ephemeralStorage"',
      'requests.mem: unknown resource "mem" (did you mean "memory"?); expected one of "cpu", "memory", "gpu", "ephemeralStorage"',
      'requests.disk: unknown resource "disk" (did you mean "ephemeralStorage"?); expected one of "cpu", "memory", "gpu", "ephemeralStorage"',
    ]);
  });

  it("throws every problem at once from taskTemplateParts", () => {
    const error = thrownBy(() =>
      taskTemplateParts({ requests: { cpu: "x" }, limits: { memory: "y" } } as unknown as TaskSettings, { ...context, subject: 'task "t1"' }),
    );
    expect(error.problems.map((p) => p.setting)).toEqual(["requests.cpu", "limits.memory"]);
    expect(error.message).toMatch(/^2 problems in task "t1":\n {2}- requests\.cpu: "x" is not a Kubernetes quantity.*\n {2}- limits\.memory: "y" is not/);
  });
});
