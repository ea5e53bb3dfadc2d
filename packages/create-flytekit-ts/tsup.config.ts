import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { Options } from "tsup";
import { packageBuild } from "../../tsup.shared.js";

/**
 * src/versions.ts imports the manifests of the packages released with this one. They are loaded as
 * `manifest:<package name>/package.json` modules holding only what it reads — name, version, the workspace's TypeScript
 * and Vitest versions and the runtime's range of the S3 SDK — so neither their other fields (scripts, workspace: ranges) nor paths outside
 * this package end up in dist/ and its source maps.
 */
const manifestFields: NonNullable<Options["esbuildPlugins"]>[number] = {
  name: "manifest-fields",
  setup(build) {
    build.onResolve({ filter: /[\\/]package\.json$/ }, async ({ path, resolveDir }) => {
      const file = resolve(resolveDir, path);
      const { name } = JSON.parse(await readFile(file, "utf8")) as { name: string };
      return { path: `${name}/package.json`, namespace: "manifest", pluginData: file };
    });
    build.onLoad({ filter: /.*/, namespace: "manifest" }, async ({ pluginData }) => {
      const manifest = JSON.parse(await readFile(pluginData as string, "utf8")) as { name: string; version: string; devDependencies?: Record<string, string>; peerDependencies?: Record<string, string> };
      const { name, version, devDependencies = {}, peerDependencies = {} } = manifest;
      const { typescript, vitest } = devDependencies;
      const storage = { "@aws-sdk/client-s3": peerDependencies["@aws-sdk/client-s3"] };
      return { contents: JSON.stringify({ name, version, devDependencies: { typescript, vitest }, peerDependencies: storage }), loader: "json" };
    });
  },
};

export default packageBuild({
  entry: ["src/index.ts", "src/bin.ts"],
  esbuildPlugins: [manifestFields],
  // The template directory is found from import.meta.url, in the CommonJS build too.
  shims: true,
  dts: { entry: "src/index.ts", compilerOptions: { ignoreDeprecations: "6.0" } },
});
