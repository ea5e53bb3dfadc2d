import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { FlytekitError, flyteidl } from "@flytekit-ts/idl";
import { localContext, fromLiteralMap, toLiteralMap, type LiteralMap, type TypeContext, type TypeDescriptor } from "@flytekit-ts/types";
import { nodeChildProcess } from "../child-process.js";
import type { Mock } from "./mocks.js";
import type { NodeEvent } from "./events.js";

type TaskTemplate = flyteidl.core.TaskTemplate.$Properties;
type Vars = Record<string, TypeDescriptor<unknown>>;

/** Where the Python tasks of a local run come from and what runs them. */
export interface PythonTaskOptions {
  /**
   * The directory the Python task modules are imported from (flytekit's source root: `task-module
   * my_pkg.tasks` is `<sourceRoot>/my_pkg/tasks.py`). It goes first on `PYTHONPATH`, and is the
   * process's working directory.
   */
  readonly sourceRoot: string;
  /**
   * A virtualenv with flytekit installed: its `bin/pyflyte-execute` runs the tasks. Default: the
   * `pyflyte-execute` on `PATH`.
   */
  readonly venv?: string;
  /** Extra environment for the Python processes (on top of this process's own). */
  readonly env?: Readonly<Record<string, string>>;
  /** Where each run's inputs.pb, outputs and raw data go (default: a fresh temporary directory per run). */
  readonly workDir?: string;
}

/** A Python task failed: its error.pb's code (`USER:Recoverable` is retried like a TypeScript `RecoverableError`), kind, origin and message. */
export class PythonTaskError extends FlytekitError {
  constructor(
    readonly task: string,
    readonly containerError: flyteidl.core.ContainerError.$Properties,
  ) {
    super(containerError.code ?? "SYSTEM", `Python task ${task} failed (${containerError.code ?? "no code"}):\n${containerError.message ?? ""}`);
  }
}

/** flytekit's resolver for a task defined at the top level of a module: `task-module <module> task-name <name>`. */
const DEFAULT_RESOLVER = "flytekit.core.python_auto_container.default_task_resolver";

/** Whether a task template runs through flytekit's entrypoint (the container's command is pyflyte-execute). */
export function isPythonTaskTemplate(template: TaskTemplate | undefined): boolean {
  return template?.container?.args?.[0] === "pyflyte-execute";
}

/**
 * The pyflyte-execute arguments of a flytekit task known by its name only (a reference): flytekit
 * names a top-level task `<module>.<function>` and its default resolver loads it from exactly that,
 * so `my_pkg.tasks.double` runs as `task-module my_pkg.tasks task-name double`.
 */
export function pythonTaskArgs(name: string): string[] {
  const dot = name.lastIndexOf(".");
  if (dot <= 0 || dot === name.length - 1) {
    throw new TypeError(`Python task "${name}": a flytekit task's name is <module>.<function> (e.g. my_pkg.tasks.double), so that pyflyte-execute can load it`);
  }
  return [
    "pyflyte-execute",
    "--inputs", "{{.input}}",
    "--output-prefix", "{{.outputPrefix}}",
    "--raw-output-data-prefix", "{{.rawOutputDataPrefix}}",
    "--checkpoint-path", "{{.checkpointOutputPrefix}}",
    "--prev-checkpoint", "{{.prevCheckpointPrefix}}",
    "--resolver", DEFAULT_RESOLVER,
    "--", "task-module", name.slice(0, dot), "task-name", name.slice(dot + 1),
  ];
}

/** What propeller gives a task pod about its execution (flytekit reads them; ids of a dynamic's children come from them). */
function podEnvironment(task: string, id: flyteidl.core.Identifier.$Properties | null | undefined): Record<string, string> {
  return {
    FLYTE_INTERNAL_EXECUTION_PROJECT: id?.project || "local",
    FLYTE_INTERNAL_EXECUTION_DOMAIN: id?.domain || "development",
    FLYTE_INTERNAL_EXECUTION_ID: "local",
    FLYTE_INTERNAL_TASK_PROJECT: id?.project || "local",
    FLYTE_INTERNAL_TASK_DOMAIN: id?.domain || "development",
    FLYTE_INTERNAL_TASK_NAME: task,
    FLYTE_INTERNAL_TASK_VERSION: id?.version || "local",
  };
}

/**
 * Runs Python tasks the way a Flyte pod does, with the real flytekit: the template's
 * `pyflyte-execute` arguments (Flyte's `{{.input}}`-style templates filled with local paths),
 * inputs.pb written from the literals, the template's environment and propeller's `FLYTE_INTERNAL_*`
 * variables; then reads the outputs.pb back, or turns the error.pb into a `PythonTaskError`. Values
 * cross as literal bytes, exactly as between pods.
 */
export class PythonTaskRunner {
  private readonly executable: string;
  /** Files and directories cross as local paths under the work directory, as raw outputs on a cluster. */
  readonly typeContext: TypeContext;

  constructor(readonly options: PythonTaskOptions) {
    this.typeContext = options.workDir ? localContext({ rawOutputPrefix: join(options.workDir, "raw"), workDir: join(options.workDir, "work") }) : localContext();
    if (!existsSync(options.sourceRoot)) throw new TypeError(`Python tasks: the source root ${options.sourceRoot} does not exist`);
    this.executable = options.venv ? join(options.venv, "bin", "pyflyte-execute") : "pyflyte-execute";
    if (options.venv && !existsSync(this.executable)) {
      throw new TypeError(`Python tasks: ${this.executable} does not exist — is ${options.venv} a virtualenv with flytekit installed?`);
    }
  }

  /** Runs one task: `template` gives the command (else it is derived from `name`) and the environment. */
  async run(name: string, inputs: LiteralMap, template?: TaskTemplate): Promise<LiteralMap> {
    const args = template?.container?.args?.length ? [...template.container.args] : pythonTaskArgs(name);
    if (args[0] !== "pyflyte-execute") throw new TypeError(`Python task ${name}: its container runs ${args[0] ?? "nothing"}, not pyflyte-execute`);
    const base = this.options.workDir ?? tmpdir();
    await mkdir(base, { recursive: true });
    const dir = await mkdtemp(join(base, "flytekit-task-"));
    const out = join(dir, "out");
    await mkdir(out);
    await writeFile(join(dir, "inputs.pb"), flyteidl.core.LiteralMap.encode(inputs as flyteidl.core.LiteralMap).finish());
    const values: Record<string, string> = {
      "{{.input}}": join(dir, "inputs.pb"),
      "{{.inputPrefix}}": dir,
      "{{.outputPrefix}}": out,
      "{{.rawOutputDataPrefix}}": join(dir, "raw"),
      "{{.checkpointOutputPrefix}}": join(dir, "checkpoint"),
      "{{.prevCheckpointPrefix}}": '""',
    };
    const filled = args.slice(1).map((arg) => arg.replace(/\{\{\s*\.\w+\s*\}\}/g, (t) => values[t.replace(/\s/g, "")] ?? t));
    const sourceRoot = resolve(this.options.sourceRoot);
    const templateEnv = Object.fromEntries((template?.container?.env ?? []).map((e) => [e.key ?? "", e.value ?? ""]));
    const env = {
      ...process.env,
      ...templateEnv,
      ...podEnvironment(name, template?.id),
      PYTHONPATH: [sourceRoot, process.env["PYTHONPATH"]].filter(Boolean).join(delimiter),
      ...this.options.env,
    };
    const { code, stderr } = await runProcess(this.executable, filled, sourceRoot, env);
    const files = await readdir(out);
    if (files.includes("error.pb")) {
      const error = flyteidl.core.ErrorDocument.decode(await readFile(join(out, "error.pb"))).error ?? {};
      throw new PythonTaskError(name, error);
    }
    if (files.includes("outputs.pb")) return flyteidl.core.LiteralMap.decode(await readFile(join(out, "outputs.pb")));
    if (files.includes("futures.pb")) {
      throw new FlytekitError("UNSUPPORTED", `Python task ${name} is a dynamic task (it wrote futures.pb): the local executor runs Python tasks, not Python dynamic workflows`);
    }
    throw new FlytekitError("SYSTEM", `Python task ${name}: pyflyte-execute exited with ${code} and wrote no outputs.pb or error.pb; its stderr ended:\n${stderr}`);
  }
}

function runProcess(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done, fail) => {
    const child = nodeChildProcess().spawn(command, args, { cwd, env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => (stderr = (stderr + chunk).slice(-8000)));
    child.once("error", (error) => fail(new FlytekitError("SYSTEM", `could not start ${command}: ${error.message} (is flytekit installed? pass { venv })`, { cause: error })));
    child.once("close", (code) => done({ code, stderr }));
  });
}

/** What a Python stand-in replaces: a reference task, or a task declared as the twin of a Python one (same name and interface). */
export interface PythonTaskEntity<I extends Vars, O extends Vars> {
  readonly name: string;
  readonly inputs: I;
  readonly outputs: O;
  readonly reference?: { readonly resourceType: string; readonly template?: TaskTemplate };
}

/**
 * Runs `entity` in local runs with the real flytekit: `runLocally(wf, inputs, { mocks:
 * [...pythonTasks([double, summarize], { sourceRoot: "py", venv: ".venv" })] })`. Its node's input
 * literals are written to inputs.pb, `pyflyte-execute` runs the Python task (the template's command
 * when the reference carries one, else `task-module <module> task-name <function>` from its name),
 * and its outputs.pb feeds the next nodes. The declared interface converts the values, so it must be
 * the Python task's.
 */
export function pythonTasks<E extends readonly PythonTaskEntity<Vars, Vars>[]>(entities: E, options: PythonTaskOptions): Mock[] {
  const runner = new PythonTaskRunner(options);
  return entities.map((entity) => ({
    name: entity.name,
    inputs: entity.inputs,
    outputs: entity.outputs,
    run: async (values: Record<string, unknown>) => {
      const literals = await toLiteralMap(entity.inputs, values as never, runner.typeContext);
      const template = entity.reference?.resourceType === "task" ? entity.reference.template : undefined;
      return fromLiteralMap(entity.outputs, await runner.run(entity.name, literals, template), runner.typeContext);
    },
  }));
}

/** What a local run tells a Python node's runner: where its events go and how many attempts it has. */
export interface PythonNodeSettings {
  readonly emit: (event: NodeEvent) => void;
  /** Runs the attempt once a task slot is free (the run's parallelism bound). */
  readonly slot: <T>(work: () => Promise<T>) => Promise<T>;
}

/**
 * One Python task node of a local run: attempts as Flyte makes them (`USER:Recoverable` retried within
 * the template's retries), each in a task slot, with the run's events.
 */
export async function runPythonNode(
  runner: PythonTaskRunner,
  settings: PythonNodeSettings,
  name: string,
  template: TaskTemplate | undefined,
  inputs: LiteralMap,
  path: string,
): Promise<LiteralMap> {
  const attempts = 1 + (template?.metadata?.retries?.retries ?? 0);
  for (let attempt = 0; ; attempt++) {
    const outputs = await settings.slot(async () => {
      const started = performance.now();
      settings.emit({ phase: "running", path, entity: name, attempt });
      try {
        const literals = await runner.run(name, inputs, template);
        settings.emit({ phase: "succeeded", path, entity: name, attempt, durationMs: performance.now() - started });
        return literals;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (error instanceof PythonTaskError && error.code === "USER:Recoverable" && attempt + 1 < attempts) {
          settings.emit({ phase: "retrying", path, entity: name, attempt, error: message });
          return undefined;
        }
        settings.emit({ phase: "failed", path, entity: name, attempt, error: message });
        throw error;
      }
    });
    if (outputs) return outputs;
  }
}
