import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { defineConfig, type Format, type Options } from "tsup";

/**
 * Source maps name bundled dependencies by where pnpm keeps them in this workspace
 * (`../../../node_modules/.pnpm/long@5.3.2/node_modules/long/index.js`), a path that exists nowhere
 * once published. Rewrites them relative to the package (`../node_modules/long/index.js`), as if the
 * dependency were installed beside it; the code itself stays in `sourcesContent`.
 */
export function packageRelativeSourceMaps(formats: readonly Format[], outDir = "dist"): void {
  // Only this build's maps: a package may run two builds side by side into one directory (cli).
  const suffixes = formats.map((f) => (f === "cjs" ? ".cjs.map" : ".js.map"));
  for (const file of readdirSync(outDir).filter((f) => suffixes.some((s) => f.endsWith(s)))) {
    const path = join(outDir, file);
    const text = readFileSync(path, "utf8");
    const map = JSON.parse(text) as { sources: string[] };
    const sources = map.sources.map((s) => s.replace(/^(?:\.\.\/)+node_modules\/\.pnpm\/[^/]+\/node_modules\//, "../node_modules/"));
    if (sources.some((s, i) => s !== map.sources[i])) writeFileSync(path, JSON.stringify({ ...map, sources }));
  }
}

/**
 * How every published package is built: ESM and CommonJS for Node 20 with bundled declarations.
 * A package passes only what differs (extra entries, formats, bundled dependencies).
 */
export function packageBuild(overrides: Options = {}) {
  const formats = [overrides.format ?? ["esm", "cjs"]].flat();
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
    onSuccess: async () => packageRelativeSourceMaps(formats),
    ...overrides,
  });
}
