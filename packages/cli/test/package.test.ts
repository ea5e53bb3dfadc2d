import { cpSync, mkdtempSync, readFileSync, rmSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { extract } from "tar";
import { describe, expect, it } from "vitest";
import { flyteidl, messageClass, messageTypeForFile, toProtoJson } from "@flytekit-ts/idl";
import { REGISTRATION_CONTEXT_ENV, decodeRegistrationContext, mapTaskName } from "@flytekit-ts/compiler";
import { EXIT, main } from "../src/index.js";
import cliPackage from "../package.json" with { type: "json" };

const cliVersion = cliPackage.version;

const examples = resolve(dirname(fileURLToPath(import.meta.url)), "../../../examples/workflows");
const golden = resolve(examples, "../../../shared/golden/flytekit/static_wf/package");

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

// Heavy tests (modules built with esbuild, imported and compiled) get a generous timeout: they must pass on a loaded 2-core machine.
describe("flyte-ts package", { timeout: 60_000 }, () => {
  it("writes pyflyte's bundle layout from a TypeScript module's exports", async () => {
    const dir = mkdtempSync(join(tmpdir(), "flyte-ts-cli-"));
    const output = join(dir, "bundle.tgz");
    const { io, out, err } = capture();
    const cwd = process.cwd();
    process.chdir(examples);
    try {
      const code = await main(["package", "src/static-wf.ts", "--image", "ghcr.io/flyteorg/flytekit:py3.11-1.16.24", "-o", output], io);
      expect(err).toEqual([]);
      expect(code).toBe(EXIT.ok);
    } finally {
      process.chdir(cwd);
    }
    expect(out.at(-1)).toMatch(/^wrote 5 entities to .*bundle\.tgz \(content version [\w-]{22}\)$/);

    const unpacked = join(dir, "out");
    (await import("node:fs")).mkdirSync(unpacked);
    await extract({ file: output, cwd: unpacked });
    const files = readdirSync(unpacked)
      .filter((f) => f.endsWith(".pb"))
      .sort();
    expect(files).toEqual(readdirSync(golden).filter((f) => f.endsWith(".pb")).sort());

    // The task's container runs flyte-ts execute with the module path and export name the loader needs.
    const spec = flyteidl.admin.TaskSpec.decode(readFileSync(join(unpacked, "0_examples.static_wf.t1_1.pb")));
    expect(spec.template?.container?.args?.slice(-4)).toEqual(["module", "flyte-ts-build/src/static-wf.mjs", "name", "t1"]);
    // The workflow equals flytekit's.
    const type = messageTypeForFile("3_examples.static_wf.static_wf_2.pb") as string;
    const cls = messageClass(type);
    expect(toProtoJson(cls, cls.decode(readFileSync(join(unpacked, "3_examples.static_wf.static_wf_2.pb"))))).toEqual(
      toProtoJson(cls, cls.decode(readFileSync(join(golden, "3_examples.static_wf.static_wf_2.pb")))),
    );
  });

  it("packages a workflow that calls Python tasks registered elsewhere (references typed by their declarations)", async () => {
    const output = join(mkdtempSync(join(tmpdir(), "flyte-ts-cli-")), "bundle.tgz");
    const { io, out, err } = capture();
    const cwd = process.cwd();
    process.chdir(examples);
    try {
      // Before, the pre-registration check could not see the referenced Python tasks and refused with
      // TaskReferenceNotFound, though FlyteAdmin accepts the workflow once they are registered.
      expect(await main(["package", "src/mixed-language.ts", "-o", output], io)).toBe(EXIT.ok);
      expect(err).toEqual([]);
    } finally {
      process.chdir(cwd);
    }
    expect(out.at(-1)).toMatch(/^wrote \d+ entities to /);
    const names: string[] = [];
    await extract({ file: output, cwd: dirname(output), onentry: (e) => names.push(e.path) });
    expect(names.filter((n) => n.endsWith(".pb")).sort()).toEqual([
      "0_examples.mixed_language.grade_1.pb",
      "1_examples.mixed_language.parse_scores_1.pb",
      "2_examples.mixed_language.mixed_wf_2.pb",
      "3_examples.mixed_language.mixed_wf_3.pb",
    ]);
  });

  it("says which called entity is not exported", async () => {
    const { code, err } = await inFixtures(["package", "hidden.ts", "--image", "img", "-o", join(tmp(), "b.tgz")]);
    expect(code).toBe(EXIT.failure);
    expect(err.join("\n")).toMatch(/flows\.hidden is called but not exported from any of the given modules/);
  });

  it("uses this release's runtime image when --image is not given", async () => {
    const output = join(tmp(), "b.tgz");
    const { code, err } = await inFixtures(["package", "flows/tasks.ts", "-o", output]);
    expect(err).toEqual([]);
    expect(code).toBe(EXIT.ok);
    const files = await unpack(output);
    const spec = flyteidl.admin.TaskSpec.decode(files.get("0_flows.tasks.double_1.pb") as Buffer);
    expect(spec.template?.container?.image).toBe(`ghcr.io/flytekit-ts/runtime:${cliVersion}`);
  });

  it("names entities <module path>.<export> unless they name themselves, the same in the pod", async () => {
    const output = join(tmp(), "b.tgz");
    // index.ts re-exports double from tasks.ts: it is named by the module that defines it.
    const { code, err } = await inFixtures(["package", "flows/index.ts", "flows/tasks.ts", "-o", output]);
    expect(err).toEqual([]);
    expect(code).toBe(EXIT.ok);
    const files = await unpack(output);
    const names = [...files.keys()].filter((f) => f.endsWith(".pb")).map((f) => f.replace(/^\d+_/, ""));
    expect(names.sort()).toEqual(
      [
        "custom.named_1.pb",
        "flows.fan_1.pb",
        "flows.tasks.double_1.pb",
        `${mapTaskName("flows.tasks.double", [], undefined, undefined, 1)}_1.pb`,
        "flows.wf_2.pb",
        "flows.wf_3.pb",
      ].sort(),
    );
    const fan = flyteidl.admin.TaskSpec.decode(files.get([...files.keys()].find((f) => f.endsWith("_flows.fan_1.pb")) as string) as Buffer);
    expect(fan.template?.container?.args?.slice(-4)).toEqual(["module", "flyte-ts-build/flows/index.mjs", "name", "fan"]);
    // The dynamic's registration context maps each registered name to the built module that exports it.
    const context = decodeRegistrationContext(fan.template?.container?.env?.find((e) => e.key === REGISTRATION_CONTEXT_ENV)?.value as string);
    expect(context.locations?.["flows.tasks.double"]).toEqual({ module: "flyte-ts-build/flows/tasks.mjs", name: "double" });
  });

  it("runs unnamed entities locally, named as for packaging", async () => {
    const { code, out, err } = await inFixtures(["run", "flows/index.ts", "wf", "--a", "3", "-q"]);
    expect(err.filter((l) => l.startsWith("error"))).toEqual([]);
    expect(code).toBe(EXIT.ok);
    expect(JSON.parse(out.join("\n"))).toEqual({ o0: 7, o1: [6, 6] });
  });

  it("finds a task in the module that defines it when the given module only imports it, and registers only what the given module needs", async () => {
    const output = join(tmp(), "b.tgz");
    const { code, err } = await inFixtures(["package", "imported/wf.ts", "-o", output]);
    expect(err).toEqual([]);
    expect(code).toBe(EXIT.ok);
    const files = await unpack(output);
    const names = [...files.keys()].filter((f) => f.endsWith(".pb")).map((f) => f.replace(/^\d+_/, ""));
    expect(names.sort()).toEqual(["imported.tasks.inc_1.pb", "imported.wf.wf_2.pb", "imported.wf.wf_3.pb"]);
    const inc = flyteidl.admin.TaskSpec.decode(files.get([...files.keys()].find((f) => f.endsWith("_imported.tasks.inc_1.pb")) as string) as Buffer);
    expect(inc.template?.container?.args?.slice(-4)).toEqual(["module", "flyte-ts-build/imported/tasks.mjs", "name", "inc"]);
    // flyte-ts run takes the same path: the workflow runs from its own module.
    const run = await inFixtures(["run", "imported/wf.ts", "wf", "--a", "1", "-q"]);
    expect(run.err).toEqual([]);
    expect(JSON.parse(run.out.join("\n"))).toEqual({ o0: 3 });
  });

  it("refuses two entities with one name, naming both exports", async () => {
    const { code, err } = await inFixtures(["package", "dup.ts", "-o", join(tmp(), "b.tgz")]);
    expect(code).toBe(EXIT.failure);
    expect(err.join("\n")).toMatch(/two entities are named "dup\.same": export one of flyte-ts-build\/dup\.mjs and export two of flyte-ts-build\/dup\.mjs/);
  });

  it("writes the same bytes for the same sources", async () => {
    const a = join(tmp(), "a.tgz");
    const b = join(tmp(), "b.tgz");
    expect((await inFixtures(["package", "flows/index.ts", "flows/tasks.ts", "-o", a])).code).toBe(EXIT.ok);
    expect((await inFixtures(["package", "flows/index.ts", "flows/tasks.ts", "-o", b])).code).toBe(EXIT.ok);
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
    // The shipped code is JavaScript with linked source maps pointing at the TypeScript sources.
    const files = await unpack(a);
    expect([...files.keys()].filter((f) => /\.[cm]?tsx?$/.test(f))).toEqual([]);
    const map = JSON.parse((files.get("flyte-ts-build/flows/index.mjs.map") as Buffer).toString("utf8")) as { sources: string[] };
    expect(map.sources).toContain("../../flows/index.ts");
    expect((files.get("flyte-ts-build/flows/index.mjs") as Buffer).toString("utf8")).toMatch(/\/\/# sourceMappingURL=index\.mjs\.map\s*$/);
  });

  it("fails clearly on a module that cannot be compiled", async () => {
    const { code, err } = await inFixtures(["package", "missing.ts", "-o", join(tmp(), "b.tgz")]);
    expect(code).toBe(EXIT.failure);
    expect(err.join("\n")).toMatch(/compiling missing\.ts to JavaScript failed:\n.*missing\.ts/);
  });

  it("refuses a module outside the source root", async () => {
    const { code, err } = await inFixtures(["package", "/nonexistent/flows.js", "-o", join(tmp(), "b.tgz")]);
    expect(code).toBe(EXIT.usage);
    expect(err.join("\n")).toMatch(/\/nonexistent\/flows\.js is outside the source root/);
  });
});

const fixtures = resolve(dirname(fileURLToPath(import.meta.url)), "fixtures");
const tmp = () => mkdtempSync(join(tmpdir(), "flyte-ts-cli-"));

/**
 * Runs flyte-ts in a fresh copy of the fixtures (the source root), beside them so that their imports
 * resolve: each build is imported from its own path, never from an earlier test's module cache.
 */
async function inFixtures(argv: string[]) {
  const { io, out, err } = capture();
  const cwd = process.cwd();
  const copy = mkdtempSync(join(dirname(fixtures), ".work-"));
  cpSync(fixtures, copy, { recursive: true });
  process.chdir(copy);
  try {
    return { code: await main(argv, io), out, err };
  } finally {
    process.chdir(cwd);
    rmSync(copy, { recursive: true, force: true });
  }
}

async function unpack(bundle: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  const { list } = await import("tar");
  await list({
    file: bundle,
    onReadEntry: (entry) => {
      const chunks: Buffer[] = [];
      entry.on("data", (c: Buffer) => chunks.push(c));
      entry.on("end", () => files.set(entry.path, Buffer.concat(chunks)));
    },
  });
  return files;
}

describe("flyte-ts compile", { timeout: 60_000 }, () => {
  it("compiles a bundle's workflows with FlytePropeller's compiler", async () => {
    const golden = resolve(dirname(fileURLToPath(import.meta.url)), "../../../../shared/golden/flytekit");
    const { io, out, err } = capture();
    expect(await main(["compile", join(golden, "static_wf/package")], io)).toBe(EXIT.ok);
    expect(err).toEqual([]);
    expect(out).toEqual(["✓ examples.static_wf.static_wf: 3 nodes, 3 tasks, 0 sub-workflows"]);
    const json = capture();
    expect(await main(["compile", join(golden, "static_wf/package/static_wf.tgz"), "--json"], json.io)).toBe(EXIT.ok);
    const closure = JSON.parse(json.out.join("\n")) as { primary: { connections: { upstream: Record<string, { ids: string[] }> } } };
    expect(closure.primary.connections.upstream["n2"]?.ids.sort()).toEqual(["n0", "n1"]);
  });

  it("reports what a cluster would reject, naming the node", async () => {
    const golden = resolve(dirname(fileURLToPath(import.meta.url)), "../../../../shared/golden/flytekit");
    const { io, err } = capture();
    // Without its tasks the workflow cannot compile: FlyteAdmin would say the same.
    expect(await main(["compile", join(golden, "static_wf/package/3_examples.static_wf.static_wf_2.pb")], io)).toBe(EXIT.failure);
    expect(err.join("\n")).toMatch(/TaskReferenceNotFound|not found/);
  });
});
