import { describe, expect, it } from "vitest";
import {
  A100,
  A100_80GB,
  A10G,
  gpuAccelerator,
  H100,
  H200,
  K80,
  L4,
  L40S,
  L4_VWS,
  M60,
  P100,
  P4,
  RTX_PRO_6000,
  T4,
  V100,
  V5E,
  V5P,
  V6E,
  type Accelerator,
  type TaskSettings,
} from "../src/index.js";
import { problemLines, templateJson } from "./helpers.js";

const wire = (accelerator: Accelerator) => templateJson({ accelerator })["extendedResources"];

describe("accelerator constants (flytekit.extras.accelerators)", () => {
  it.each([
    [A10G, "nvidia-a10g"],
    [L4, "nvidia-l4"],
    [L4_VWS, "nvidia-l4-vws"],
    [L40S, "nvidia-l40s"],
    [K80, "nvidia-tesla-k80"],
    [M60, "nvidia-tesla-m60"],
    [P4, "nvidia-tesla-p4"],
    [P100, "nvidia-tesla-p100"],
    [T4, "nvidia-tesla-t4"],
    [V100, "nvidia-tesla-v100"],
    [H100, "nvidia-h100"],
    [H200, "nvidia-h200"],
    [RTX_PRO_6000, "nvidia-rtx-pro-6000"],
    [A100, "nvidia-tesla-a100"],
    [A100_80GB, "nvidia-a100-80gb"],
    [V5E, "tpu-v5-lite-podslice"],
    [V5P, "tpu-v5p-slice"],
    [V6E, "tpu-v6e-slice"],
  ] as const)("%o is device %s, with no partition preference", (acc, device) => {
    expect(wire(acc)).toEqual({ gpuAccelerator: { device } });
  });

  it("offer A100 MIG partitions and a whole-device variant", () => {
    expect(wire(A100.unpartitioned)).toEqual({ gpuAccelerator: { device: "nvidia-tesla-a100", unpartitioned: true } });
    const sizes = [A100.partition_1g_5gb, A100.partition_2g_10gb, A100.partition_3g_20gb, A100.partition_4g_20gb, A100.partition_7g_40gb];
    expect(sizes.map((a) => wire(a))).toEqual(
      ["1g.5gb", "2g.10gb", "3g.20gb", "4g.20gb", "7g.40gb"].map((partitionSize) => ({
        gpuAccelerator: { device: "nvidia-tesla-a100", partitionSize },
      })),
    );
  });

  it("offer A100 80GB partitions", () => {
    const all = [A100_80GB.partition_1g_10gb, A100_80GB.partition_2g_20gb, A100_80GB.partition_3g_40gb, A100_80GB.partition_4g_40gb, A100_80GB.partition_7g_80gb];
    expect(all.map((a) => a.partition)).toEqual(["1g.10gb", "2g.20gb", "3g.40gb", "4g.40gb", "7g.80gb"].map((size) => ({ size })));
    expect(all.every((a) => a.device === "nvidia-a100-80gb")).toBe(true);
  });

  it("offer TPU slices", () => {
    expect(wire(V5E.slice_2x4)).toEqual({ gpuAccelerator: { device: "tpu-v5-lite-podslice", partitionSize: "2x4" } });
    expect(wire(V5P.slice_16x16x24)).toEqual({ gpuAccelerator: { device: "tpu-v5p-slice", partitionSize: "16x16x24" } });
    expect(wire(V6E.slice_16x16)).toEqual({ gpuAccelerator: { device: "tpu-v6e-slice", partitionSize: "16x16" } });
    const v5e = ["slice_1x1", "slice_2x2", "slice_2x4", "slice_4x4", "slice_4x8", "slice_8x8", "slice_8x16", "slice_16x16"] as const;
    expect(v5e.map((k) => V5E[k].partition)).toEqual(["1x1", "2x2", "2x4", "4x4", "4x8", "8x8", "8x16", "16x16"].map((size) => ({ size })));
    expect(v5e.map((k) => V6E[k].partition)).toEqual(v5e.map((k) => V5E[k].partition));
    const v5p = [V5P.slice_2x2x1, V5P.slice_2x2x2, V5P.slice_2x4x4, V5P.slice_4x4x4, V5P.slice_4x4x8, V5P.slice_4x8x8, V5P.slice_8x8x8, V5P.slice_8x8x16, V5P.slice_8x16x16, V5P.slice_16x16x16, V5P.slice_16x16x24];
    expect(v5p.map((a) => (a.partition as { size: string }).size)).toEqual([
      "2x2x1", "2x2x2", "2x4x4", "4x4x4", "4x4x8", "4x8x8", "8x8x8", "8x8x16", "8x16x16", "16x16x16", "16x16x24",
    ]);
  });

  it("are frozen plain data: the bare device serializes as {device}", () => {
    expect(JSON.parse(JSON.stringify(A100))).toEqual({ device: "nvidia-tesla-a100" });
    expect({ ...A100 }).toEqual({ device: "nvidia-tesla-a100" });
    expect(Object.isFrozen(T4) && Object.isFrozen(A100) && Object.isFrozen(A100.partition_1g_5gb)).toBe(true);
  });

  it("accept custom devices", () => {
    expect(wire(gpuAccelerator("nvidia-b200"))).toEqual({ gpuAccelerator: { device: "nvidia-b200" } });
    expect(wire(gpuAccelerator("amd-mi300x", { size: "cpx" }))).toEqual({ gpuAccelerator: { device: "amd-mi300x", partitionSize: "cpx" } });
    expect(wire(gpuAccelerator("nvidia-h100", "unpartitioned"))).toEqual({ gpuAccelerator: { device: "nvidia-h100", unpartitioned: true } });
  });

  it("are validated when they come from outside TypeScript", () => {
    const bad = (accelerator: unknown) => problemLines({ accelerator } as TaskSettings);
    expect(bad("nvidia-tesla-t4")).toEqual(['accelerator: must be an accelerator such as T4 or A100.partition_2g_10gb, got "nvidia-tesla-t4"']);
    expect(bad({ device: "" })).toEqual(['accelerator.device: must be a non-empty device name such as "nvidia-tesla-t4"']);
    expect(bad({ device: "x", partition: { size: "" } })).toEqual([
      'accelerator.partition: must be "unpartitioned" or { size: "<partition>" } with a non-empty size, got {"size":""}',
    ]);
    expect(bad({ device: "x", partitionSize: "1g" })).toEqual([
      'accelerator.partitionSize: unknown accelerator field "partitionSize" (did you mean "partition"?); expected one of "device", "partition"',
    ]);
  });

  it("are left out (no ExtendedResources) when neither accelerator nor shared memory is set", () => {
    expect(templateJson({})).not.toHaveProperty("extendedResources");
  });
});

describe("shared memory", () => {
  it("true mounts flyte-shared-memory at /dev/shm without a size", () => {
    expect(templateJson({ sharedMemory: true })["extendedResources"]).toEqual({
      sharedMemory: { mountName: "flyte-shared-memory", mountPath: "/dev/shm" },
    });
  });

  it("a size also sets the size limit", () => {
    expect(templateJson({ sharedMemory: "2Gi", accelerator: T4 })["extendedResources"]).toEqual({
      gpuAccelerator: { device: "nvidia-tesla-t4" },
      sharedMemory: { mountName: "flyte-shared-memory", mountPath: "/dev/shm", sizeLimit: "2Gi" },
    });
  });

  it("is validated", () => {
    expect(problemLines({ sharedMemory: "2GB" } as unknown as TaskSettings)).toEqual([
      expect.stringMatching(/^sharedMemory: "2GB" is not a Kubernetes quantity/),
    ]);
    expect(problemLines({ sharedMemory: false } as unknown as TaskSettings)).toEqual([
      'sharedMemory: must be true or a size such as "2Gi"; leave it out for no shared memory',
    ]);
    expect(problemLines({ sharedMemory: "0" })).toEqual(['sharedMemory: "0" must be a positive size']);
  });
});
