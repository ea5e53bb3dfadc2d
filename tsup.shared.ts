import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { defineConfig, type Format, type Options } from "tsup";

type EsbuildPlugin = NonNullable<Options["esbuildPlugins"]>[number];
const nodeRequire = createRequire(import.meta.url);

/** The built-in modules the SDK imports on a task process's path (fs's ES facade alone loads Node's streams). */
const BUILTINS_WITHOUT_FACADE = ["fs", "fs/promises", "os", "path", "url", "async_hooks", "module"];

/**
 * In the ES module builds, these built-ins are read with `process.getBuiltinModule` (Node 20.16+) instead
 * of `import … from "node:fs"`: Node makes an ES module facade of a built-in by reading every one of its
 * exports, and for `fs` that runs lazy getters (`ReadStream` & co.) that load Node's stream modules. Each
 * import becomes a generated module exporting only the names the package uses (the rest are dropped
 * as unused), read once when the module is evaluated, as an ES import's bindings are. Measured on a
 * trivial task in the runtime image (Node 24): ~1.5 ms and 0.2 MB less at start (docs/decisions/0096).
 */
export const builtinsWithoutEsmFacade: EsbuildPlugin = {
  name: "builtins-without-esm-facade",
  setup(build) {
    if (build.initialOptions.format !== "esm") return;
    const filter = new RegExp(`^(node:)?(${BUILTINS_WITHOUT_FACADE.map((m) => m.replace("/", "\\/")).join("|")})$`);
    // Only ES imports: a bundled CommonJS dependency's require("fs") would get a namespace object reading
    // every export (deprecated ones warn), which is what this avoids.
    build.onResolve({ filter }, (args) => (args.kind === "import-statement" ? { path: args.path.replace(/^node:/, ""), namespace: "node-builtin" } : undefined));
    build.onLoad({ filter: /.*/, namespace: "node-builtin" }, (args) => {
      const names = Object.keys(nodeRequire(`node:${args.path}`) as object).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name) && name !== "default");
      const contents = [
        // (Local names no built-in exports, so that they cannot clash with the exports below.)
        `const __builtinModule = process.getBuiltinModule(${JSON.stringify(`node:${args.path}`)});`,
        "function __builtinExport(name) { return __builtinModule[name]; }",
        "export default __builtinModule;",
        ...names.filter((name) => !name.startsWith("__builtin")).map((name) => `export const ${name} = /* @__PURE__ */ __builtinExport(${JSON.stringify(name)});`),
      ].join("\n");
      return { contents, loader: "js" };
    });
  },
};

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
    // Imports keep their `node:` prefix (Node 20 needs no less), and tsup's plugin that strips it would
    // also mark them external before builtinsWithoutEsmFacade sees them.
    removeNodeProtocol: false,
    ...overrides,
    esbuildPlugins: [builtinsWithoutEsmFacade, ...(overrides.esbuildPlugins ?? [])],
  });
}
