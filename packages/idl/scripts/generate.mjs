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
/**
 * A table of descriptor pieces as JavaScript source: each entry's fields as they are, but its `json` as a
 * function returning the JSON text. V8 compiles a function (and so allocates its string) only when it is
 * first called, so the text of a piece nobody uses stays in the source and is never copied into memory.
 */
function lazyJsonTable(table) {
  const entries = Object.entries(table).map(([key, { json, ...fields }]) => {
    const rest = Object.entries(fields).map(([name, value]) => `${name}: ${JSON.stringify(value)}, `).join("");
    return `  ${JSON.stringify(key)}: { ${rest}json: () => ${JSON.stringify(json)} },`;
  });
  return `{\n${entries.join("\n")}\n}`;
}

/** The namespaces whose types are built one by one, on first use. */
const CHUNKED_NAMESPACES = ["flyteidl.core", "google.protobuf"];

/**
 * The messages a task pod's entrypoint reads and writes on every run, and the codecs it runs for them: it
 * decodes inputs.pb and encodes outputs.pb (LiteralMap), or error.pb (ErrorDocument). Every message type
 * reachable from these gets the listed codecs and its constructor, generated here rather than in every
 * process (decision 0090). futures.pb (DynamicJobSpec) is left out: its 98 types made the module 60 KB
 * larger and every task's start slower, for a gain near a large dynamic's run-to-run spread.
 */
const PRECOMPILED = [
  { root: "flyteidl.core.LiteralMap", codecs: ["encode", "decode"] },
  { root: "flyteidl.core.ErrorDocument", codecs: ["encode"] },
];

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
  const { skeleton, chunks } = splitTypes(base, descriptor, packages);
  const template = readFileSync(join(here, "runtime-template.js"), "utf8");
  const js = template
    .replace("__FLYTEIDL_VERSION__", flyteidlVersion)
    .replace("__PROTOBUFJS_VERSION__", protobufjsVersion)
    .replace("__DESCRIPTOR_STRING__", () => JSON.stringify(JSON.stringify(skeleton)))
    .replace("__TYPE_CHUNKS__", () => lazyJsonTable(chunks))
    .replace("__LAZY_PACKAGES__", () => lazyJsonTable(packages))
    .replace("__PRECOMPILED_CODECS__", () => precompiledCodecs(descriptor));

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
 * Splits flyteidl.core and google.protobuf into one chunk per top-level type (its nested types
 * included), each listing the chunks its fields refer to, so that a process builds only the types it
 * touches and what they need: a task that reads and writes literals builds a third of core. Lazy
 * packages list the chunks they refer to as well (`baseDeps`). References are found by resolving the
 * whole descriptor with protobufjs, exactly as it resolves them at run time.
 */
function splitTypes(base, descriptor, packages) {
  const protobuf = require("protobufjs");
  const full = protobuf.Root.fromJSON(descriptor);
  const skeleton = structuredClone(base);
  const chunks = {};
  const chunkOf = (reflected) => {
    for (let t = reflected; t && t.parent; t = t.parent) {
      const ns = t.parent.fullName.slice(1);
      if (CHUNKED_NAMESPACES.includes(ns)) return `${ns}.${t.name}`;
    }
    return undefined;
  };
  const referenced = (reflected, into) => {
    if (reflected instanceof protobuf.Type) {
      for (const field of reflected.fieldsArray) {
        field.resolve();
        const key = field.resolvedType && chunkOf(field.resolvedType);
        if (key) into.add(key);
      }
    }
    for (const child of reflected.nestedArray ?? []) referenced(child, into);
    return into;
  };
  for (const ns of CHUNKED_NAMESPACES) {
    const holder = ns.split(".").reduce((node, part) => node.nested[part], skeleton);
    for (const [name, json] of Object.entries(holder.nested)) {
      const key = `${ns}.${name}`;
      const deps = [...referenced(full.lookup(key), new Set())].filter((d) => d !== key).sort();
      chunks[key] = { json: JSON.stringify(json), deps };
      delete holder.nested[name];
    }
  }
  for (const [name, entry] of Object.entries(packages)) {
    const holder = full.lookup(entry.parent ? `${entry.parent}.${name}` : name);
    entry.baseDeps = holder ? [...referenced(holder, new Set())].sort() : [];
  }
  return { skeleton, chunks };
}

/**
 * The codec sources protobufjs' own generators (`encoder`, `decoder`, `Type.generateConstructor`) make at
 * run time for the PRECOMPILED types, resolved from the whole descriptor exactly as the runtime resolves
 * them, each behind a function taking the scope protobufjs would hand the generated code, in its order.
 * The runtime uses one only for a type of its own root; `test/precompiled.test.ts` asserts each is what
 * protobufjs generates for the type as built at run time, and that it reads and writes the same bytes.
 */
function precompiledCodecs(descriptor) {
  const protobuf = require("protobufjs");
  const full = protobuf.Root.fromJSON(descriptor);
  full.resolveAll();
  const wanted = new Map();
  const visit = (type, codecs) => {
    const entry = wanted.get(type) ?? new Set();
    const before = entry.size;
    for (const codec of codecs) entry.add(codec);
    if (wanted.has(type) && entry.size === before) return;
    wanted.set(type, entry);
    for (const field of type.fieldsArray) {
      if (field.resolve().resolvedType instanceof protobuf.Type) visit(field.resolvedType, codecs);
    }
  };
  for (const { root, codecs } of PRECOMPILED) visit(full.lookupType(root), codecs);
  const scopes = { encode: "Writer, types, util", decode: "Reader, types, util, C" };
  const generators = { encode: protobuf.encoder, decode: protobuf.decoder };
  const entries = [...wanted]
    .map(([type, codecs]) => [type.fullName.slice(1), type, codecs])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, type, codecs]) => {
      // Plain function expressions, so that V8 compiles a body only when its type is first used (a
      // parenthesised one would be compiled, and kept in the compile cache, for every import).
      const members = [`  ctor: function () { return ${protobuf.Type.generateConstructor(type).toString()}; },`];
      for (const codec of ["encode", "decode"].filter((c) => codecs.has(c))) {
        members.push(`  ${codec}: function (${scopes[codec]}) { return ${generators[codec](type).toString()}; },`);
      }
      return `${JSON.stringify(name)}: {\n${members.join("\n")}\n},`;
    });
  return `{\n${entries.join("\n")}\n}`;
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
        "/** Makes sure the type or package holding a fully qualified name is built, e.g. before `root.lookup`. */\n" +
        "export declare function ensureLoadedFor(fullName: string): void;\n" +
        "/** Whether a message that may hold a `google.protobuf.Any` has been built. */\n" +
        "export declare function anyTypeBuilt(): boolean;\n" +
        "/** Builds what every built type refers to, transitively (before resolving the whole tree). */\n" +
        "export declare function closeBuiltTypes(): void;\n" +
        "/** Builds every type and package. */\n" +
        "export declare function loadAllPackages(): void;\n" +
        "/** Codecs generated ahead of time for the types a task pod reads and writes (internal; the runtime installs them). */\n" +
        "export declare const precompiledCodecs: Readonly<Record<string, {\n" +
        "    ctor(): new (properties?: object) => object;\n" +
        "    encode?(Writer: typeof $protobuf.Writer, types: readonly unknown[], util: typeof $protobuf.util): (message: object, writer?: $protobuf.Writer, depth?: number) => $protobuf.Writer;\n" +
        "    decode?(Reader: typeof $protobuf.Reader, types: readonly unknown[], util: typeof $protobuf.util, C: new () => object): (reader: $protobuf.Reader | Uint8Array, length?: number) => object;\n" +
        "}>>;\n",
    );
  if (body.includes("export default")) throw new Error("unexpected default export in pbjs declarations");
  return header + body;
}
