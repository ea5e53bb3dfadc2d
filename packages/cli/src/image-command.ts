import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { cp, mkdir, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import { promisify } from "node:util";
import type { Command } from "commander";
import { FlytekitError } from "@flytekit-ts/idl";
import { defaultImage } from "./default-image.js";

const exec = promisify(execFile);

/**
 * An image to build from a base (flytekit's ImageSpec, for TypeScript): what to add to the runtime
 * image so that a project's tasks run in it.
 */
export interface ImageSpec {
  /** Default: this release's runtime image (`ghcr.io/flytekit-ts/runtime:<version>`). */
  base?: string;
  /** npm packages (`name` or `name@version`) installed next to the runtime in `/app/node_modules`. */
  npm?: readonly string[];
  /** Debian packages installed with apt-get. */
  apt?: readonly string[];
  /** Environment variables of the image. */
  env?: Readonly<Record<string, string>>;
  /** Files or directories (relative to `root`) copied to the same paths under `/app`, e.g. `flyte-ts-build`. */
  files?: readonly string[];
  /** Where `files` are relative to. Default: the working directory. */
  root?: string;
  /** The image's repository, e.g. `ghcr.io/me/flows`; the tag is the content hash. */
  repository: string;
}

export interface ImageContext {
  /** `<repository>:<content hash>`: the same spec and files give the same tag. */
  tag: string;
  dockerfile: string;
  /** The build context directory (the Dockerfile and a copy of the files). */
  dir: string;
}

const RUNTIME_USER = "flyte";
const APP_DIR = "/app";

/** A shell word, quoted for a RUN line. */
const quote = (word: string): string => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);

function check(spec: ImageSpec): void {
  if (!/^[a-z0-9]([a-z0-9._/:-]*[a-z0-9])?$/.test(spec.repository) || /:[^/]*$/.test(spec.repository.replace(/^[^/]*\//, ""))) {
    throw new FlytekitError("USAGE", `image repository ${JSON.stringify(spec.repository)} must be a lower-case repository without a tag, e.g. ghcr.io/me/flows`);
  }
  for (const pkg of spec.npm ?? []) if (!/^(@[\w.-]+\/)?[\w.-]+(@[\w.^~<>=*|\s-]+)?$/.test(pkg)) throw new FlytekitError("USAGE", `--npm ${JSON.stringify(pkg)} is not an npm package name (name or name@version)`);
  for (const pkg of spec.apt ?? []) if (!/^[a-z0-9][a-z0-9+.-]*(=[\w.:~+-]+)?$/.test(pkg)) throw new FlytekitError("USAGE", `--apt ${JSON.stringify(pkg)} is not a Debian package name`);
  for (const key of Object.keys(spec.env ?? {})) if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new FlytekitError("USAGE", `--env ${JSON.stringify(key)} is not an environment variable name`);
}

/** The Dockerfile of a spec: the base, then apt, npm, env and files, each layer only when asked for. */
export function dockerfile(spec: ImageSpec, files: readonly string[]): string {
  check(spec);
  const lines = [`FROM ${spec.base ?? defaultImage()}`, "USER root", `WORKDIR ${APP_DIR}`];
  if (spec.apt?.length) {
    lines.push(`RUN apt-get update && apt-get install -y --no-install-recommends ${[...spec.apt].sort().map(quote).join(" ")} && rm -rf /var/lib/apt/lists/*`);
  }
  if (spec.npm?.length) {
    // Beside the runtime, so that the built code's imports resolve from /app/node_modules; never optional tools.
    // npm's own modules stay out of the compile cache the runtime image made for task processes.
    lines.push(`RUN NODE_DISABLE_COMPILE_CACHE=1 npm install --omit=optional --no-audit --no-fund ${[...spec.npm].sort().map(quote).join(" ")} && npm cache clean --force`);
  }
  const env = Object.entries(spec.env ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
  if (env.length) lines.push(`ENV ${env.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(" ")}`);
  for (const file of files) lines.push(`COPY --chown=${RUNTIME_USER}:${RUNTIME_USER} files/${file} ${APP_DIR}/${file}`);
  lines.push(`USER ${RUNTIME_USER}`);
  return `${lines.join("\n")}\n`;
}

/** Every file under the given paths (relative to root, forward slashes), sorted. */
async function listFiles(root: string, paths: readonly string[]): Promise<string[]> {
  const out = new Set<string>();
  const visit = async (absolute: string): Promise<void> => {
    const rel = relative(root, absolute).split(sep).join("/");
    if (rel.startsWith("..")) throw new FlytekitError("USAGE", `${absolute} is outside ${root}`);
    const info = await stat(absolute).catch(() => undefined);
    if (!info) throw new FlytekitError("USAGE", `--file ${rel}: no such file or directory under ${root}`);
    if (info.isDirectory()) for (const name of (await readdir(absolute)).sort()) await visit(join(absolute, name));
    else out.add(rel);
  };
  for (const path of paths) await visit(resolve(root, path));
  return [...out].sort();
}

/**
 * Writes the build context of a spec into `dir` (emptied first): the Dockerfile and a copy of the
 * files; the tag is a hash of the Dockerfile and every file's path and bytes.
 */
export async function imageContext(spec: ImageSpec, dir: string): Promise<ImageContext> {
  const root = resolve(spec.root ?? process.cwd());
  const files = await listFiles(root, spec.files ?? []);
  const text = dockerfile(spec, spec.files ?? []);
  const hash = createHash("sha256").update(text);
  for (const file of files) hash.update("\0").update(file).update("\0").update(await readFile(join(root, file)));
  const tag = `${spec.repository}:${hash.digest("hex").slice(0, 20)}`;
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, "files"), { recursive: true });
  await writeFile(join(dir, "Dockerfile"), text);
  for (const file of files) await cp(join(root, file), join(dir, "files", file));
  return { tag, dockerfile: text, dir };
}

/** A container engine that works here: the binary and its daemon or runtime (`info` succeeds), not just the binary. */
export async function findEngine(candidates: readonly string[] = ["docker", "podman", "buildah"]): Promise<string | undefined> {
  for (const engine of candidates) {
    try {
      await exec(engine, ["info"], { timeout: 30_000 });
      return engine;
    } catch {
      // not installed, or installed without a working engine (a docker CLI with no daemon)
    }
  }
  return undefined;
}

/** The command that builds a context with an engine. */
export function buildCommand(engine: string, context: ImageContext): string[] {
  return engine === "buildah" ? [engine, "bud", "-t", context.tag, context.dir] : [engine, "build", "-t", context.tag, context.dir];
}

export interface ImageCommandOptions {
  base?: string;
  npm?: string[];
  apt?: string[];
  env?: string[];
  file?: string[];
  output: string;
  build: boolean;
  engine?: string;
}

/**
 * `flyte-ts image <repository>`: writes the build context, builds it when a container engine works
 * here (or prints how to), and prints the tag last on stdout, for `--image`.
 */
export async function imageCommand(repository: string, options: ImageCommandOptions, io: { out: (l: string) => void; err: (l: string) => void }): Promise<void> {
  const env: Record<string, string> = {};
  for (const pair of options.env ?? []) {
    const at = pair.indexOf("=");
    if (at <= 0) throw new FlytekitError("USAGE", `--env ${JSON.stringify(pair)} must be NAME=value`);
    env[pair.slice(0, at)] = pair.slice(at + 1);
  }
  const context = await imageContext(
    {
      repository,
      ...(options.base ? { base: options.base } : {}),
      npm: options.npm ?? [],
      apt: options.apt ?? [],
      env,
      files: options.file ?? [],
    },
    resolve(options.output),
  );
  io.err(`wrote the build context of ${context.tag} to ${context.dir}`);
  const engine = options.build ? await findEngine(options.engine ? [options.engine] : undefined) : undefined;
  if (engine) {
    const [bin, ...args] = buildCommand(engine, context);
    io.err(`building with ${engine}`);
    try {
      await exec(bin as string, args, { maxBuffer: 256 << 20 });
    } catch (error) {
      throw new FlytekitError("IMAGE_BUILD", `${buildCommand(engine, context).join(" ")} failed: ${(error as { stderr?: string }).stderr || (error as Error).message}`, { cause: error });
    }
    io.err(`built ${context.tag} (push it where your cluster pulls from)`);
  } else {
    io.err(options.build ? "no working container engine here (docker, podman or buildah); build it elsewhere with:" : "build it with:");
    io.err(`  docker build -t ${context.tag} ${context.dir}`);
    io.err(context.dockerfile.trimEnd());
  }
  io.out(context.tag);
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Adds `flyte-ts image` to the program. */
export function addImageCommand(program: Command, io: { out: (l: string) => void; err: (l: string) => void }): void {
  program
    .command("image")
    .description("write (and, when a container engine works here, build) an image for your tasks: a base plus npm and apt packages, env and files; prints its content-hash tag")
    .argument("<repository>", "the image's repository, e.g. ghcr.io/me/flows (the tag is a content hash)")
    .option("--base <image>", "the base image (default: this release's runtime image)")
    .option("--npm <package>", "an npm package to install beside the runtime (repeatable)", collect)
    .option("--apt <package>", "a Debian package to install (repeatable)", collect)
    .option("--env <NAME=value>", "an environment variable (repeatable)", collect)
    .option("--file <path>", "a file or directory to copy to /app/<path>, e.g. flyte-ts-build (repeatable)", collect)
    .option("-o, --output <dir>", "where to write the build context", "flyte-ts-image")
    .option("--no-build", "only write the build context")
    .option("--engine <engine>", "docker, podman or buildah (default: the first that works)")
    .action(async (repository: string, options: ImageCommandOptions) => imageCommand(repository, options, io));
}
