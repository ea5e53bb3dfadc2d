import { packageBuild } from "../../tsup.shared.js";

export default packageBuild({
  entry: ["src/index.ts", "src/bin.ts"],
  format: ["esm"],
  dts: { entry: "src/index.ts", compilerOptions: { ignoreDeprecations: "6.0" } },
});
