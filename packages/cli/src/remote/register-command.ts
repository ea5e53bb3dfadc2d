import { resolve } from "node:path";
import { BUILD_DIR, type BundleEntry } from "@flytekit-ts/compiler";
import { FlytekitError, formatIdentifier } from "@flytekit-ts/idl";
import type { FoundEntity } from "@flytekit-ts/runtime";
import { readBundle, type FlyteRemote, type RegisterResult, type RegistrationEntry } from "@flytekit-ts/remote";
import { EXIT } from "../exit.js";
import { openRemote, type ConnectionOptions, type RemoteHooks } from "./connection.js";
import { registrationProgress } from "./progress.js";
import { compileModules as compileModuleEntities } from "../compile-modules.js";

export interface RegisterCommandOptions extends ConnectionOptions {
  /** Default: derived from the content (and the uploaded source when --fast). */
  version?: string;
  /** The tasks' default image; default: this release's runtime image. */
  image?: string;
  /** Package the source root, upload it, and make tasks fetch it before running. */
  fast?: boolean;
  /** Where tasks unpack the source (fast registration). Default `.`. */
  destDir?: string;
  /** Module paths in task args are relative to it; fast registration ships it. Default: the working directory. */
  sourceRoot?: string;
  activate?: boolean;
  quiet?: boolean;
}

const isBundle = (path: string): boolean => /\.(tgz|tar\.gz)$/.test(path);

/**
 * Compiles the modules to JavaScript (`flyte-ts-build/` under the source root, see build.ts) and the
 * entities they export (with everything they call) to registration entries whose task args name the
 * built files, checked as FlyteAdmin will; modules relative to the working directory, inside the source root.
 */
export async function compileModules(modules: readonly string[], image: string | undefined, sourceRoot: string): Promise<{ entries: BundleEntry[]; found: FoundEntity[] }> {
  // Module paths are given relative to the working directory (compileModules refuses any outside the source root).
  return compileModuleEntities(
    modules.map((m) => resolve(m)),
    { image, sourceRoot, build: true },
  );
}

/** Registers entries through an open remote, with progress lines on stderr. */
export async function registerWith(
  remote: FlyteRemote,
  entries: readonly (BundleEntry | RegistrationEntry)[],
  options: RegisterCommandOptions,
  err: (line: string) => void,
): Promise<RegisterResult> {
  const sourceRoot = resolve(options.sourceRoot ?? process.cwd());
  return remote.registerEntries(entries, {
    ...(options.project ? { project: options.project } : {}),
    ...(options.domain ? { domain: options.domain } : {}),
    ...(options.version ? { version: options.version } : {}),
    // Fast registration ships the compiled code only: containers run JavaScript, never the TypeScript sources.
    ...(options.fast ? { fast: { root: sourceRoot, include: [BUILD_DIR], ...(options.destDir ? { destDir: options.destDir } : {}) } } : {}),
    ...(options.activate ? { activate: true } : {}),
    ...(options.quiet ? {} : { onProgress: registrationProgress(err) }),
  });
}

/**
 * `flyte-ts register <modules...|bundle.tgz...>`: compiles the modules' entities (or reads `flyte-ts
 * package` / `pyflyte package` bundles) and registers them in order; prints each registered id on
 * stdout and progress on stderr. Returns the exit code.
 */
export async function registerCommand(paths: readonly string[], options: RegisterCommandOptions, io: { out: (l: string) => void; err: (l: string) => void }, hooks: RemoteHooks = {}): Promise<number> {
  if (paths.length === 0) {
    io.err("usage: flyte-ts register <modules...|bundle.tgz> [--project p] [--domain d] [--version v] [--image i] [--fast] [--activate]");
    return EXIT.usage;
  }
  const bundles = paths.filter(isBundle);
  if (bundles.length && bundles.length !== paths.length) throw new FlytekitError("USAGE", "give either modules or bundles (.tgz), not both");
  let entries: (BundleEntry | RegistrationEntry)[];
  if (bundles.length) {
    entries = [];
    for (const bundle of bundles) entries.push(...(await readBundle(bundle)));
  } else {
    entries = (await compileModules(paths, options.image, resolve(options.sourceRoot ?? process.cwd()))).entries;
    // Without --fast the code is not uploaded: the tasks' image must already hold it.
    if (!options.fast) io.err(`the tasks run ${BUILD_DIR}/ from their image's working directory: build the image with flyte-ts image --file ${BUILD_DIR}, or register with --fast`);
  }
  const remote = openRemote(options, hooks, io.err);
  try {
    const result = await registerWith(remote, entries, options, io.err);
    for (const entity of result.entities) io.out(`${entity.status === "created" ? "registered" : "unchanged "} ${formatIdentifier(entity.id)}`);
    for (const id of result.activated) io.out(`activated  ${formatIdentifier(id)}`);
    const created = result.entities.filter((e) => e.status === "created").length;
    io.err(
      `registered ${result.entities.length} entities in ${result.project}/${result.domain} as version ${result.version} ` +
        `(${created} new, ${result.entities.length - created} already registered)${result.distribution ? `, fast: ${result.distribution.distribution}` : ""}`,
    );
    return EXIT.ok;
  } finally {
    remote.close();
  }
}
