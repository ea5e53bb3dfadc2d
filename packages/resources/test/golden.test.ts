import { flyteidl, toProtoJson } from "@flytekit-ts/idl";
import { describe, expect, it } from "vitest";
import {
  A100,
  nodeOverrides,
  T4,
  taskDescription,
  taskNodeMetadata,
  taskTemplateParts,
  type TaskSettings,
  type TaskTemplateContext,
} from "../src/index.js";
import { at, plainTaskGolden, taskSpecJson, type Json } from "./shared.js";

/**
 * The wire check: the settings of examples/plain_task.py, declared in TypeScript, must produce the
 * TaskSpec flytekit 1.16.24 wrote for them. id, type and interface belong to the compiler and the
 * container args are its business too, so they are copied from the golden; everything else comes from
 * this package.
 */

// @task(requests=..., limits=..., retries=3, timeout=timedelta(minutes=30),
//       cache=Cache(version="1.0", serialize=True, ignored_inputs=("note",)), interruptible=True,
//       environment=..., secret_requests=[...], pod_template=PodTemplate(...), accelerator=T4)
// def heavy_task(x: int, note: str) -> float: """Pretend to do something heavy."""
const heavyTask: TaskSettings = {
  requests: { cpu: "500m", memory: "1Gi", gpu: "1", ephemeralStorage: "2Gi" },
  limits: { cpu: "2", memory: "4Gi", gpu: "1", ephemeralStorage: "4Gi" },
  retries: 3,
  timeout: { minutes: 30 },
  cache: { version: "1.0", serialize: true, ignoredInputs: ["note"] },
  interruptible: true,
  environment: { FOO: "bar", LOG_LEVEL: "debug" },
  secretRequests: [
    { group: "db", key: "password", mountRequirement: "ENV_VAR" },
    { group: "aws", key: "token", mountRequirement: "FILE" },
    { group: "vault", key: "api-key", groupVersion: "v2", envVar: "API_KEY" },
  ],
  podTemplate: {
    primaryContainerName: "primary",
    labels: { team: "ml" },
    annotations: { owner: "alice" },
    podSpec: {
      containers: [{ name: "primary" }],
      tolerations: [{ key: "gpu", operator: "Equal", value: "true", effect: "NoSchedule" }],
      nodeSelector: { pool: "gpu" },
    },
  },
  accelerator: T4,
  // flytekit takes this from the docstring; a TypeScript function has none at run time.
  docs: "Pretend to do something heavy.",
};

// @task(resources=Resources(cpu=("1", "2"), mem=("512Mi", "1Gi")), accelerator=A100.partition_2g_10gb,
//       retries=1, timeout=120, cache=Cache(version="v2"), interruptible=False)
// def mig_task(y: float) -> str
const migTask: TaskSettings = {
  resources: { cpu: ["1", "2"], memory: ["512Mi", "1Gi"] },
  accelerator: A100.partition_2g_10gb,
  retries: 1,
  timeout: 120,
  cache: { version: "v2" },
  interruptible: false,
};

const SDK_VERSION = "0.1.0";
// `pyflyte package --image ghcr.io/flyteorg/flytekit:py3.11-1.16.24` made this the default image.
const DEFAULT_IMAGE = "ghcr.io/flyteorg/flytekit:py3.11-1.16.24";

/** What the compiler does around this package: id, type, interface and args come from it. */
function assemble(settings: TaskSettings, golden: flyteidl.admin.TaskSpec, args: string[]): flyteidl.admin.TaskSpec {
  const template = golden.template;
  if (!template) throw new Error("golden has no template");
  const context: TaskTemplateContext = { args, defaultImage: DEFAULT_IMAGE, sdkVersion: SDK_VERSION };
  return flyteidl.admin.TaskSpec.create({
    template: flyteidl.core.TaskTemplate.create({
      ...(template.id ? { id: template.id } : {}),
      type: template.type ?? "",
      ...(template.interface ? { interface: template.interface } : {}),
      taskTypeVersion: template.taskTypeVersion ?? 0,
      ...taskTemplateParts(settings, context),
    }),
    description: taskDescription(settings),
  });
}

/**
 * The one field that differs by design: flytekit records itself (FLYTE_SDK 1.16.24, flavor python),
 * this SDK records itself (see runtimeVersion in the README). Removed from both sides after checking.
 */
function withoutRuntime(json: Json): Json {
  const metadata = at(json, "template", "metadata") as Json;
  delete metadata["runtime"];
  return json;
}

function expectOurRuntime(json: Json): void {
  expect(at(json, "template", "metadata", "runtime")).toEqual({
    type: "FLYTE_SDK",
    version: `1.16.5+flytekit-ts.${SDK_VERSION}`,
    flavor: "typescript",
  });
}

describe("heavy_task (pod template, T4, secrets, cache, requests and limits)", () => {
  const golden = flyteidl.admin.TaskSpec.decode(plainTaskGolden("0_examples.plain_task.heavy_task_1.pb"));
  const goldenJson = taskSpecJson(golden);
  const args = at(goldenJson, "template", "k8sPod", "podSpec", "containers", 0, "args") as string[];
  const ours = taskSpecJson(assemble(heavyTask, golden, args));

  it("records this SDK as the runtime", () => {
    expectOurRuntime(ours);
    expect(at(goldenJson, "template", "metadata", "runtime")).toEqual({ type: "FLYTE_SDK", version: "1.16.24", flavor: "python" });
  });

  it("equals flytekit's TaskSpec in every other field", () => {
    expect(withoutRuntime(structuredClone(ours))).toEqual(withoutRuntime(structuredClone(goldenJson)));
  });

  it("survives the binary wire unchanged (oneofs and empty messages keep their presence)", () => {
    const spec = assemble(heavyTask, golden, args);
    const decoded = flyteidl.admin.TaskSpec.decode(flyteidl.admin.TaskSpec.encode(spec).finish());
    expect(taskSpecJson(decoded)).toEqual(ours);
  });

  it("matches field by field (so that a failure says which)", () => {
    const t = (json: Json, ...path: (string | number)[]) => at(json, "template", ...path);
    for (const path of [
      ["config"],
      ["extendedResources"],
      ["securityContext"],
      ["k8sPod", "metadata"],
      ["k8sPod", "podSpec", "nodeSelector"],
      ["k8sPod", "podSpec", "tolerations"],
      ["k8sPod", "podSpec", "containers", 0, "image"],
      ["k8sPod", "podSpec", "containers", 0, "command"],
      ["k8sPod", "podSpec", "containers", 0, "env"],
      ["k8sPod", "podSpec", "containers", 0, "resources"],
      ["metadata", "retries"],
      ["metadata", "timeout"],
      ["metadata", "interruptible"],
      ["metadata", "discoverable"],
      ["metadata", "discoveryVersion"],
      ["metadata", "cacheSerializable"],
      ["metadata", "cacheIgnoreInputVars"],
      ["metadata", "generatesDeck"],
      ["metadata", "metadata"],
    ]) {
      expect(t(ours, ...path), path.join(".")).toEqual(t(goldenJson, ...path));
    }
    expect(ours["template"]).not.toHaveProperty("container");
    expect(at(ours, "description")).toEqual(at(goldenJson, "description"));
  });
});

describe("mig_task (container, A100 MIG partition, (request, limit) pairs)", () => {
  const golden = flyteidl.admin.TaskSpec.decode(plainTaskGolden("1_examples.plain_task.mig_task_1.pb"));
  const goldenJson = taskSpecJson(golden);
  const args = at(goldenJson, "template", "container", "args") as string[];
  const ours = taskSpecJson(assemble(migTask, golden, args));

  it("records this SDK as the runtime", () => {
    expectOurRuntime(ours);
  });

  it("equals flytekit's TaskSpec in every other field", () => {
    expect(withoutRuntime(structuredClone(ours))).toEqual(withoutRuntime(structuredClone(goldenJson)));
  });

  it("survives the binary wire unchanged (interruptible=false keeps its presence)", () => {
    const decoded = flyteidl.admin.TaskSpec.decode(flyteidl.admin.TaskSpec.encode(assemble(migTask, golden, args)).finish());
    expect(taskSpecJson(decoded)).toEqual(ours);
    expect(at(ours, "template", "metadata", "interruptible")).toBe(false);
  });

  it("matches field by field", () => {
    for (const path of [
      ["container", "image"],
      ["container", "resources"],
      ["extendedResources"],
      ["metadata", "retries"],
      ["metadata", "timeout"],
      ["metadata", "interruptible"],
      ["metadata", "discoverable"],
      ["metadata", "discoveryVersion"],
      ["metadata", "generatesDeck"],
    ]) {
      expect(at(ours, "template", ...path), path.join(".")).toEqual(at(goldenJson, "template", ...path));
    }
    expect(ours["template"]).not.toHaveProperty("k8sPod");
    expect(ours["template"]).not.toHaveProperty("securityContext");
    expect(ours["template"]).not.toHaveProperty("config");
  });
});

describe("plain_wf's task nodes", () => {
  const golden = flyteidl.admin.WorkflowSpec.decode(plainTaskGolden("2_examples.plain_task.plain_wf_2.pb"));
  const nodes = golden.template?.nodes ?? [];

  it.each([
    ["heavy_task", heavyTask, 0],
    ["mig_task", migTask, 1],
  ] as const)("%s gets the node metadata and (empty) overrides flytekit wrote", (name, settings, index) => {
    const node = nodes[index];
    if (!node?.metadata || !node.taskNode?.overrides) throw new Error(`golden node ${index} incomplete`);
    expect(toProtoJson(flyteidl.core.NodeMetadata, taskNodeMetadata(name, settings))).toEqual(
      toProtoJson(flyteidl.core.NodeMetadata, flyteidl.core.NodeMetadata.create(node.metadata)),
    );
    expect(toProtoJson(flyteidl.core.TaskNodeOverrides, nodeOverrides({}).overrides)).toEqual(
      toProtoJson(flyteidl.core.TaskNodeOverrides, flyteidl.core.TaskNodeOverrides.create(node.taskNode.overrides)),
    );
  });
});
