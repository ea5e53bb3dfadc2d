import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { extract } from "tar";
import { describe, expect, it } from "vitest";
import { flyteidl, messageClass, messageTypeForFile, toProtoJson } from "@flytekit-ts/idl";
import { EXIT, main } from "../src/index.js";

const examples = resolve(dirname(fileURLToPath(import.meta.url)), "../../../examples/workflows");
const golden = resolve(examples, "../../../shared/golden/flytekit/static_wf/package");

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

// Heavy tests (modules imported and compiled, runs in process or in child processes) get a generous timeout: they must pass on a loaded 2-core machine.
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
    const files = readdirSync(unpacked).sort();
    expect(files).toEqual(readdirSync(golden).filter((f) => f.endsWith(".pb")).sort());

    // The task's container runs flyte-ts execute with the module path and export name the loader needs.
    const spec = flyteidl.admin.TaskSpec.decode(readFileSync(join(unpacked, "0_examples.static_wf.t1_1.pb")));
    expect(spec.template?.container?.args?.slice(-4)).toEqual(["module", "src/static-wf.ts", "name", "t1"]);
    // The workflow equals flytekit's.
    const type = messageTypeForFile("3_examples.static_wf.static_wf_2.pb") as string;
    const cls = messageClass(type);
    expect(toProtoJson(cls, cls.decode(readFileSync(join(unpacked, "3_examples.static_wf.static_wf_2.pb"))))).toEqual(
      toProtoJson(cls, cls.decode(readFileSync(join(golden, "3_examples.static_wf.static_wf_2.pb")))),
    );
  });

  it("says which called entity is not exported", async () => {
    const dir = mkdtempSync(join(tmpdir(), "flyte-ts-cli-"));
    const module = join(dir, "flows.mjs");
    const compiler = resolve(dirname(fileURLToPath(import.meta.url)), "../../compiler/src/index.ts");
    const types = resolve(dirname(fileURLToPath(import.meta.url)), "../../types/src/index.ts");
    writeFileSync(
      module,
      `import { task, workflow } from ${JSON.stringify(compiler)};\nimport { t } from ${JSON.stringify(types)};\n` +
        `const hidden = task({ name: "flows.hidden", inputs: {}, outputs: { o0: t.int() } }, () => ({ o0: 1 }));\n` +
        `export const wf = workflow({ name: "flows.wf", outputs: { o0: t.int() } }, () => ({ o0: hidden({}).o0 }));\n`,
    );
    const { io, err } = capture();
    const code = await main(["package", module, "--image", "img", "-o", join(dir, "b.tgz")], io);
    expect(code).toBe(EXIT.failure);
    expect(err.join("\n")).toMatch(/flows\.hidden is called but not exported from any of the given modules/);
  });

  it("exits with the usage code when a required option is missing", async () => {
    const { io, err } = capture();
    expect(await main(["package", "x.ts"], io)).toBe(EXIT.usage);
    expect(err.join("\n")).toMatch(/required option '--image <image>' not specified/);
  });

  it("fails clearly on a module that cannot be loaded", async () => {
    const { io, err } = capture();
    expect(await main(["package", "/nonexistent/flows.js", "--image", "img"], io)).toBe(EXIT.failure);
    expect(err.join("\n")).toMatch(/cannot load \/nonexistent\/flows\.js/);
  });
});

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
