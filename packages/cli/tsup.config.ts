import { packageBuild } from "../../tsup.shared.js";

// Optional dependencies, imported only when building (esbuild) or loading TypeScript (tsx): never bundled.
const external = ["esbuild", "tsx"];
const dts = { compilerOptions: { ignoreDeprecations: "6.0" } };

/**
 * Two builds, run side by side by tsup, writing disjoint files into dist/: the ESM one (the library
 * and the `flyte-ts` command, which awaits at top level, so ESM only) cleans dist/ except what the
 * CommonJS one writes (the library for `require`, with its own declarations).
 */
export default [
  packageBuild({
    entry: ["src/index.ts", "src/bin.ts"],
    format: ["esm"],
    external,
    dts: { entry: "src/index.ts", ...dts },
    clean: ["!index.cjs", "!index.cjs.map", "!index.d.cts"],
  }),
  packageBuild({ entry: ["src/index.ts"], format: ["cjs"], external, dts, clean: false }),
];
