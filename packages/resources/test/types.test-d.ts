import { flyteidl } from "@flytekit-ts/idl";
import { describe, expectTypeOf, it } from "vitest";
import {
  A100,
  gpuAccelerator,
  nodeOverrides,
  quantity,
  T4,
  taskTemplateParts,
  V5P,
  type Accelerator,
  type NodeOverrideSettings,
  type PodTemplate,
  type Quantity,
  type TaskSettings,
  type TaskTemplateParts,
} from "../src/index.js";

const context = { args: [], defaultImage: "app:1", sdkVersion: "0.1.0" };

describe("resources", () => {
  it("accept quantity strings and numbers", () => {
    const ok: TaskSettings = {
      requests: { cpu: "500m", memory: "1.5Gi", gpu: 1, ephemeralStorage: "10G" },
      limits: { cpu: 2, memory: "1e9" },
    };
    void ok;
    void ({ resources: { cpu: ["1", "2"], memory: "1Gi" } } satisfies TaskSettings);
  });

  it("make a misspelt resource a compile-time error", () => {
    // @ts-expect-error: no resource "cpuu"
    void ({ requests: { cpuu: "1" } } satisfies TaskSettings);
    // @ts-expect-error: flytekit's "mem" is "memory" here
    void ({ limits: { mem: "1Gi" } } satisfies TaskSettings);
  });

  it("make a malformed quantity a compile-time error", () => {
    // @ts-expect-error: "GB" is not a Kubernetes suffix (it is "G" or "Gi")
    void ({ requests: { memory: "1GB" } } satisfies TaskSettings);
    // (TypeScript's `${number}` admits surrounding spaces, so "512 Mi" is only caught at run time.)
    // @ts-expect-error: a pair has exactly two values
    void ({ resources: { cpu: ["1"] } } satisfies TaskSettings);
  });

  it("let run-time strings in through quantity()", () => {
    const fromEnv: string = "2Gi";
    expectTypeOf(quantity(fromEnv)).toEqualTypeOf<Quantity>();
    // @ts-expect-error: an unchecked string is not a quantity
    void ({ requests: { memory: fromEnv } } satisfies TaskSettings);
  });
});

describe("accelerators", () => {
  it("are typed objects; partitions exist only where the device has them", () => {
    expectTypeOf(T4).toEqualTypeOf<Accelerator<"nvidia-tesla-t4">>();
    expectTypeOf(A100.partition_2g_10gb).toEqualTypeOf<Accelerator<"nvidia-tesla-a100">>();
    expectTypeOf(A100.unpartitioned.device).toEqualTypeOf<"nvidia-tesla-a100">();
    expectTypeOf(V5P.slice_2x2x1).toMatchTypeOf<Accelerator>();
    void ({ accelerator: A100 } satisfies TaskSettings);
    // @ts-expect-error: T4 has no partitions
    void T4.partition_1g_5gb;
    // @ts-expect-error: misspelt partition
    void A100.partition_2g_10g;
    // @ts-expect-error: A100's 1g profile is 5gb; 1g.10gb belongs to A100_80GB
    void A100.partition_1g_10gb;
  });

  it("are not bare strings (a typo in a device name would go unnoticed)", () => {
    // @ts-expect-error: use T4 or gpuAccelerator("...")
    void ({ accelerator: "nvidia-tesla-t4" } satisfies TaskSettings);
    expectTypeOf(gpuAccelerator("nvidia-b200")).toEqualTypeOf<Accelerator<"nvidia-b200">>();
  });
});

describe("pod templates", () => {
  it("use Kubernetes' own types", () => {
    const template: PodTemplate = {
      podSpec: {
        containers: [{ name: "sidecar", image: "envoy:1" }],
        tolerations: [{ key: "gpu", operator: "Equal", value: "true", effect: "NoSchedule" }],
        nodeSelector: { pool: "gpu" },
      },
    };
    void template;
    // @ts-expect-error: misspelt pod spec field
    void ({ podSpec: { nodeSelectr: {} } } satisfies PodTemplate);
    // @ts-expect-error: a container needs a name
    void ({ podSpec: { containers: [{ image: "x" }] } } satisfies PodTemplate);
  });
});

describe("other settings", () => {
  it("reject misspellings and wrong shapes", () => {
    // @ts-expect-error: "retires"
    void ({ retires: 3 } satisfies TaskSettings);
    // @ts-expect-error: mount requirements are "ANY" | "ENV_VAR" | "FILE"
    void ({ secretRequests: [{ group: "g", key: "k", mountRequirement: "ENVVAR" }] } satisfies TaskSettings);
    // @ts-expect-error: the duration part is "minutes"
    void ({ timeout: { minute: 30 } } satisfies TaskSettings);
    // @ts-expect-error: the cache option is "ignoredInputs"
    void ({ cache: { version: "1", ignored: ["x"] } } satisfies TaskSettings);
    // @ts-expect-error: formats are "rst" | "markdown" | "html" | "unknown"
    void ({ docs: { format: "md" } } satisfies TaskSettings);
  });

  it("limit node overrides to what a node can override", () => {
    void ({ name: "n", cache: { version: "1", serialize: true }, accelerator: T4 } satisfies NodeOverrideSettings);
    // @ts-expect-error: environment is task-level only
    void ({ environment: { A: "1" } } satisfies NodeOverrideSettings);
    // @ts-expect-error: ignored inputs are task-level only
    void ({ cache: { ignoredInputs: ["x"] } } satisfies NodeOverrideSettings);
  });
});

describe("results", () => {
  it("are IDL messages, ready to spread into a TaskTemplate", () => {
    const parts = taskTemplateParts({}, context);
    expectTypeOf(parts).toEqualTypeOf<TaskTemplateParts>();
    expectTypeOf(parts.metadata).toEqualTypeOf<flyteidl.core.TaskMetadata>();
    expectTypeOf(parts.k8sPod).toEqualTypeOf<flyteidl.core.K8sPod | undefined>();
    const template = flyteidl.core.TaskTemplate.create({ type: "python-task", ...parts });
    expectTypeOf(template).toMatchTypeOf<flyteidl.core.TaskTemplate>();
    expectTypeOf(nodeOverrides({}).overrides).toEqualTypeOf<flyteidl.core.TaskNodeOverrides>();
  });

  it("have no any in the public types", () => {
    expectTypeOf<TaskSettings[keyof TaskSettings]>().not.toBeAny();
    expectTypeOf<NodeOverrideSettings[keyof NodeOverrideSettings]>().not.toBeAny();
    expectTypeOf<NonNullable<PodTemplate["podSpec"]>>().not.toBeAny();
    expectTypeOf<TaskTemplateParts[keyof TaskTemplateParts]>().not.toBeAny();
  });
});
