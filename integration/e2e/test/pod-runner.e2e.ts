/**
 * The pod runner (pod-runner/) against the real kube-apiserver of the end-to-end profile, with pods
 * this test makes itself in the default namespace: exit codes become Succeeded / Failed with the
 * code, an image mapped to nothing fails with the reason, and the runner deletes none of them.
 */
import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { CoreV1Api, KubeConfig, type V1Pod } from "@kubernetes/client-node";
import { e2e } from "./support.js";

const config = new KubeConfig();
config.loadFromFile(e2e().kubeconfig);
const core = config.makeApiClient(CoreV1Api);
const namespace = "default";
const suffix = randomBytes(3).toString("hex");
const made: string[] = [];

async function makePod(name: string, image: string, command: string[]): Promise<string> {
  const podName = `${name}-${suffix}`;
  await core.createNamespacedPod({
    namespace,
    body: { metadata: { name: podName }, spec: { restartPolicy: "Never", containers: [{ name: "main", image, command, env: [{ name: "WHO", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } }] }] } },
  });
  made.push(podName);
  return podName;
}

async function ended(name: string): Promise<V1Pod> {
  for (let i = 0; i < 600; i++) {
    const pod = await core.readNamespacedPod({ name, namespace });
    if (pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed") return pod;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`pod ${name} did not end within 5 minutes`);
}

afterAll(async () => {
  for (const name of made) await core.deleteNamespacedPod({ name, namespace }).catch(() => undefined);
});

describe.concurrent("the pod runner on a real API server", () => {
  it("a process exiting 0 makes the pod Succeeded, with the pod's environment", async () => {
    const name = await makePod("ok", "ghcr.io/flytekit-ts/runtime:test", ["sh", "-c", 'test "$WHO" = "$0"', `ok-${suffix}`]);
    const pod = await ended(name);
    expect(pod.status?.phase).toBe("Succeeded");
    expect(pod.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 0, reason: "Completed" });
  });

  it("a process exiting 3 makes the pod Failed with exit code 3 and the end of stderr", async () => {
    const name = await makePod("fails", "ghcr.io/flytekit-ts/runtime:test", ["sh", "-c", "echo broken >&2; exit 3"]);
    const pod = await ended(name);
    expect(pod.status?.phase).toBe("Failed");
    expect(pod.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 3, reason: "Error", message: "broken" });
  });

  it("an image mapped to no local installation fails the pod, saying so; the runner deleted none of the pods", async () => {
    const name = await makePod("unmapped", "busybox:1.36", ["true"]);
    const pod = await ended(name);
    expect(pod.status?.phase).toBe("Failed");
    expect(pod.status?.message).toMatch(/image "busybox:1\.36", which is mapped to no local installation/);
    for (const each of made) expect((await core.readNamespacedPod({ name: each, namespace })).metadata?.deletionTimestamp).toBeUndefined();
  });
});
