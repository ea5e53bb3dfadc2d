import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { flyteidl, toProtoJson } from "@flytekit-ts/idl";
import { t } from "@flytekit-ts/types";
import {
  compileDynamic,
  containerTask,
  dynamic,
  isContainerTask,
  mapTask,
  nameEntity,
  registrationBundle,
  serializationContext,
  taskSpec,
  taskTemplate,
  workflow,
  WorkflowCompiler,
  type AnyEntity,
  type Ref,
} from "../src/index.js";

const fixtures = join(dirname(fileURLToPath(import.meta.url)), "fixtures", "container-task");

/** As `pyflyte package` serializes: no project, domain or version in the ids. */
const packageContext = serializationContext({ image: "ghcr.io/flyteorg/flytekit:py3.11-1.16.24" });

/** The declarations of fixtures/container-task/examples/containers.py, in TypeScript. */
const ellipseArea = containerTask({
  name: "examples.containers.ellipse_area_shell",
  inputDataDir: "/var/inputs",
  outputDataDir: "/var/outputs",
  inputs: { a: t.float(), b: t.float() },
  outputs: { area: t.float(), metadata: t.string() },
  image: "ghcr.io/flyteorg/rawcontainers-shell:v2",
  command: ["./calculate-ellipse-area.sh", "{{.inputs.a}}", "{{.inputs.b}}", "/var/outputs"],
});

const wordCount = containerTask({
  name: "examples.containers.word_count",
  image: "ghcr.io/acme/tools:1.2",
  command: ["wc"],
  args: ["-w", "/var/inputs/text", "{{.inputs.label}}"],
  inputs: { text: t.file(), label: t.string(), n: t.int(), flag: t.boolean() },
  outputs: { count: t.int(), report: t.file() },
  inputDataDir: "/var/inputs",
  outputDataDir: "/var/outputs",
  metadataFormat: "YAML",
  requests: { cpu: "1", memory: "1Gi" },
  limits: { cpu: "2", memory: "2Gi" },
  secretRequests: [{ group: "tools", key: "token" }],
  environment: { LANG: "C.UTF-8" },
  retries: 2,
  timeout: { minutes: 5 },
  interruptible: true,
});

/** A TaskSpec as proto3 JSON, with the SDK's own runtime metadata (flavor, version) left out: that is what differs by design. */
function comparable(spec: flyteidl.admin.TaskSpec.$Properties): unknown {
  const message = flyteidl.admin.TaskSpec.decode(flyteidl.admin.TaskSpec.encode(flyteidl.admin.TaskSpec.create(spec)).finish());
  const json = toProtoJson(flyteidl.admin.TaskSpec, message) as { template: { metadata: { runtime: { type: string } } } };
  json.template.metadata.runtime = { type: json.template.metadata.runtime.type };
  return json;
}
const flytekitSpec = (file: string) => comparable(flyteidl.admin.TaskSpec.decode(readFileSync(join(fixtures, file))));

describe("containerTask", () => {
  it("registers the TaskSpec flytekit 1.16.24 emits for the same declaration (documentation example)", () => {
    expect(comparable(taskSpec(ellipseArea, packageContext))).toEqual(flytekitSpec("ellipse_area_shell.task.pb"));
  });

  it("with arguments, files, YAML metadata, resources, secrets, env, retries, timeout and interruptible too", () => {
    expect(comparable(taskSpec(wordCount, packageContext))).toEqual(flytekitSpec("word_count.task.pb"));
  });

  it("keeps the data config on the primary container's pod when a pod template is given", () => {
    const podded = containerTask({
      name: "examples.containers.podded",
      image: "alpine:3",
      command: ["sh", "-c", "echo 1 > /var/outputs/o0"],
      outputs: { o0: t.int() },
      outputDataDir: "/var/outputs",
      podTemplate: { primaryContainerName: "main", podSpec: { containers: [{ name: "main" }] } },
    });
    const template = taskTemplate(podded, packageContext);
    expect(template.type).toBe("raw-container");
    expect(template.container).toBeUndefined();
    expect(template.k8sPod?.dataConfig).toMatchObject({ enabled: true, outputPath: "/var/outputs", inputPath: "" });
    expect(template.config).toEqual({ primary_container_name: "main" });
  });

  it("is called in workflows and dynamics like any task, and its template travels with them", async () => {
    const wf = workflow({ name: "examples.containers.wf", inputs: { a: t.float() }, outputs: { o0: t.float() } }, ({ a }) => ({ o0: ellipseArea({ a, b: 2 }).area }));
    const compiled = await new WorkflowCompiler(packageContext).compile(wf);
    expect(compiled.tasks).toContain(ellipseArea);
    expect(compiled.template.nodes?.[0]?.taskNode?.referenceId?.name).toBe("examples.containers.ellipse_area_shell");
    // Registered with the workflow that calls it, as its raw-container spec.
    const bundle = await registrationBundle([wf], packageContext);
    expect(bundle.map((e) => [e.kind, e.name])).toEqual([["task", "examples.containers.ellipse_area_shell"], ["workflow", "examples.containers.wf"], ["launchPlan", "examples.containers.wf"]]);
    expect(comparable(bundle[0]?.spec as flyteidl.admin.TaskSpec.$Properties)).toEqual(flytekitSpec("ellipse_area_shell.task.pb"));

    const fan = dynamic({ name: "examples.containers.fan", inputs: { n: t.int() }, outputs: { o0: t.list(t.float()) } }, ({ n }) => {
      const areas: Ref<number>[] = [];
      for (let i = 0; i < n; i++) areas.push(ellipseArea({ a: i, b: 1 }).area);
      return { o0: areas };
    });
    const result = await compileDynamic(fan as never, { n: 2 } as never, serializationContext({ project: "p", domain: "d", version: "v1", image: "img", locate: (e: AnyEntity) => ({ module: "m.js", name: e.name }) }));
    if (result.kind !== "futures") throw new Error("expected futures");
    expect(result.spec.nodes).toHaveLength(2);
    const [template] = result.spec.tasks ?? [];
    expect(template?.type).toBe("raw-container");
    expect(template?.container?.command).toEqual(["./calculate-ellipse-area.sh", "{{.inputs.a}}", "{{.inputs.b}}", "/var/outputs"]);
    expect(template?.id).toMatchObject({ project: "p", domain: "d", version: "v1", name: "examples.containers.ellipse_area_shell" });
  });

  it("has no TypeScript code to run: calling run says to mock it or let the local executor run the command", () => {
    expect(isContainerTask(ellipseArea)).toBe(true);
    expect(() => ellipseArea.run({ a: 1, b: 2 })).toThrow(/container task .*mock it .* containerTasks: "run-command"/);
  });

  it("is named <module>.<export> when its module is loaded, like any task, unless it names itself", () => {
    const unnamed = containerTask({ image: "alpine:3", command: ["true"] });
    expect(() => unnamed.name).toThrow(/has no name yet/);
    expect(nameEntity(unnamed, "src/tools.ts", "noop")).toBe("src.tools.noop");
    expect(taskTemplate(unnamed, packageContext).id?.name).toBe("src.tools.noop");
    expect(nameEntity(ellipseArea, "src/tools.ts", "area")).toBe("examples.containers.ellipse_area_shell");
  });

  it("refuses declarations Flyte could not run, saying what and where", () => {
    const base = { name: "x.y", image: "alpine", command: ["true"] };
    expect(() => containerTask({ ...base, command: [] })).toThrow(/command must be a non-empty list of strings/);
    expect(() => containerTask({ ...base, args: ["{{.inputs.missing}}"], inputs: { a: t.int() } })).toThrow(/"\{\{\.inputs\.missing\}\}" refers to input "missing", which is not declared; inputs: a/);
    expect(() => containerTask({ ...base, outputs: { o0: t.int() } })).toThrow(/outputDataDir is required when there are outputs/);
    expect(() => containerTask({ ...base, outputs: { o0: t.list(t.int()) }, outputDataDir: "/out" })).toThrow(/output "o0" must be an int, float, string, boolean, datetime, duration, file or directory/);
    expect(() => containerTask({ ...base, inputDataDir: "relative/dir" })).toThrow(/inputDataDir must be an absolute path/);
    expect(() => containerTask({ ...base, metadataFormat: "XML" as never })).toThrow(/metadataFormat must be one of JSON, YAML, PROTO/);
    expect(() => containerTask({ ...base, enableDeck: true } as never)).toThrow(/enableDeck does not apply to container tasks/);
    expect(() => mapTask(ellipseArea as never)).toThrow(/container tasks cannot be mapped/);
  });
});
