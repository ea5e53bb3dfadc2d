#!/usr/bin/env node
// Generates src/generated/flyteidl.{js,d.ts} from the .proto files shipped in @flyteorg/flyteidl.
//
//   node scripts/generate.mjs          write the files
//   node scripts/generate.mjs --check  regenerate in memory and fail if the committed files differ
//
// The output is committed so that tests and type checks run without a generation step; CI runs
// --check so that it never drifts from the pinned protos or generator.
import { createRequire } from "node:module";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const pkgRoot = resolve(here, "..");
const outDir = join(pkgRoot, "src", "generated");
const check = process.argv.includes("--check");

const flyteidlPkg = require.resolve("@flyteorg/flyteidl/package.json");
const flyteidlVersion = JSON.parse(readFileSync(flyteidlPkg, "utf8")).version;
const protobufjsVersion = require("protobufjs/package.json").version;
const protoRoot = join(dirname(flyteidlPkg), "protos");
const stubRoot = join(pkgRoot, "proto-stubs");
const { pbjs } = require("protobufjs-cli");

function listProtos(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return listProtos(path);
      return name.endsWith(".proto") ? [relative(protoRoot, path)] : [];
    });
}

async function runPbjs(args) {
  // pbjs resolves imports relative to the working directory and the -p paths.
  const cwd = process.cwd();
  process.chdir(protoRoot);
  try {
    return await promisify(pbjs.main)(["-p", ".", "-p", stubRoot, ...args]);
  } finally {
    process.chdir(cwd);
  }
}

/**
 * Every Flyte field's protobufjs property name must be its proto3 JSON name, so that objects, JSON and
 * the declarations agree. (protobufjs' bundled google.protobuf types keep snake_case; they are exempt.)
 */
function checkFieldNames(node, path = "") {
  for (const [name, child] of Object.entries(node.nested ?? {})) {
    const full = path ? `${path}.${name}` : name;
    if (full === "google") continue;
    for (const [fieldName, field] of Object.entries(child.fields ?? {})) {
      const original = field.protoName ?? fieldName;
      const jsonName = original.replace(/_+([a-z0-9])/g, (_, c) => c.toUpperCase());
      if (jsonName !== fieldName) {
        throw new Error(`${full}.${original}: protobufjs names it ${fieldName}, proto3 JSON ${jsonName}`);
      }
    }
    checkFieldNames(child, full);
  }
}

const protos = listProtos(join(protoRoot, "flyteidl"));
const scratch = mkdtempSync(join(tmpdir(), "flyteidl-gen-"));
try {
  const descriptorJson = await runPbjs(["-t", "json", ...protos]);
  const descriptor = JSON.parse(descriptorJson);
  checkFieldNames(descriptor);

  const { base, packages } = splitDescriptor(descriptor);
  const template = readFileSync(join(here, "runtime-template.js"), "utf8");
  const js = template
    .replace("__FLYTEIDL_VERSION__", flyteidlVersion)
    .replace("__PROTOBUFJS_VERSION__", protobufjsVersion)
    .replace("__DESCRIPTOR_STRING__", () => JSON.stringify(JSON.stringify(base)))
    .replace("__LAZY_PACKAGES__", () => JSON.stringify(packages, null, 2));

  const moduleOut = join(scratch, "flyteidl.js");
  await runPbjs(["-t", "json-module", "-w", "esm", "--dts", "-o", moduleOut, ...protos]);
  const dts = postProcessDeclarations(readFileSync(join(scratch, "flyteidl.d.ts"), "utf8"));

  const outputs = { "flyteidl.js": js, "flyteidl.d.ts": dts };
  if (check) {
    const drift = Object.entries(outputs).filter(([name, text]) => {
      try {
        return readFileSync(join(outDir, name), "utf8") !== text;
      } catch {
        return true;
      }
    });
    if (drift.length > 0) {
      console.error(
        `generated IDL is out of date: ${drift.map(([n]) => `src/generated/${n}`).join(", ")}.\n` +
          "Run `pnpm --filter @flytekit-ts/idl generate` and commit the result.",
      );
      process.exit(1);
    }
    console.log(`generated IDL is up to date (flyteidl ${flyteidlVersion}, ${protos.length} protos)`);
  } else {
    for (const [name, text] of Object.entries(outputs)) writeFileSync(join(outDir, name), text);
    console.log(`wrote src/generated/ from flyteidl ${flyteidlVersion} (${protos.length} protos)`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

/**
 * Splits the descriptor so that importing the package builds only what every task process needs —
 * google.protobuf and flyteidl.core — and each other package (admin, service, event, plugins, …) on
 * first use, after the packages it refers to. Each entry: where it attaches, its JSON, its dependencies.
 */
function splitDescriptor(descriptor) {
  const base = structuredClone(descriptor);
  const flyteidl = base.nested.flyteidl.nested;
  const packages = {};
  const candidates = [
    ...Object.keys(flyteidl).filter((k) => k !== "core").map((k) => ({ name: k, parent: "flyteidl", json: flyteidl[k] })),
    ...Object.keys(base.nested).filter((k) => !["flyteidl", "google"].includes(k)).map((k) => ({ name: k, parent: "", json: base.nested[k] })),
  ];
  const names = candidates.map((c) => c.name);
  for (const { name, parent, json } of candidates) {
    const text = JSON.stringify(json);
    const deps = names.filter((other) => other !== name && new RegExp(`"\\.?(flyteidl\\.)?${other}\\.[A-Z]`).test(text));
    packages[name] = { parent, deps, json: JSON.stringify(json) };
    if (parent === "flyteidl") delete flyteidl[name];
    else delete base.nested[name];
  }
  return { base, packages };
}

/**
 * pbjs declares a default export of the root; ours exports `root` by name instead. Loose `any`
 * object types become `unknown` so that strict code must narrow what it reads.
 */
function postProcessDeclarations(text) {
  const header =
    "// GENERATED by scripts/generate.mjs (pbjs json-module declarations) — do not edit by hand.\n" +
    `// flyteidl ${flyteidlVersion}, protobufjs ${protobufjsVersion}.\n`;
  const body = text
    .replace('import Long = require("long");', 'import type Long from "long";')
    .replaceAll("{ [k: string]: any }", "{ [k: string]: unknown }")
    .replace(
      /\/\*\* Reflected root namespace\. \*\/\ndeclare const _default: \$protobuf\.Root;\nexport default _default;\n?$/,
      "/** The reflected root of every Flyte IDL message, enum and service. */\nexport declare const root: $protobuf.Root;\n" +
        "/** Builds a lazily loaded package (admin, service, event, plugins, cacheservice, datacatalog) and its dependencies. */\n" +
        "export declare function ensurePackage(name: string): void;\n" +
        "/** Makes sure the package holding a fully qualified name is built, e.g. before `root.lookup`. */\n" +
        "export declare function ensureLoadedFor(fullName: string): void;\n" +
        "/** Builds every package. */\n" +
        "export declare function loadAllPackages(): void;\n",
    );
  if (body.includes("export default")) throw new Error("unexpected default export in pbjs declarations");
  return header + body;
}
