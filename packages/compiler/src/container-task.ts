import { FlytekitError, flyteidl } from "@flytekit-ts/idl";
import { imageName, taskTemplateParts, type ContainerImage, type TaskSettings } from "@flytekit-ts/resources";
import type { TypeDescriptor } from "@flytekit-ts/types";
import type { SerializationContext } from "./context.js";
import { callableEntity, checkName, displayName, type Task } from "./entities.js";
import { NameSlot } from "./entity-naming.js";
import type { TaskLike, Variables } from "./vocabulary.js";

/** How Flyte's copilot writes the inputs' metadata file for the container (flytekit's `MetadataFormat`). */
export type MetadataFormat = "JSON" | "YAML" | "PROTO";

/** What a container task runs, beside the usual task settings. */
export interface ContainerSpec {
  readonly image: string;
  readonly command: readonly string[];
  readonly args: readonly string[];
  /** Where Flyte puts the inputs in the container, one file per input (`<dir>/<name>`). */
  readonly inputDataDir?: string;
  /** Where the container leaves its outputs, one file per output (`<dir>/<name>`). */
  readonly outputDataDir?: string;
  readonly metadataFormat: MetadataFormat;
}

/**
 * A container task's declaration, as flytekit's `ContainerTask(...)`: any image and command, inputs
 * passed as files in `inputDataDir` and as `{{.inputs.<name>}}` in the command and arguments, outputs
 * read from files in `outputDataDir`. Every task setting but the image (given here) and decks (the
 * container writes none) applies.
 */
export interface ContainerTaskDeclaration<I extends Variables, O extends Variables>
  extends Omit<TaskSettings, "containerImage" | "enableDeck" | "disableDeck"> {
  /**
   * Registered name, e.g. `my_pkg.tools.word_count`. Default: `<module path>.<export name>`, given when
   * flyte-ts loads the module that exports it (as for `task`).
   */
  name?: string;
  /** The image to run; nothing of flytekit-ts needs to be in it. */
  image: ContainerImage;
  command: readonly string[];
  /** flytekit's `arguments`. */
  args?: readonly string[];
  inputs?: I;
  /** Plain values (int, float, string, boolean, datetime, duration) written as text, or files and directories. */
  outputs?: O;
  /** An absolute path in the container, e.g. `/var/inputs`. */
  inputDataDir?: string;
  /** An absolute path in the container, e.g. `/var/outputs`; required when there are outputs. */
  outputDataDir?: string;
  /** Default `"JSON"`, as in flytekit. */
  metadataFormat?: MetadataFormat;
}

/** A container task: a task whose code is a command in an image. */
export interface ContainerTask<I extends Variables = Variables, O extends Variables = Variables> extends Task<I, O> {
  readonly container: ContainerSpec;
}

const FORMATS: readonly MetadataFormat[] = ["JSON", "YAML", "PROTO"];
/** `{{.inputs.x}}`, with the spaces propeller's template engine allows. */
const INPUT_REFERENCE = /\{\{\s*\.inputs\.([^\s}]*)\s*\}\}/g;
/** What Flyte's copilot can read back from an output file: text of these types, or a file or directory. */
const TEXT_OUTPUTS = new Set<number>([
  flyteidl.core.SimpleType.INTEGER,
  flyteidl.core.SimpleType.FLOAT,
  flyteidl.core.SimpleType.STRING,
  flyteidl.core.SimpleType.BOOLEAN,
  flyteidl.core.SimpleType.DATETIME,
  flyteidl.core.SimpleType.DURATION,
]);

export class ContainerTaskError extends FlytekitError {
  constructor(message: string) {
    super("CONTAINER_TASK", message);
  }
}

/**
 * A task that runs a command in any image (flytekit's `ContainerTask`): how mixed teams call tools
 * written in other languages. It is called in workflows and dynamics like any task, registers as a
 * `raw-container` task template equal to flytekit's for the same declaration, and runs on Flyte
 * without flytekit-ts in the image.
 *
 * ```ts
 * const area = containerTask({
 *   name: "examples.containers.ellipse_area",
 *   image: "ghcr.io/flyteorg/rawcontainers-shell:v2",
 *   command: ["./calculate-ellipse-area.sh", "{{.inputs.a}}", "{{.inputs.b}}", "/var/outputs"],
 *   inputs: { a: t.float(), b: t.float() },
 *   outputs: { area: t.float(), metadata: t.string() },
 *   inputDataDir: "/var/inputs",
 *   outputDataDir: "/var/outputs",
 * });
 * ```
 *
 * In a local run there is no image: mock it, or let the local executor run the command on this
 * machine (`runLocally(…, { containerTasks: "run-command" })`).
 */
export function containerTask<I extends Variables = {}, O extends Variables = {}>(declaration: ContainerTaskDeclaration<I, O>): ContainerTask<I, O> {
  if (typeof declaration !== "object" || declaration === null) throw new TypeError("containerTask takes a declaration object { name, image, command, ... }");
  const { name, image, command, args, inputs, outputs, inputDataDir, outputDataDir, metadataFormat, ...settings } = declaration;
  const slot = new NameSlot("container task", name === undefined ? undefined : checkName("container task", name));
  const subject = `container task ${name === undefined ? `(image ${imageName(image)})` : JSON.stringify(name)}`;
  for (const key of ["containerImage", "enableDeck", "disableDeck"]) {
    if (key in settings) throw new ContainerTaskError(`${subject}: ${key} does not apply to container tasks (${key === "containerImage" ? "give the image as `image`" : "the container writes no deck"})`);
  }
  const isStrings = (v: unknown): v is readonly string[] => Array.isArray(v) && v.every((s) => typeof s === "string");
  if (!isStrings(command) || command.length === 0) throw new ContainerTaskError(`${subject}: command must be a non-empty list of strings, got ${JSON.stringify(command)}`);
  if (args !== undefined && !isStrings(args)) throw new ContainerTaskError(`${subject}: args must be a list of strings, got ${JSON.stringify(args)}`);
  for (const [key, dir] of [["inputDataDir", inputDataDir], ["outputDataDir", outputDataDir]] as const) {
    if (dir !== undefined && (typeof dir !== "string" || !dir.startsWith("/"))) throw new ContainerTaskError(`${subject}: ${key} must be an absolute path in the container, such as "/var/${key === "inputDataDir" ? "inputs" : "outputs"}", got ${JSON.stringify(dir)}`);
  }
  if (metadataFormat !== undefined && !FORMATS.includes(metadataFormat)) throw new ContainerTaskError(`${subject}: metadataFormat must be one of ${FORMATS.join(", ")}, got ${JSON.stringify(metadataFormat)}`);

  const inputVars = (inputs ?? {}) as I;
  const outputVars = (outputs ?? {}) as O;
  for (const part of [...command, ...(args ?? [])]) {
    for (const [, referenced] of part.matchAll(INPUT_REFERENCE)) {
      if (!Object.hasOwn(inputVars, referenced as string)) {
        throw new ContainerTaskError(`${subject}: ${JSON.stringify(part)} refers to input "${referenced}", which is not declared; inputs: ${Object.keys(inputVars).join(", ") || "none"}`);
      }
    }
  }
  for (const [output, descriptor] of Object.entries(outputVars as Variables)) {
    const type = (descriptor as TypeDescriptor<unknown>).literalType;
    if (!(type.blob || (type.simple !== undefined && type.simple !== null && TEXT_OUTPUTS.has(type.simple)))) {
      throw new ContainerTaskError(`${subject}: output "${output}" must be an int, float, string, boolean, datetime, duration, file or directory: Flyte reads it from the file ${outputDataDir ?? "<outputDataDir>"}/${output}`);
    }
  }
  if (Object.keys(outputVars).length > 0 && outputDataDir === undefined) {
    throw new ContainerTaskError(`${subject}: outputDataDir is required when there are outputs (Flyte reads each output from <outputDataDir>/<name>)`);
  }

  const container: ContainerSpec = {
    image: imageName(image),
    command: [...command],
    args: [...(args ?? [])],
    ...(inputDataDir === undefined ? {} : { inputDataDir }),
    ...(outputDataDir === undefined ? {} : { outputDataDir }),
    metadataFormat: metadataFormat ?? "JSON",
  };
  const run = (): never => {
    throw new ContainerTaskError(
      `${displayName(entity)} is a container task (image ${container.image}): its command runs in its own image, not in TypeScript. ` +
        `In a local run, mock it (the run's mocks: [mock(<this task>, …)]) or let the local executor run the command on this machine with the option containerTasks: "run-command"`,
    );
  };
  const entity: ContainerTask<I, O> = callableEntity<ContainerTask<I, O>>("task", {
    name: slot,
    inputs: inputVars,
    outputs: outputVars,
    settings: { ...(settings as TaskSettings), containerImage: image },
    run,
    container,
  });
  return entity;
}

/** Whether a task is a container task (its template is a `raw-container`, its code a command). */
export function isContainerTask(task: unknown): task is TaskLike & { readonly container: ContainerSpec } {
  return typeof task === "function" && typeof (task as { container?: unknown }).container === "object" && (task as { container?: unknown }).container !== null;
}

/**
 * A container task's `TaskTemplate`, as flytekit's `ContainerTask` serializes it: type `raw-container`,
 * the command and arguments as given (no SDK entrypoint), and a `DataLoadingConfig` telling Flyte's
 * copilot where inputs go and outputs come from — on the container, or on the pod template's
 * primary container.
 */
export function containerTaskTemplate(
  task: TaskLike & { readonly container: ContainerSpec },
  ctx: SerializationContext,
  identity: Pick<flyteidl.core.TaskTemplate.$Properties, "id" | "interface">,
): flyteidl.core.TaskTemplate.$Properties {
  const { container } = task;
  const parts = taskTemplateParts(task.settings, {
    command: container.command,
    args: container.args,
    defaultImage: ctx.image,
    sdkVersion: ctx.sdkVersion,
    inputNames: Object.keys(task.inputs),
    subject: `container task "${task.name}"`,
  });
  const dataConfig = flyteidl.core.DataLoadingConfig.create({
    enabled: true,
    inputPath: container.inputDataDir ?? "",
    outputPath: container.outputDataDir ?? "",
    format: flyteidl.core.DataLoadingConfig.LiteralMapFormat[container.metadataFormat],
  });
  const { container: plain, k8sPod, ...rest } = parts;
  return {
    ...identity,
    type: "raw-container",
    ...rest,
    ...(plain ? { container: flyteidl.core.Container.create({ ...plain, dataConfig }) } : {}),
    ...(k8sPod ? { k8sPod: flyteidl.core.K8sPod.create({ ...k8sPod, dataConfig }) } : {}),
  };
}
