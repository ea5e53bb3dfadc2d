import { defineConfig, type Options } from "tsup";

/**
 * How every published package is built: ESM and CommonJS for Node 20 with bundled declarations.
 * A package passes only what differs (extra entries, formats, bundled dependencies).
 */
export function packageBuild(overrides: Options = {}) {
  return defineConfig({
    entry: ["src/index.ts"],
    format: ["esm", "cjs"],
    // tsup sets baseUrl for declaration bundling, which TypeScript 6 flags as deprecated.
    dts: { compilerOptions: { ignoreDeprecations: "6.0" } },
    sourcemap: true,
    // Every task pod parses these bundles at start-up, and their size is memory: whitespace and syntax
    // are minified (a tenth of what a trivial task adds to Node's own memory), names are kept so that
    // stack traces stay readable, and the source maps map them back to the TypeScript.
    minifyWhitespace: true,
    minifySyntax: true,
    clean: true,
    target: "node20",
    platform: "node",
    ...overrides,
  });
}
