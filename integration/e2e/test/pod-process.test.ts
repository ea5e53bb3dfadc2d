import { describe, expect, it } from "vitest";
import type { V1Pod } from "@kubernetes/client-node";
import { podProcess, UnrunnablePodError, type ImageMapping } from "../pod-runner/pod-process.js";
import { finishedStatus, runningStatus } from "../pod-runner/pod-status.js";

const images: ImageMapping[] = [
  { image: "ghcr.io/flytekit-ts/runtime:", path: ["/opt/flyte-ts/bin"] },
  { image: "cr.flyte.org/flyteorg/flytekit:", path: ["/venvs/flytekit/bin"] },
];

function pod(overrides: Partial<V1Pod["spec"]> & { annotations?: Record<string, string> } = {}): V1Pod {
  const { annotations, ...spec } = overrides;
  return {
    metadata: { name: "a-n0-0", namespace: "flytesnacks-development", uid: "u-1", ...(annotations ? { annotations } : {}) },
    spec: {
      containers: [
        {
          name: "a-n0-0",
          image: "ghcr.io/flytekit-ts/runtime:0.1.0",
          args: ["flyte-ts", "execute", "--inputs", "s3://b/in"],
          env: [
            { name: "FLYTE_INTERNAL_EXECUTION_ID", value: "a" },
            { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
          ],
        },
      ],
      ...spec,
    },
  };
}

describe("podProcess", () => {
  it("runs command then args, with the image's directories first on PATH and the container's env over the base", () => {
    const p = podProcess(pod(), images, { PATH: "/usr/bin", HOME: "/root", FLYTE_INTERNAL_EXECUTION_ID: "base" });
    expect(p.argv).toEqual(["flyte-ts", "execute", "--inputs", "s3://b/in"]);
    expect(p.env).toEqual({ PATH: "/opt/flyte-ts/bin:/usr/bin", HOME: "/root", FLYTE_INTERNAL_EXECUTION_ID: "a", POD_NAME: "a-n0-0" });
    expect(p.container).toBe("a-n0-0");
    const withCommand = pod({ containers: [{ name: "c", image: "cr.flyte.org/flyteorg/flytekit:py3.12", command: ["pyflyte-execute"], args: ["--inputs", "x"] }] });
    expect(podProcess(withCommand, images, {}).argv).toEqual(["pyflyte-execute", "--inputs", "x"]);
    expect(podProcess(withCommand, images, {}).env["PATH"]).toBe("/venvs/flytekit/bin");
  });

  it("picks the container the primary_container_name annotation names", () => {
    const sidecar = pod({
      annotations: { primary_container_name: "main" },
      containers: [
        { name: "side", image: "busybox", command: ["sleep", "1000"] },
        { name: "main", image: "ghcr.io/flytekit-ts/runtime:1", args: ["flyte-ts", "execute"] },
      ],
    });
    expect(podProcess(sidecar, images, {}).argv).toEqual(["flyte-ts", "execute"]);
  });

  it("refuses, saying why, what it cannot run", () => {
    const unmapped = pod({ containers: [{ name: "c", image: "busybox:1", command: ["true"] }] });
    expect(() => podProcess(unmapped, images, {})).toThrow(UnrunnablePodError);
    expect(() => podProcess(unmapped, images, {})).toThrow(/image "busybox:1", which is mapped to no local installation/);
    const two = pod({ containers: [{ name: "x", image: "ghcr.io/flytekit-ts/runtime:1", args: ["a"] }, { name: "y", image: "ghcr.io/flytekit-ts/runtime:1", args: ["b"] }] });
    expect(() => podProcess(two, images, {})).toThrow(/has 2 containers and no primary_container_name annotation/);
    expect(() => podProcess(pod({ annotations: { primary_container_name: "z" } }), images, {})).toThrow(/names "z", which is not one of its containers \(a-n0-0\)/);
    const noArgs = pod({ containers: [{ name: "c", image: "ghcr.io/flytekit-ts/runtime:1" }] });
    expect(() => podProcess(noArgs, images, {})).toThrow(/neither command nor args/);
    const secretEnv = pod({ containers: [{ name: "c", image: "ghcr.io/flytekit-ts/runtime:1", args: ["x"], env: [{ name: "S", valueFrom: { secretKeyRef: { name: "s", key: "k" } } }] }] });
    expect(() => podProcess(secretEnv, images, {})).toThrow(/env S comes from a source this runner does not provide/);
    const nodeField = pod({ containers: [{ name: "c", image: "ghcr.io/flytekit-ts/runtime:1", args: ["x"], env: [{ name: "N", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } }] }] });
    expect(() => podProcess(nodeField, images, {})).toThrow(/env N refers to the field spec.nodeName/);
  });
});

describe("pod statuses", () => {
  const startedAt = new Date("2026-01-01T00:00:00Z");
  const finishedAt = new Date("2026-01-01T00:00:05Z");
  it("Running with a running, ready container", () => {
    const s = runningStatus({ container: "c", image: "i", startedAt });
    expect(s.phase).toBe("Running");
    expect(s.containerStatuses?.[0]?.state?.running?.startedAt).toBe(startedAt);
    expect(s.containerStatuses?.[0]?.ready).toBe(true);
  });
  it("Succeeded on exit code 0, Failed with the code and the message otherwise", () => {
    const ok = finishedStatus({ container: "c", image: "i", startedAt, finishedAt, exitCode: 0, message: "" });
    expect(ok.phase).toBe("Succeeded");
    expect(ok.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 0, reason: "Completed" });
    const failed = finishedStatus({ container: "c", image: "i", startedAt, finishedAt, exitCode: 3, message: "boom" });
    expect(failed.phase).toBe("Failed");
    expect(failed.message).toBe("boom");
    expect(failed.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 3, reason: "Error", message: "boom", finishedAt });
  });
});
