import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  // tsup sets baseUrl for declaration bundling, which TypeScript 6 flags as deprecated.
  dts: { compilerOptions: { ignoreDeprecations: "6.0" } },
  sourcemap: true,
  clean: true,
  target: "node20",
  platform: "node",
  // protobufjs is ~40 small CommonJS modules; loading them one by one (and lexing them for ESM) cost
  // a task process more time than everything else it imports. Bundled, they are one parse.
  noExternal: ["protobufjs", "long"],
});
