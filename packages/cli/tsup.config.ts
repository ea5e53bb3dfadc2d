import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts", "src/bin.ts"],
  format: ["esm"],
  // tsup sets baseUrl for declaration bundling, which TypeScript 6 flags as deprecated.
  dts: { entry: "src/index.ts", compilerOptions: { ignoreDeprecations: "6.0" } },
  sourcemap: true,
  clean: true,
  target: "node20",
  platform: "node",
});
