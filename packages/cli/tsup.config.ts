import { packageBuild } from "../../tsup.shared.js";

export default packageBuild({
  entry: ["src/index.ts", "src/bin.ts"],
  format: ["esm"],
  // Optional dependencies, imported only when building (esbuild) or loading TypeScript (tsx): never bundled.
  external: ["esbuild", "tsx"],
  dts: { entry: "src/index.ts", compilerOptions: { ignoreDeprecations: "6.0" } },
});
