import { Command, CommanderError } from "commander";
import { isFlytekitError } from "@flytekit-ts/idl";
import { executeCommand, executeMapCommand, useTypeScriptLoader } from "@flytekit-ts/runtime";
import { packageModules } from "./package-command.js";
import { runCommand } from "./run-command.js";
import { compileCommand } from "./compile-command.js";
import { graphCommand } from "./graph-command.js";
import { EXIT } from "./exit.js";
import { userStack } from "./failure-report.js";
import { addRemoteCommands, dispatchRemote } from "./remote/commands.js";
import { addImageCommand } from "./image-command.js";
import pkg from "../package.json" with { type: "json" };

/** Exit codes scripts can rely on (0 ok, 1 failure, 2 usage, 3 execution failed, 4 wait timed out; see exit.ts). */
export { EXIT };

/** Where `main` writes: results to `out`, progress and errors to `err` (stdout and stderr by default). */
export interface Io {
  /** One line of results (what a script would read). */
  out: (line: string) => void;
  /** One line of progress, a warning or an error. */
  err: (line: string) => void;
}

const defaultIo: Io = { out: (l) => console.log(l), err: (l) => console.error(l) };

/** Runs `flyte-ts` with the given arguments; returns the exit code instead of exiting. */
export async function main(argv: readonly string[], io: Io = defaultIo): Promise<number> {
  // `run` and `graph` load the user's TypeScript directly; pods run built JavaScript and never get here.
  useTypeScriptLoader(() => import("tsx/esm/api").then(({ register }) => void register()));
  const program = new Command("flyte-ts")
    .description("Package, compile, run and register flytekit-ts workflows.")
    .version(pkg.version)
    // Root options (--version, --help) only before a subcommand: `register --version v1` is the subcommand's.
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });

  program
    .command("package")
    .description("compile the entities exported by the given modules into a registration bundle (.tgz)")
    .argument("<modules...>", "JavaScript or TypeScript modules that export tasks and workflows")
    .option("--image <image>", "the default container image of the tasks (default: this release's runtime image, ghcr.io/flytekit-ts/runtime:<version>)")
    .option("-o, --output <file>", "where to write the bundle", "flyte-package.tgz")
    .option("--project <project>", "project of the ids (default: empty, filled in at registration)")
    .option("--domain <domain>", "domain of the ids (default: empty)")
    .option("--version <version>", "version of the ids (default: empty)")
    .option("--source-root <dir>", "the project root: module paths and default names are relative to it (default: the working directory)")
    .action(async (modules: string[], options: { image?: string; output: string; project?: string; domain?: string; version?: string; sourceRoot?: string }) => {
      const result = await packageModules({ modules, ...options });
      for (const file of result.files) io.out(file);
      io.out(`compiled ${result.code.filter((f) => !f.endsWith(".map")).length} JavaScript files into the bundle's flyte-ts-build/ (the code the tasks run)`);
      io.out(`wrote ${result.files.length} entities to ${options.output} (content version ${result.contentVersion})`);
    });

  program
    .command("compile")
    .description("compile a registration bundle's workflows as FlyteAdmin will (FlytePropeller's compiler and checks)")
    .argument("<bundle...>", "a .tgz from `flyte-ts package`, a directory of its .pb files, or the files")
    .option("--json", "print each CompiledWorkflowClosure as proto3 JSON")
    .action(async (paths: string[], options: { json?: boolean }) => {
      await compileCommand(paths, options.json ?? false, io.out);
    });

  let code: number = EXIT.ok;
  addRemoteCommands(program, io, (c) => (code = c));
  addImageCommand(program, io);

  // `run` and `execute` take free-form flags (task inputs; Flyte's entrypoint arguments with a `--`
  // before the loader arguments), which an option parser would rewrite; they are dispatched directly.
  program.command("run <module> <export> [inputs...]").description("run a task, workflow or dynamic workflow on this machine; inputs as --name value; -q for outputs only; `run --remote …` registers and runs it on a cluster");
  program.command("graph <module> <export> [inputs...]").description("print a workflow (or a dynamic's expansion for the given inputs) as Mermaid or, with --format dot, Graphviz");
  program.command("execute [args...]").description("Flyte's container entrypoint, as the compiler writes it into every task template");

  try {
    const remote = await dispatchRemote(argv, io);
    if (remote !== undefined) return remote;
    if (argv[0] === "run") {
      const rest = argv.slice(1).filter((a) => a !== "-q" && a !== "--quiet");
      const [module, exportName, ...inputs] = rest;
      if (!module || !exportName) {
        io.err("usage: flyte-ts run <module> <export> [--input value ...] [-q]");
        return EXIT.usage;
      }
      await runCommand(module, exportName, inputs, io, rest.length !== argv.length - 1);
      return EXIT.ok;
    }
    if (argv[0] === "execute") return await executeCommand(argv.slice(1), io.err);
    if (argv[0] === "execute-map") return await executeMapCommand(argv.slice(1), io.err);
    if (argv[0] === "graph") {
      const [module, exportName, ...rest] = argv.slice(1);
      if (!module || !exportName) {
        io.err("usage: flyte-ts graph <module> <export> [--format mermaid|dot] [--input value ...]");
        return EXIT.usage;
      }
      await graphCommand(module, exportName, rest, io.out);
      return EXIT.ok;
    }
    await program.parseAsync([...argv], { from: "user" });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    io.err(isFlytekitError(error) || error instanceof Error ? `error: ${error.message}` : `error: ${String(error)}`);
    for (const line of userStack(error)) io.err(line);
    return isFlytekitError(error) && error.code === "USAGE" ? EXIT.usage : EXIT.failure;
  }
}
