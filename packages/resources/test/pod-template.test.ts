import { flyteidl, toProtoJson } from "@flytekit-ts/idl";
import { describe, expect, it } from "vitest";
import { taskTemplateParts, type PodTemplate, type TaskSettings } from "../src/index.js";
import { ARGS, context, problemLines, templateJson, type Json } from "./helpers.js";

const podOf = (settings: TaskSettings, extra = {}) => templateJson(settings, extra)["k8sPod"] as Json;
const containersOf = (settings: TaskSettings, extra = {}) => (podOf(settings, extra)["podSpec"] as Json)["containers"] as Json[];

describe("a task pod template", () => {
  const sidecar = { name: "proxy", image: "envoyproxy/envoy:v1.30", args: ["--config", "/etc/envoy.yaml"] };

  it("makes the task a k8s_pod task: no container target, primary container name in config", () => {
    const json = templateJson({ podTemplate: {} });
    expect(json).not.toHaveProperty("container");
    expect(json["config"]).toEqual({ primary_container_name: "primary" });
    expect(json["k8sPod"]).not.toHaveProperty("primaryContainerName");
    expect(templateJson({ podTemplate: { primaryContainerName: "main" } })["config"]).toEqual({ primary_container_name: "main" });
  });

  it("appends the primary container when the spec has none, with the task's image, command, args and env", () => {
    expect(containersOf({ podTemplate: { podSpec: { containers: [sidecar] } }, environment: { A: "1" } })).toEqual([
      sidecar,
      { name: "primary", image: "ghcr.io/acme/app:v1", command: [], args: ARGS, env: [{ name: "A", value: "1" }] },
    ]);
    // No pod spec at all: flytekit's default V1PodSpec(containers=[]) plus the primary container.
    expect(podOf({ podTemplate: {} })["podSpec"]).toEqual({
      containers: [{ name: "primary", image: "ghcr.io/acme/app:v1", command: [], args: ARGS, env: [] }],
    });
  });

  it("merges into the container named as the primary, leaving the others alone", () => {
    const template: PodTemplate = {
      primaryContainerName: "main",
      podSpec: {
        containers: [
          sidecar,
          {
            name: "main",
            command: ["ignored"],
            args: ["ignored"],
            env: [{ name: "OWN", value: "kept" }],
            volumeMounts: [{ name: "data", mountPath: "/data" }],
            resources: { limits: { cpu: "9" } },
          },
        ],
        volumes: [{ name: "data", emptyDir: {} }],
      },
    };
    const containers = containersOf(
      { podTemplate: template, environment: { TASK: "t" }, requests: { cpu: "1", ephemeralStorage: "1Gi" }, limits: { gpu: 1 } },
      { command: ["node"] },
    );
    expect(containers[0]).toEqual(sidecar);
    expect(containers[1]).toEqual({
      name: "main",
      image: "ghcr.io/acme/app:v1",
      command: ["node"],
      args: ARGS,
      // The task's env first, then the container's own (flytekit prepends).
      env: [
        { name: "TASK", value: "t" },
        { name: "OWN", value: "kept" },
      ],
      volumeMounts: [{ name: "data", mountPath: "/data" }],
      // Replaced as a whole; names lower-cased with "_" → "-", GPU as "gpu".
      resources: { requests: { cpu: "1", "ephemeral-storage": "1Gi" }, limits: { gpu: "1" } },
    });
  });

  it("keeps the template's image and resources when it sets them and the task does not", () => {
    const template: PodTemplate = { podSpec: { containers: [{ name: "primary", image: "custom:1", resources: { requests: { memory: "1Gi" } } }] } };
    const [primary] = containersOf({ podTemplate: template, containerImage: "ignored:2" });
    expect(primary?.["image"]).toBe("custom:1");
    expect(primary?.["resources"]).toEqual({ requests: { memory: "1Gi" } });
    // An empty image counts as unset.
    const [other] = containersOf({ podTemplate: { podSpec: { containers: [{ name: "primary", image: "" }] } } });
    expect(other?.["image"]).toBe("ghcr.io/acme/app:v1");
  });

  it("writes both requests and limits keys once either is set (as the Kubernetes client does)", () => {
    const [primary] = containersOf({ podTemplate: {}, requests: { memory: "1Gi" } });
    expect(primary?.["resources"]).toEqual({ requests: { memory: "1Gi" }, limits: {} });
  });

  it("carries labels and annotations in K8sPod.metadata, and the rest of the pod spec as is", () => {
    const pod = podOf({
      podTemplate: {
        labels: { team: "ml", "app.kubernetes.io/name": "trainer" },
        annotations: { owner: "alice", "example.com/note": "free text: anything goes" },
        podSpec: { nodeSelector: { pool: "gpu" }, serviceAccountName: "runner", terminationGracePeriodSeconds: 30, hostNetwork: false },
      },
    });
    expect(pod["metadata"]).toEqual({
      labels: { team: "ml", "app.kubernetes.io/name": "trainer" },
      annotations: { owner: "alice", "example.com/note": "free text: anything goes" },
    });
    expect(pod["podSpec"]).toMatchObject({ nodeSelector: { pool: "gpu" }, serviceAccountName: "runner", terminationGracePeriodSeconds: 30, hostNetwork: false });
  });

  it("does not modify the caller's template", () => {
    const template = { podSpec: { containers: [{ name: "primary", env: [{ name: "X", value: "1" }] }] } };
    const before = structuredClone(template);
    taskTemplateParts({ podTemplate: template, environment: { Y: "2" } }, context);
    expect(template).toEqual(before);
  });

  it("produces a pod_spec Struct that encodes and decodes unchanged", () => {
    const parts = taskTemplateParts({ podTemplate: { podSpec: { tolerations: [{ key: "gpu", operator: "Exists" }] } } }, context);
    const pod = parts.k8sPod;
    if (!pod) throw new Error("no k8sPod");
    const again = flyteidl.core.K8sPod.decode(flyteidl.core.K8sPod.encode(pod).finish());
    expect(toProtoJson(flyteidl.core.K8sPod, again)).toEqual(toProtoJson(flyteidl.core.K8sPod, pod));
  });

  it("is validated", () => {
    const settings = {
      podTemplate: {
        primaryContainerName: "Main_Container",
        labels: { "bad key!": "v", ok: "not a valid value!" },
        annotations: { "UPPER.example.com/x": "fine" },
        podSpec: { containers: [{ name: "a" }, { name: "a" }, { image: "x" }], activeDeadlineSeconds: () => 1 },
        spec: {},
      },
    } as unknown as TaskSettings;
    expect(problemLines(settings)).toEqual([
      'podTemplate.spec: unknown pod template field "spec"; expected one of "podSpec", "primaryContainerName", "labels", "annotations"',
      'podTemplate.primaryContainerName: "Main_Container" is not a valid container name: at most 63 lower-case letters, digits and \'-\', starting and ending with a letter or digit',
      'podTemplate.labels.bad key!: label key "bad key!" is invalid: its name must be at most 63 characters of letters, digits, - _ . beginning and ending with a letter or digit',
      'podTemplate.labels.ok: label value "not a valid value!" is invalid: at most 63 characters of letters, digits, - _ . beginning and ending with a letter or digit',
      'podTemplate.annotations.UPPER.example.com/x: annotation key "UPPER.example.com/x" is invalid: its prefix must be a lower-case DNS subdomain (at most 253 characters)',
      "podTemplate.podSpec.activeDeadlineSeconds: is not JSON data (functions, symbols, bigints, non-finite numbers and class instances cannot go into a pod spec)",
      'podTemplate.podSpec.containers[1].name: container name "a" is used twice',
      "podTemplate.podSpec.containers[2].name: undefined is not a valid container name: at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit",
    ]);
  });
});

describe("pod template name", () => {
  it("sets TaskMetadata.pod_template_name only, independent of a pod template", () => {
    const json = templateJson({ podTemplateName: "gpu-pods" });
    expect((json["metadata"] as Json)["podTemplateName"]).toBe("gpu-pods");
    expect(json).toHaveProperty("container");
    expect(json).not.toHaveProperty("k8sPod");
  });

  it("is validated", () => {
    expect(problemLines({ podTemplateName: "GPU Pods" })).toEqual([
      'podTemplateName: "GPU Pods" is not a valid PodTemplate name: a lower-case DNS subdomain such as "gpu-pods" (at most 253 characters)',
    ]);
  });
});
