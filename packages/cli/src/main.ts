import { Command, CommanderError } from "commander";
import { isFlytekitError } from "@flytekit-ts/idl";
import { packageModules } from "./package-command.js";
import pkg from "../package.json" with { type: "json" };

/** Exit codes scripts can rely on. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
}

const defaultIo: Io = { out: (l) => console.log(l), err: (l) => console.error(l) };

/** Runs `flyte-ts` with the given arguments; returns the exit code instead of exiting. */
export async function main(argv: readonly string[], io: Io = defaultIo): Promise<number> {
  const program = new Command("flyte-ts")
    .description("Package, compile, run and register flytekit-ts workflows.")
    .version(pkg.version)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });

  program
    .command("package")
    .description("compile the entities exported by the given modules into a registration bundle (.tgz)")
    .argument("<modules...>", "JavaScript or TypeScript modules that export tasks and workflows")
    .requiredOption("--image <image>", "the default container image of the tasks")
    .option("-o, --output <file>", "where to write the bundle", "flyte-package.tgz")
    .option("--project <project>", "project of the ids (default: empty, filled in at registration)")
    .option("--domain <domain>", "domain of the ids (default: empty)")
    .option("--version <version>", "version of the ids (default: empty)")
    .action(async (modules: string[], options: { image: string; output: string; project?: string; domain?: string; version?: string }) => {
      const result = await packageModules({ modules, ...options });
      for (const file of result.files) io.out(file);
      io.out(`wrote ${result.files.length} entities to ${options.output} (content version ${result.contentVersion})`);
    });

  try {
    await program.parseAsync([...argv], { from: "user" });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    io.err(isFlytekitError(error) || error instanceof Error ? `error: ${error.message}` : `error: ${String(error)}`);
    return EXIT.failure;
  }
}
