import { cp, mkdir, mkdtemp, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ContainerTaskError, isContainerTask, type ContainerSpec, type TaskLike } from "@flytekit-ts/compiler";
import { flyteidl } from "@flytekit-ts/idl";
import { download, type FlytePath, type TypeContext, type TypeDescriptor } from "@flytekit-ts/types";
import { nodeChildProcess } from "../child-process.js";
import { currentContext } from "../context/current.js";

const { SimpleType } = flyteidl.core;
type ContainerTaskLike = TaskLike & { readonly container: ContainerSpec };

/** How a value is written into the command line and the input files: plain text, as Flyte substitutes it. */
function valueText(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Replaces `dir` where it appears as a path (alone, or followed by `/`) — also inside `sh -c` scripts. */
function rewritePath(text: string, dir: string | undefined, local: string): string {
  if (dir === undefined) return text;
  const root = dir.replace(/\/+$/, "");
  return text.replace(new RegExp(`(^|[^\\w./-])${escapeRegExp(root)}(?=/|$|[^\\w.-])`, "g"), (_m, before: string) => `${before}${local}`);
}

/** flytekit's `str(timedelta)` ("1 day, 2:03:04.5") or plain seconds, as milliseconds. */
function parseDuration(text: string): number | undefined {
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const match = /^(?:(-?\d+) days?, )?(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(text);
  if (!match) return undefined;
  const [, days, hours, minutes, seconds] = match;
  return ((Number(days ?? 0) * 24 + Number(hours)) * 3600 + Number(minutes) * 60 + Number(seconds)) * 1000;
}

/** An output file's value by the output's type, as Flyte's copilot (and flytekit's local runner) reads it. */
async function readOutput(task: ContainerTaskLike, name: string, descriptor: TypeDescriptor<unknown>, path: string): Promise<unknown> {
  const type = descriptor.literalType;
  const where = `container task ${task.name}: output "${name}" (${path})`;
  const exists = await stat(path).then(
    (s) => s,
    () => undefined,
  );
  if (!exists) throw new ContainerTaskError(`${where} was not written by the command`);
  if (type.blob) return { path } satisfies FlytePath;
  const raw = await readFile(path, "utf8");
  // A shell's `echo` ends the file with a newline, which is not part of the value.
  const text = raw.replace(/\r?\n$/, "");
  const bad = (expected: string) => new ContainerTaskError(`${where} holds ${JSON.stringify(text.slice(0, 80))}, not ${expected}`);
  switch (type.simple) {
    case SimpleType.STRING:
      return text;
    case SimpleType.INTEGER: {
      if (!/^\s*[-+]?\d+\s*$/.test(text)) throw bad("an integer");
      return Number(text.trim());
    }
    case SimpleType.FLOAT: {
      const value = Number(text.trim());
      if (text.trim() === "" || Number.isNaN(value)) throw bad("a number");
      return value;
    }
    case SimpleType.BOOLEAN:
      // flytekit: anything but "false" (any case) is true.
      return text.trim().toLowerCase() !== "false";
    case SimpleType.DATETIME: {
      const value = new Date(text.trim());
      if (Number.isNaN(value.getTime())) throw bad("a date and time (ISO 8601)");
      return value;
    }
    case SimpleType.DURATION: {
      const value = parseDuration(text.trim());
      if (value === undefined) throw bad('a duration ("H:MM:SS[.ffffff]" or seconds)');
      return value;
    }
    default:
      throw new ContainerTaskError(`${where}: outputs of this type cannot be read from a file`);
  }
}

function runProcess(task: ContainerTaskLike, argv: readonly string[], cwd: string, env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<void> {
  const [command, ...args] = argv as [string, ...string[]];
  return new Promise((resolve, reject) => {
    const child = nodeChildProcess().spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    const tail: string[] = [];
    const forward = (stream: NodeJS.ReadableStream, label: string) => {
      let pending = "";
      stream.setEncoding("utf8");
      stream.on("data", (chunk: string) => {
        const lines = (pending + chunk).split("\n");
        pending = lines.pop() ?? "";
        for (const line of lines) {
          log(`${label}: ${line}`);
          if (label === "stderr") tail.push(line) > 20 && tail.shift();
        }
      });
      stream.on("end", () => pending && log(`${label}: ${pending}`));
    };
    forward(child.stdout, "stdout");
    forward(child.stderr, "stderr");
    child.on("error", (error: NodeJS.ErrnoException) => {
      reject(
        new ContainerTaskError(
          error.code === "ENOENT"
            ? `container task ${task.name}: command ${JSON.stringify(command)} is not on this machine (a local run runs the command here, not in ${task.container.image})`
            : `container task ${task.name}: could not start ${JSON.stringify(command)}: ${error.message}`,
        ),
      );
    });
    child.on("close", (code, signal) => {
      if (code === 0) resolve();
      else reject(new ContainerTaskError(`container task ${task.name}: ${JSON.stringify(argv.join(" "))} ${signal ? `was killed by ${signal}` : `exited with ${code}`}${tail.length ? `; stderr ends with:\n${tail.join("\n")}` : ""}`));
    });
  });
}

/**
 * Runs a container task's command on this machine, for local runs that allow it: no image, so the
 * command must exist here. Inputs are written to a temporary input directory (one file per input, as
 * Flyte's copilot does) and substituted for `{{.inputs.<name>}}`; the declared `inputDataDir` and
 * `outputDataDir` are rewritten to temporary directories wherever they appear as paths in the command
 * and arguments; each output is then read from `<output dir>/<name>` by its type.
 */
export async function runContainerCommand(
  task: ContainerTaskLike,
  values: Readonly<Record<string, unknown>>,
  options: { typeContext: TypeContext; workingDirectory: string; log: (line: string) => void },
): Promise<Record<string, unknown>> {
  const base = await mkdtemp(join(options.workingDirectory, "container-"));
  const inputDir = join(base, "inputs");
  const outputDir = join(base, "outputs");
  await mkdir(inputDir);
  await mkdir(outputDir);

  const substitutions = new Map<string, string>();
  for (const [name, descriptor] of Object.entries(task.inputs)) {
    const value = values[name];
    const target = join(inputDir, name);
    if ((descriptor as TypeDescriptor<unknown>).literalType.blob) {
      await cp(await download(value as FlytePath, options.typeContext), target, { recursive: true });
      substitutions.set(name, target);
    } else {
      const text = value === null || value === undefined ? "" : valueText(value);
      await writeFile(target, text);
      substitutions.set(name, text);
    }
  }
  const render = (part: string) =>
    rewritePath(
      rewritePath(
        part.replace(/\{\{\s*\.inputs\.([^\s}]*)\s*\}\}/g, (whole, name: string) => substitutions.get(name) ?? whole),
        task.container.inputDataDir,
        inputDir,
      ),
      task.container.outputDataDir,
      outputDir,
    );
  const argv = [...task.container.command, ...task.container.args].map(render);
  const env = { ...process.env, ...(task.settings.environment ?? {}) };
  options.log(`running ${JSON.stringify(argv)} on this machine in place of image ${task.container.image}`);
  await runProcess(task, argv, options.workingDirectory, env, options.log);

  const outputs: Record<string, unknown> = {};
  for (const [name, descriptor] of Object.entries(task.outputs)) {
    outputs[name] = await readOutput(task, name, descriptor as TypeDescriptor<unknown>, join(outputDir, name));
  }
  return outputs;
}

/** How a local run treats container tasks: refuse them (mock them instead) or run their commands here. */
export type LocalContainerTasks = "error" | "run-command";

/**
 * What a local run executes for a task: its own code, or — for a container task when the run allows
 * it — its command on this machine, in the attempt's working directory, logging through its context.
 */
export function localTaskBody(task: TaskLike, values: Readonly<Record<string, unknown>>, typeContext: TypeContext, containerTasks: LocalContainerTasks = "error"): () => unknown {
  if (containerTasks === "run-command" && isContainerTask(task)) {
    return () => {
      const { workingDirectory, logger } = currentContext();
      return runContainerCommand(task, values, { typeContext, workingDirectory, log: (line) => logger.info(line) });
    };
  }
  return () => (task as TaskLike & { run(v: unknown): unknown }).run(values);
}
