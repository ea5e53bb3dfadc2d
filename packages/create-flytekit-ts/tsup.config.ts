import { readFile } from "node:fs/promises";
import type { Options } from "tsup";
import { packageBuild } from "../../tsup.shared.js";

/**
 * src/versions.ts imports the manifests of the packages released with this one; only the fields it
 * reads go into dist/ — name, version and the workspace's TypeScript and Vitest versions — not their
 * scripts or workspace: ranges.
 */
const manifestFields: NonNullable<Options["esbuildPlugins"]>[number] = {
  name: "manifest-fields",
  setup(build) {
    build.onLoad({ filter: /[\\/]package\.json$/ }, async ({ path }) => {
      const { name, version, devDependencies = {} } = JSON.parse(await readFile(path, "utf8")) as { name: string; version: string; devDependencies?: Record<string, string> };
      const { typescript, vitest } = devDependencies;
      return { contents: JSON.stringify({ name, version, devDependencies: { typescript, vitest } }), loader: "json" };
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
