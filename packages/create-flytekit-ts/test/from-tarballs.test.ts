import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { flyteidl } from "@flytekit-ts/idl";
import { executeTemplate, packPackages, publishedPackages, repoRoot, run, userEnv, walk } from "../../../test-support/packed-packages.js";
import { compileCacheHits, imageNode, imageNodeVersion, warmCompileCache } from "../../../tools/image-node/src/index.js";

/**
 * `npm create flytekit-ts` as a stranger meets it, before anything is published: every package is
 * packed, the packed create-flytekit-ts itself scaffolds a project into an empty directory from the
 * tarballs and installs it with npm (not the workspace); then the project's own scripts run — its
 * tests, its type check, a local run, `package` — and a task of the package runs from the extracted
 * bundle in a "pod" installed as the project's Dockerfile installs it (no TypeScript tooling).
 * Slow: a build, a pack of every package and two npm installs from the registry.
 */
const work = mkdtempSync(join(tmpdir(), "flyte-ts-create-"));
// Two projects' node_modules: removing them takes a while on a loaded machine.
afterAll(() => rm(work, { recursive: true, force: true }), 5 * 60_000);

const withNpm = (args: string[], cwd: string) => run("npm", args, { cwd, maxBuffer: 64 << 20, env: userEnv() });

describe("a project created by the packed create-flytekit-ts from the packed packages", () => {
  it(
    "installs with npm, passes its own tests, packages, and a task of its package runs in a pod without TypeScript tooling, on the runtime image's Node.js and compile cache",
    async () => {
      const packs = join(work, "packs");
      const tarballs = await packPackages(packs);
      const versions = Object.fromEntries(publishedPackages().map((p) => [p.name, p.version]));

      // 1. npm create flytekit-ts = npm exec create-flytekit-ts, here of the packed package.
      const created = await withNpm(["exec", "--yes", `--package=${tarballs["create-flytekit-ts"]}`, "--", "create-flytekit-ts", "app", "--tarballs", packs], work);
      const app = join(work, "app");
      expect(created.stdout).toMatch(`Created app (flytekit-ts ${versions["flytekit-ts"]}) in ${app}`);
      expect(created.stdout).toMatch(/Installing with npm install/);
      expect(created.stdout).toMatch(/Next:\n {2}cd app\n {2}npm test /);
      const manifest = JSON.parse(readFileSync(join(app, "package.json"), "utf8"));
      // The runtime's range of the S3 SDK, from the registry: the pods of the project's own image need it.
      const s3Range = JSON.parse(readFileSync(join(repoRoot, "packages", "runtime", "package.json"), "utf8")).peerDependencies["@aws-sdk/client-s3"];
      expect(manifest.dependencies).toEqual({ "@aws-sdk/client-s3": s3Range, "@flytekit-ts/cli": `file:${tarballs["@flytekit-ts/cli"]}`, "flytekit-ts": `file:${tarballs["flytekit-ts"]}` });
      // What npm installed is what was packed: the versions the workspace is about to publish.
      for (const name of ["flytekit-ts", "@flytekit-ts/cli", "@flytekit-ts/runtime", "@flytekit-ts/idl"]) {
        expect(JSON.parse(readFileSync(join(app, "node_modules", name, "package.json"), "utf8")).version, name).toBe(versions[name]);
      }
      expect(readFileSync(join(app, "Dockerfile"), "utf8")).toContain(`FROM ghcr.io/flytekit-ts/runtime:${versions["@flytekit-ts/cli"]}\n`);

      // Without --tarballs, the packed create-flytekit-ts writes ranges of the versions it was built beside.
      await withNpm(["exec", "--yes", `--package=${tarballs["create-flytekit-ts"]}`, "--", "create-flytekit-ts", "plain", "--no-install"], work);
      const plain = JSON.parse(readFileSync(join(work, "plain", "package.json"), "utf8"));
      expect(plain.dependencies).toEqual({ "@aws-sdk/client-s3": s3Range, "@flytekit-ts/cli": `^${versions["@flytekit-ts/cli"]}`, "flytekit-ts": `^${versions["flytekit-ts"]}` });
      expect(plain.overrides).toBeUndefined();

      // 2. The project's own scripts, as its README gives them.
      const tested = await withNpm(["test"], app);
      expect(stripVTControlCharacters(tested.stdout)).toMatch(/Tests +4 passed \(4\)/);
      await withNpm(["run", "typecheck"], app);
      const local = await withNpm(["run", "local", "--silent"], app);
      expect(JSON.parse(local.stdout)).toEqual({ o0: 1 + 4 + 9 + 16 });
      const packaged = await withNpm(["run", "package", "--silent"], app);
      expect(packaged.stdout).toMatch(/wrote 5 entities to flyte-package\.tgz/);

      // 3. The pod, installed as the Dockerfile installs /app: the project's manifest and lockfile, `npm ci` without
      //    development or optional dependencies; then the bundle extracted into it.
      const pod = join(work, "pod");
      mkdirSync(pod);
      for (const file of ["package.json", "package-lock.json"]) copyFileSync(join(app, file), join(pod, file));
      // (npm runs with the runtime image's compile cache off, so that npm's modules stay out of it.)
      const install = /^RUN NODE_DISABLE_COMPILE_CACHE=1 (npm ci [^&\n]*?)\s*(&&|$)/m.exec(readFileSync(join(app, "Dockerfile"), "utf8"))?.[1];
      expect(install).toBe("npm ci --omit=dev --omit=optional --no-audit --no-fund");
      await withNpm([...(install as string).split(" ").slice(1), "--loglevel=error"], pod);
      await run("tar", ["-xzf", join(app, "flyte-package.tgz"), "-C", pod]);
      for (const tool of ["typescript", "tsx", "esbuild", "vitest"]) expect(existsSync(join(pod, "node_modules", tool)), `${tool} in the pod`).toBe(false);
      // The blob store's SDK is there: the pod reads and writes s3:// through it.
      expect(existsSync(join(pod, "node_modules", "@aws-sdk", "client-s3", "package.json"))).toBe(true);
      const shipped = walk(pod);
      expect(shipped.filter((f) => /\.[cm]?tsx?$/.test(f))).toEqual([]);
      expect(shipped).toContain("flyte-ts-build/src/workflows.mjs");

      // 4. Tasks of the package run there through the pod's flyte-ts execute, with the templates' args, on the
      //    runtime image's Node.js, from the compile cache the image fills by loading flytekit-ts once in /app.
      const node = imageNode();
      const cache = warmCompileCache(node, pod, join(pod, ".node-compile-cache"));
      const asPod = { node: node.path, env: { NODE_COMPILE_CACHE: cache, NODE_DEBUG_NATIVE: "COMPILE_CACHE" } };
      const templates = new Map(
        shipped
          .filter((f) => f.endsWith("_1.pb"))
          .map((f) => flyteidl.admin.TaskSpec.decode(readFileSync(join(pod, f))).template)
          .map((template) => [template?.id?.name, template]),
      );
      expect([...templates.keys()].sort()).toEqual(["workflows.square", "workflows.squares", "workflows.sum"]);
      const square = templates.get("workflows.square");
      expect(square?.container?.image).toBe(`ghcr.io/flytekit-ts/runtime:${versions["@flytekit-ts/cli"]}`);
      const int = (name: string, value: number) => flyteidl.core.LiteralMap.encode({ literals: { [name]: { scalar: { primitive: { integer: value } } } } }).finish();
      const squared = await executeTemplate(pod, square, int("x", 7), work, asPod);
      expect(squared.files).toEqual(["outputs.pb"]);
      // Node.js names the cache directory by its own version, and lists the modules it found compiled.
      expect(squared.stderr).toContain(`v${imageNodeVersion()}-`);
      const hits = compileCacheHits(squared.stderr);
      for (const sdk of ["flytekit-ts", "@flytekit-ts/runtime", "@flytekit-ts/compiler", "@flytekit-ts/types", "@flytekit-ts/idl"]) {
        expect(hits, `${sdk} from the image's compile cache`).toContain(`file://${join(pod, "node_modules", sdk, "dist", "index.js")}`);
      }
      expect(flyteidl.core.LiteralMap.decode(readFileSync(join(squared.dir, "out", "outputs.pb"))).literals["o0"]?.scalar?.primitive?.integer?.toString()).toBe("49");

      // The dynamic writes the workflow it built: one square node per number.
      const expanded = await executeTemplate(pod, templates.get("workflows.squares"), int("n", 3), work, asPod);
      expect(expanded.files).toEqual(["futures.pb"]);
      const futures = flyteidl.core.DynamicJobSpec.decode(readFileSync(join(expanded.dir, "out", "futures.pb")));
      expect(futures.nodes).toHaveLength(3);
      expect(futures.tasks.map((t) => t.id?.name)).toEqual(["workflows.square"]);
    },
    30 * 60_000,
  );
});
