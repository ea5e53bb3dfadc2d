import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { cliVersion, flytekitPackages, flytekitTsVersion, storageSdks, toolVersions } from "./versions.js";

/** What `createProject` needs; only `directory` is required. */
export interface CreateOptions {
  /** Where the project goes: created if missing, refused unless empty. */
  readonly directory: string;
  /** The package name (default: the directory's name). */
  readonly name?: string;
  /**
   * A directory of packed flytekit-ts packages (`pnpm pack` / `npm pack` tarballs, named
   * `<name>-<version>.tgz`): the project then depends on them instead of the registry's releases —
   * for testing packages before they are published.
   */
  readonly tarballs?: string;
}

/** What `createProject` wrote. */
export interface CreatedProject {
  /** The project's absolute path. */
  readonly directory: string;
  readonly name: string;
  /** The files written, relative to the directory, sorted. */
  readonly files: readonly string[];
}

/** A request that cannot be carried out (a non-empty directory, an invalid name, a missing tarball). */
export class CreateError extends Error {
  override readonly name = "CreateError";
}

/** Template files whose real names npm would not ship (`npm pack` drops or renames dotfiles like .gitignore). */
const RENAMED: Readonly<Record<string, string>> = { _gitignore: ".gitignore", _dockerignore: ".dockerignore" };

/** The template directory: beside src/ and dist/ alike. */
const templateDir = fileURLToPath(new URL("../template/", import.meta.url));

/**
 * Writes a new flytekit-ts project into `directory`: a workflow with a dynamic, its tests, a
 * Dockerfile, a `flyte-ts --config` file, a README and a package.json whose flytekit-ts versions are
 * this release's. Everything is prepared before the first file is written; if writing fails, what was
 * written is removed.
 */
export function createProject(options: CreateOptions): CreatedProject {
  const directory = resolve(options.directory);
  checkEmpty(directory);
  const name = options.name ?? basename(directory);
  checkName(name, options.name === undefined ? ` (from the directory's name; choose one with --name)` : "");
  const dependencies = options.tarballs === undefined ? undefined : tarballDependencies(resolve(options.tarballs));
  const values: Record<string, string> = { name, cliVersion, flytekitTsVersion };
  const files = new Map<string, string>(templateFiles().map((file) => [RENAMED[file] ?? file, render(file, readFileSync(join(templateDir, file), "utf8"), values)]));
  files.set("package.json", `${JSON.stringify(packageJson(name, dependencies), null, 2)}\n`);

  const existed = existsSync(directory);
  try {
    for (const [file, content] of files) {
      mkdirSync(dirname(join(directory, file)), { recursive: true });
      writeFileSync(join(directory, file), content);
    }
  } catch (error) {
    if (existed) for (const entry of readdirSync(directory)) rmSync(join(directory, entry), { recursive: true, force: true });
    else rmSync(directory, { recursive: true, force: true });
    throw error;
  }
  return { directory, name, files: [...files.keys()].sort() };
}

function checkEmpty(directory: string): void {
  const stat = statSync(directory, { throwIfNoEntry: false });
  if (stat === undefined) return;
  if (!stat.isDirectory()) throw new CreateError(`${directory} exists and is not a directory`);
  const entries = readdirSync(directory);
  if (entries.length > 0) {
    const shown = entries.slice(0, 3).join(", ") + (entries.length > 3 ? `, … (${entries.length} entries)` : "");
    throw new CreateError(`${directory} is not empty (${shown}): choose a new or empty directory, so that nothing of yours is overwritten`);
  }
}

/** npm's rules for a new package name (those validate-npm-package-name applies to new packages). */
function checkName(name: string, origin: string): void {
  const problem =
    name.length === 0 ? "is empty"
    : name.length > 214 ? "is longer than 214 characters"
    : name !== name.toLowerCase() ? "has capital letters"
    : /^[._]/.test(name) ? "starts with . or _"
    : name.trim() !== name ? "has leading or trailing spaces"
    : !/^(@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/.test(name) ? "has characters npm does not allow (use lowercase letters, digits, -, ., _ and ~; @scope/name for a scope)"
    : ["node_modules", "favicon.ico"].includes(name) ? "is reserved"
    : undefined;
  if (problem) throw new CreateError(`the package name "${name}"${origin} ${problem}`);
}

/** Every file of the template, relative to it, in a fixed order. */
function templateFiles(dir = templateDir): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((entry) => (statSync(join(dir, entry)).isDirectory() ? templateFiles(join(dir, entry)) : [relative(templateDir, join(dir, entry)).split(sep).join("/")]));
}

/** Fills `{{key}}` placeholders; one without a value is a defect of the template, never left in a file. */
function render(file: string, text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(/\{\{(\w+)\}\}/g, (placeholder, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`template ${file} has an unknown placeholder ${placeholder}`);
    return value;
  });
}

/**
 * `file:` specs of the packed flytekit-ts packages in `dir`, for every one of them: the direct
 * dependencies use them, and npm `overrides` make the packages' dependencies on each other use them
 * too (npm requires an override of a direct dependency to equal its spec).
 */
function tarballDependencies(dir: string): Record<string, string> {
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new CreateError(`--tarballs ${dir} is not a directory`);
  const present = new Set(readdirSync(dir));
  const specs: Record<string, string> = {};
  const missing: string[] = [];
  for (const [name, version] of Object.entries(flytekitPackages)) {
    const file = `${name.replace(/^@/, "").replace("/", "-")}-${version}.tgz`;
    if (present.has(file)) specs[name] = `file:${join(dir, file)}`;
    else missing.push(file);
  }
  if (missing.length > 0) throw new CreateError(`--tarballs ${dir} lacks ${missing.join(", ")} (this create-flytekit-ts is for flytekit-ts ${flytekitTsVersion})`);
  return specs;
}

function packageJson(name: string, tarballs: Record<string, string> | undefined) {
  const dependency = (pkg: string): string => tarballs?.[pkg] ?? `^${flytekitPackages[pkg] as string}`;
  return {
    name,
    version: "0.1.0",
    private: true,
    type: "module",
    engines: { node: ">=20.19" },
    scripts: {
      test: "vitest run",
      typecheck: "tsc",
      local: "flyte-ts run src/workflows.ts sumOfSquares --n 4",
      package: "flyte-ts package src/workflows.ts -o flyte-package.tgz",
      register: "flyte-ts register src/workflows.ts --fast --config flyte.config.yaml",
    },
    // The CLI is a dependency, not a development one: it is the entrypoint of every task pod, so the
    // Dockerfile's `npm ci --omit=dev` keeps it.
    // With the S3 SDK: the pods of a project's own image read and write the cluster's blob store through it.
    dependencies: { "@aws-sdk/client-s3": storageSdks["@aws-sdk/client-s3"], "@flytekit-ts/cli": dependency("@flytekit-ts/cli"), "flytekit-ts": dependency("flytekit-ts") },
    devDependencies: { typescript: toolVersions.typescript, vitest: toolVersions.vitest },
    ...(tarballs === undefined ? {} : { overrides: tarballs }),
  };
}
