import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { extract } from "tar";
import { FlytekitError, isFlytekitError } from "@flytekit-ts/idl";
import { RoutingStorage, execute, executeMap, parseExecuteArgs } from "@flytekit-ts/runtime";
import { EXIT } from "../exit.js";

export const FAST_EXECUTE_USAGE = "usage: flyte-ts fast-execute --additional-distribution <uri> --dest-dir <dir> -- flyte-ts execute|execute-map <arguments>";

/** `flyte-ts fast-execute`'s arguments: the code archive, where to unpack it, and the entrypoint to run then. */
export interface FastExecuteArgs {
  distribution: string;
  destDir: string;
  /** The inner entrypoint: `execute`, or `execute-map` for a map task. */
  command: "execute" | "execute-map";
  /** Its arguments. */
  executeArgs: string[];
}

/**
 * Reads `flyte-ts fast-execute`'s arguments (as the compiler writes them into fast-registered tasks);
 * a missing `--`, flag value or distribution is a `USAGE` error quoting the usage.
 */
export function parseFastExecuteArgs(argv: readonly string[]): FastExecuteArgs {
  const separator = argv.indexOf("--");
  if (separator < 0) throw new FlytekitError("USAGE", `missing "--" before the command to run; ${FAST_EXECUTE_USAGE}`);
  let distribution: string | undefined;
  let destDir = ".";
  const flags = argv.slice(0, separator);
  for (let i = 0; i < flags.length; i += 2) {
    const value = flags[i + 1];
    if (value === undefined) throw new FlytekitError("USAGE", `${flags[i] ?? ""} needs a value`);
    if (flags[i] === "--additional-distribution") distribution = value;
    else if (flags[i] === "--dest-dir") destDir = value;
    else throw new FlytekitError("USAGE", `unexpected argument ${flags[i] ?? ""}; ${FAST_EXECUTE_USAGE}`);
  }
  if (!distribution) throw new FlytekitError("USAGE", `missing --additional-distribution; ${FAST_EXECUTE_USAGE}`);
  let command = argv.slice(separator + 1);
  if (command[0] === "flyte-ts") command = command.slice(1);
  if (command[0] !== "execute" && command[0] !== "execute-map") {
    throw new FlytekitError("USAGE", `the command after "--" must be flyte-ts execute or execute-map …, got ${command.slice(0, 2).join(" ") || "nothing"}`);
  }
  return { distribution, destDir, command: command[0], executeArgs: command.slice(1) };
}

/** The distribution's bytes: http(s) URLs (signed links) with fetch, everything else through the task's storage (s3://, gs://, file://, paths). */
async function download(uri: string): Promise<Uint8Array> {
  if (/^https?:\/\//i.test(uri)) {
    const response = await fetch(uri);
    if (!response.ok) throw new FlytekitError("DISTRIBUTION_DOWNLOAD", `downloading the code distribution failed with HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  }
  return new RoutingStorage().read(uri);
}

/**
 * `flyte-ts fast-execute`: what a fast-registered task's container runs (pyflyte-fast-execute for
 * TypeScript). Downloads the source distribution, unpacks it into `--dest-dir`, then runs the inner
 * `flyte-ts execute` (or `execute-map`) in this process with the source root set to that directory, telling it the
 * distribution (`--dynamic-addl-distro`, `--dynamic-dest-dir`) so that a dynamic task gives the
 * children it creates the same prefix. Exit codes are the inner `execute`'s.
 */
export async function fastExecuteCommand(argv: readonly string[], err: (line: string) => void): Promise<number> {
  let parsed: FastExecuteArgs;
  try {
    parsed = parseFastExecuteArgs(argv);
  } catch (error) {
    err(`error: ${(error as Error).message}`);
    return EXIT.usage;
  }
  const destDir = resolve(parsed.destDir);
  try {
    const archive = await download(parsed.distribution);
    await mkdir(destDir, { recursive: true });
    const scratch = await mkdtemp(join(tmpdir(), "flyte-ts-fast-"));
    try {
      const file = join(scratch, "distribution.tar.gz");
      await writeFile(file, archive);
      // tar refuses absolute paths and ".." by default; files overwrite what the image has.
      await extract({ file, cwd: destDir, strict: true });
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  } catch (error) {
    err(`error: cannot fetch the code distribution ${parsed.distribution}: ${(error as Error).message}`);
    return EXIT.failure;
  }

  const separator = parsed.executeArgs.indexOf("--");
  const withDistribution = [
    ...(separator < 0 ? parsed.executeArgs : parsed.executeArgs.slice(0, separator)),
    "--dynamic-addl-distro",
    parsed.distribution,
    "--dynamic-dest-dir",
    parsed.destDir,
    ...(separator < 0 ? [] : parsed.executeArgs.slice(separator)),
  ];
  try {
    const options = { sourceRoot: destDir, warn: err };
    const outcome = parsed.command === "execute-map" ? await executeMap(withDistribution, options) : await execute(parseExecuteArgs(withDistribution), options);
    err(`wrote ${outcome.uri}`);
    return outcome.file === "error.pb" && process.env["FLYTE_FAIL_ON_ERROR"] === "true" ? EXIT.failure : EXIT.ok;
  } catch (error) {
    err(`error: ${error instanceof Error ? error.message : String(error)}`);
    return isFlytekitError(error) && error.code === "USAGE" ? EXIT.usage : EXIT.failure;
  }
}
