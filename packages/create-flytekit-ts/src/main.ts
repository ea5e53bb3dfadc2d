import { spawn } from "node:child_process";
import { relative } from "node:path";
import { parseArgs } from "node:util";
import { createProject, CreateError } from "./create.js";
import { flytekitTsVersion } from "./versions.js";
import pkg from "../package.json" with { type: "json" };

/** Where the command writes: standard output (the result, the next steps) and standard error (errors). */
export interface Io {
  /** Writes a line of the result (what was created, the next steps, the help). */
  out: (line: string) => void;
  /** Writes a line of an error. */
  err: (line: string) => void;
}

/** Runs the installer in the new project; resolves to its exit code. */
export type Installer = (command: string, args: readonly string[], cwd: string) => Promise<number>;

const USAGE = `Usage: create-flytekit-ts <directory> [--name <package name>] [--no-install] [--tarballs <dir>]
       npm create flytekit-ts <directory> [-- <options>]   (npm passes options on after --)

Creates a flytekit-ts project in <directory> (new or empty): a workflow with a dynamic workflow, its
tests, a Dockerfile, a config file for registering on a cluster, and a README; then installs it.

  --name <name>      the package name (default: the directory's name)
  --no-install       do not run the package manager's install
  --tarballs <dir>   depend on packed flytekit-ts packages in <dir> instead of the registry's
  -h, --help         this help
  -v, --version      create-flytekit-ts's version`;

/** The package manager that started this command (`npm create`, `pnpm create`, `yarn create`), else npm. */
function packageManager(): string {
  const agent = process.env["npm_config_user_agent"] ?? "";
  const name = /^(npm|pnpm|yarn|bun)\//.exec(agent)?.[1];
  return name ?? "npm";
}

const spawnInstaller: Installer = (command, args, cwd) =>
  new Promise((done, fail) => {
    const child = spawn(command, args, { cwd, stdio: "inherit", shell: process.platform === "win32" });
    child.on("error", fail);
    child.on("exit", (code, signal) => done(code ?? (signal ? 1 : 0)));
  });

/**
 * `create-flytekit-ts [directory] [--name] [--no-install] [--tarballs]`: creates the project, installs
 * it, prints what to do next. Returns the exit code: 0 done, 1 the install failed, 2 a usage error.
 */
export async function main(argv: readonly string[], io: Io, install: Installer = spawnInstaller): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        name: { type: "string" },
        "no-install": { type: "boolean" },
        tarballs: { type: "string" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "v" },
      },
    });
  } catch (error) {
    io.err(`error: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  if (values.version) {
    io.out(`create-flytekit-ts ${pkg.version} (flytekit-ts ${flytekitTsVersion})`);
    return 0;
  }
  if (positionals.length !== 1) {
    io.err(`error: ${positionals.length === 0 ? "give the directory to create the project in" : `one directory, not ${positionals.length}: ${positionals.join(" ")}`}\n\n${USAGE}`);
    return 2;
  }

  let project;
  try {
    project = createProject({
      directory: positionals[0] as string,
      ...(values.name === undefined ? {} : { name: values.name }),
      ...(values.tarballs === undefined ? {} : { tarballs: values.tarballs }),
    });
  } catch (error) {
    if (!(error instanceof CreateError)) throw error;
    io.err(`error: ${error.message}`);
    return 2;
  }
  io.out(`Created ${project.name} (flytekit-ts ${flytekitTsVersion}) in ${project.directory}: ${project.files.join(", ")}`);

  const manager = packageManager();
  const steps: string[] = [];
  const cd = relative(process.cwd(), project.directory);
  if (cd !== "") steps.push(`cd ${/[\s"'$]/.test(cd) ? JSON.stringify(cd) : cd}`);
  if (values["no-install"]) {
    steps.push(`${manager} install`);
  } else {
    io.out(`Installing with ${manager} install …`);
    const code = await install(manager, ["install"], project.directory);
    if (code !== 0) {
      io.err(`error: ${manager} install failed (exit code ${code}); the project is in ${project.directory}: fix the cause and run ${manager} install there`);
      return 1;
    }
  }
  const run = manager === "npm" ? "npm run" : manager;
  steps.push(
    `${manager} test                 # the workflow's tests, on this machine`,
    `${run} local            # run the workflow here and print its outputs`,
    `${run} register         # register on a cluster: first set its endpoint in flyte.config.yaml`,
  );
  io.out(`\nNext:\n${steps.map((step) => `  ${step}`).join("\n")}\n\nREADME.md goes on from there: your own image, registering and launching.`);
  return 0;
}
