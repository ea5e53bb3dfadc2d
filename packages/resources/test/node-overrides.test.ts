import { flyteidl, toProtoJson } from "@flytekit-ts/idl";
import { describe, expect, it } from "vitest";
import {
  A100,
  NODE_OVERRIDE_KEYS,
  nodeOverrides,
  taskNodeMetadata,
  validateNodeOverrides,
  type NodeOverrideSettings,
} from "../src/index.js";
import { thrownBy } from "./helpers.js";

const json = (settings: NodeOverrideSettings) => {
  const { metadata, overrides } = nodeOverrides(settings);
  return {
    metadata: toProtoJson(flyteidl.core.NodeMetadata, flyteidl.core.NodeMetadata.create(metadata)),
    overrides: toProtoJson(flyteidl.core.TaskNodeOverrides, overrides),
  };
};
const lines = (settings: NodeOverrideSettings) => validateNodeOverrides(settings).map((p) => `${p.setting}: ${p.message}`);

describe("node overrides", () => {
  it("are empty when nothing is overridden (flytekit still sends TaskNodeOverrides)", () => {
    const { metadata, overrides } = nodeOverrides({});
    expect(metadata).toEqual({});
    expect(overrides).toBeInstanceOf(flyteidl.core.TaskNodeOverrides);
    expect(json({})).toEqual({ metadata: {}, overrides: {} });
  });

  it("override resources, in flytekit's override order (CPU, MEMORY, GPU, EPHEMERAL_STORAGE)", () => {
    expect(json({ requests: { ephemeralStorage: "1Gi", memory: "2Gi", cpu: "1" }, limits: { gpu: 1 } }).overrides).toEqual({
      resources: {
        requests: [
          { name: "CPU", value: "1" },
          { name: "MEMORY", value: "2Gi" },
          { name: "EPHEMERAL_STORAGE", value: "1Gi" },
        ],
        limits: [{ name: "GPU", value: "1" }],
      },
    });
    expect(json({ resources: { cpu: ["1", "2"] } }).overrides).toEqual({
      resources: { requests: [{ name: "CPU", value: "1" }], limits: [{ name: "CPU", value: "2" }] },
    });
  });

  it("override the accelerator, shared memory and image", () => {
    expect(json({ accelerator: A100.unpartitioned, sharedMemory: "1Gi", containerImage: { registry: "ghcr.io/acme", name: "gpu", tag: "2" } }).overrides).toEqual({
      extendedResources: {
        gpuAccelerator: { device: "nvidia-tesla-a100", unpartitioned: true },
        sharedMemory: { mountName: "flyte-shared-memory", mountPath: "/dev/shm", sizeLimit: "1Gi" },
      },
      containerImage: "ghcr.io/acme/gpu:2",
    });
  });

  it("override the pod template, naming the primary container in K8sPod itself", () => {
    expect(
      json({
        podTemplate: {
          primaryContainerName: "main",
          labels: { team: "ml" },
          podSpec: { containers: [{ name: "main", env: [{ name: "A", value: "1" }] }], nodeSelector: { pool: "big" } },
        },
      }).overrides,
    ).toEqual({
      podTemplate: {
        metadata: { labels: { team: "ml" } },
        // As given: propeller merges the task's container into it.
        podSpec: { containers: [{ name: "main", env: [{ name: "A", value: "1" }] }], nodeSelector: { pool: "big" } },
        primaryContainerName: "main",
      },
    });
    expect(json({ podTemplate: {} }).overrides).toEqual({ podTemplate: { metadata: {}, podSpec: { containers: [] }, primaryContainerName: "primary" } });
  });

  it("override NodeMetadata fields, each only when given", () => {
    expect(json({ name: "train-big", retries: 5, timeout: { hours: 1 }, interruptible: false }).metadata).toEqual({
      name: "train-big",
      timeout: "3600s",
      retries: { retries: 5 },
      interruptible: false,
    });
    // An explicit 0 removes the task's timeout on this node.
    expect(json({ timeout: 0 }).metadata).toEqual({ timeout: "0s" });
  });

  it("override caching through NodeMetadata's oneofs", () => {
    expect(json({ cache: false }).metadata).toEqual({ cacheable: false });
    expect(json({ cache: true, cacheVersion: "v9", cacheSerialize: true }).metadata).toEqual({ cacheable: true, cacheVersion: "v9", cacheSerializable: true });
    expect(json({ cache: { version: "v9", serialize: false } }).metadata).toEqual({ cacheable: true, cacheVersion: "v9", cacheSerializable: false });
    expect(json({ cacheVersion: "v10" }).metadata).toEqual({ cacheVersion: "v10" });
    const decoded = flyteidl.core.NodeMetadata.decode(flyteidl.core.NodeMetadata.encode(flyteidl.core.NodeMetadata.create(nodeOverrides({ cache: false }).metadata)).finish());
    expect(decoded.cacheableValue).toBe("cacheable");
  });

  it("are validated, every problem at once", () => {
    const settings = {
      name: "",
      retries: 1.5,
      requests: { cpu: "2" },
      limits: { cpu: "1" },
      cache: false,
      cacheSerialize: true,
      podTemplate: { primaryContainerName: "" },
      containerImage: "",
      timeout: -1,
      interruptible: 1,
      environment: { A: "1" },
    } as unknown as NodeOverrideSettings;
    expect(lines(settings)).toEqual([
      'environment: unknown node override "environment"; expected one of ' + NODE_OVERRIDE_KEYS.map((k) => `"${k}"`).join(", "),
      'name: "" must be a non-empty node name',
      'requests.cpu: the cpu request "2" is more than its limit "1" (limits.cpu)',
      "retries: 1.5 must be a whole number of retries, 0 or more",
      "timeout: -1 must be a finite number of seconds, zero or more",
      "interruptible: 1 must be true or false",
      "cacheSerialize: cannot be true while cache is false",
      "podTemplate.primaryContainerName: \"\" is not a valid container name: at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit",
      'containerImage: "" is not an image name (empty or contains whitespace)',
    ]);
    const error = thrownBy(() => nodeOverrides({ retries: -1 }, 'node "n0"'));
    expect(error.message).toBe('1 problem in node "n0":\n  - retries: -1 must be a whole number of retries, 0 or more');
    expect(lines({ cache: { version: "1" }, cacheVersion: "2", cacheSerialize: false })).toEqual([
      "cacheVersion: cannot be combined with a cache object; put it in cache: { version: ... }",
      "cacheSerialize: cannot be combined with a cache object; put it in cache: { serialize: ... }",
    ]);
  });
});

describe("taskNodeMetadata", () => {
  it("derives a task node's metadata from the task, as flytekit's construct_node_metadata", () => {
    expect(toProtoJson(flyteidl.core.NodeMetadata, taskNodeMetadata("t1", {}))).toEqual({ name: "t1", retries: {} });
    expect(toProtoJson(flyteidl.core.NodeMetadata, taskNodeMetadata("t1", { retries: 2, timeout: 60, interruptible: true }))).toEqual({
      name: "t1",
      timeout: "60s",
      retries: { retries: 2 },
      interruptible: true,
    });
  });

  it("applies the node's overrides on top", () => {
    expect(
      toProtoJson(flyteidl.core.NodeMetadata, taskNodeMetadata("t1", { retries: 2, timeout: 60 }, { name: "renamed", retries: 0, cache: true })),
    ).toEqual({ name: "renamed", timeout: "60s", retries: {}, cacheable: true });
  });

  it("refuses invalid task settings, naming the node", () => {
    expect(thrownBy(() => taskNodeMetadata("n3", { retries: -2 })).message).toBe(
      '1 problem in task settings of node "n3":\n  - retries: -2 must be a whole number of retries, 0 or more',
    );
    expect(thrownBy(() => taskNodeMetadata("n3", {}, { retries: -2 })).message).toMatch(/^1 problem in overrides of node "n3"/);
  });
});
