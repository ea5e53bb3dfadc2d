import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { compileDynamicJobSpec, type AnyEntity } from "@flytekit-ts/compiler";
import { flyteidl } from "@flytekit-ts/idl";
import { findEntities, loadEntity, runLocallyWithLiterals, type NodeEvent } from "@flytekit-ts/runtime";
import { createAdminClient, FlyteRemote } from "@flytekit-ts/remote";
import { EXIT, compileModules, main, parseFastExecuteArgs } from "../src/index.js";
import { fileBucket, startFakeAdmin, type FakeAdmin, type FakeNode, type FakeRun, type FakeRunResult } from "../../remote/test/support/fake-admin.js";

const here = dirname(fileURLToPath(import.meta.url));
const examples = resolve(here, "../../../examples/workflows");
const IMAGE = "ghcr.io/example/flytekit-ts-examples:1";

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

/**
 * Plays FlytePropeller and the task pods for the fake admin: a launched task runs its *registered*
 * container args in this process (`flyte-ts fast-execute …` or `flyte-ts execute …`, through the CLI's
 * own `main`, with the template's env) — a dynamic's futures.pb is compiled as propeller does and one
 * of its children is run from its own args too; workflows run on the local executor.
 */
interface ContainerRun {
  file: "outputs.pb" | "futures.pb" | "error.pb";
  bytes: Buffer;
  stderr: string[];
}
const containerRuns: { args: string[]; file: string }[] = [];
const childArgs: string[][] = [];

async function runContainer(template: flyteidl.core.ITaskTemplate, inputs: flyteidl.core.ILiteralMap): Promise<ContainerRun> {
  const dir = mkdtempSync(join(tmpdir(), "pod-"));
  writeFileSync(join(dir, "inputs.pb"), flyteidl.core.LiteralMap.encode(inputs as flyteidl.core.LiteralMap).finish());
  const vars: Record<string, string> = {
    "{{.input}}": join(dir, "inputs.pb"),
    "{{.outputPrefix}}": join(dir, "out"),
    "{{.rawOutputDataPrefix}}": join(dir, "raw"),
    "{{.checkpointOutputPrefix}}": join(dir, "ckpt"),
    "{{.prevCheckpointPrefix}}": '""',
  };
  const args = (template.container?.args ?? []).map((a) => vars[a] ?? a);
  expect(args[0]).toBe("flyte-ts");
  const saved = { ...process.env };
  for (const kv of template.container?.env ?? []) process.env[kv.key ?? ""] = kv.value ?? "";
  const { io, err } = capture();
  try {
    expect(await main(args.slice(1), io)).toBe(EXIT.ok);
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  }
  for (const file of ["outputs.pb", "futures.pb", "error.pb"] as const) {
    if (existsSync(join(dir, "out", file))) {
      containerRuns.push({ args, file });
      return { file, bytes: readFileSync(join(dir, "out", file)), stderr: err };
    }
  }
  throw new Error(`the container wrote nothing: ${err.join("\n")}`);
}

const literalOf = (binding: flyteidl.core.IBindingData | null | undefined): flyteidl.core.ILiteral | undefined => (binding?.scalar ? { scalar: binding.scalar } : undefined);

async function propeller(run: FakeRun): Promise<FakeRunResult> {
  const events: NodeEvent[] = [];
  const nodesFrom = (prefix: string): FakeNode[] =>
    events
      .filter((e) => e.phase === "succeeded" || e.phase === "failed")
      .map((e): FakeNode => {
        const parts = e.path.split("/");
        const node: FakeNode = { nodeId: [prefix, ...parts].filter(Boolean).join("-0-"), specNodeId: parts.at(-1) ?? "", phase: e.phase === "succeeded" ? "SUCCEEDED" : "FAILED" };
        if (parts.length > 1 || prefix) node.parentId = [prefix, ...parts.slice(0, -1)].filter(Boolean).join("-0-");
        return node;
      });
  if (run.launched.kind === "task") {
    const template = run.launched.template;
    const result = await runContainer(template, run.inputs);
    if (result.file === "error.pb") {
      const error = flyteidl.core.ErrorDocument.decode(result.bytes).error;
      return { error: { code: error?.code ?? "", message: error?.message ?? "" } };
    }
    if (result.file === "outputs.pb") return { outputs: flyteidl.core.LiteralMap.decode(result.bytes), nodes: [] };
    // futures.pb: compile as propeller does, run a child from its own args, and finish the rest locally.
    const spec = flyteidl.core.DynamicJobSpec.decode(result.bytes);
    const compiled = compileDynamicJobSpec(spec, template.interface, [], { parentTask: template });
    const first = spec.nodes[0];
    const child = spec.tasks.find((t) => t.id?.name === first?.taskNode?.referenceId?.name);
    if (child && first) {
      childArgs.push(child.container?.args ?? []);
      const childInputs = Object.fromEntries((first.inputs ?? []).map((b) => [b.var, literalOf(b.binding)]));
      expect((await runContainer(child, { literals: childInputs as Record<string, flyteidl.core.Literal> })).file).toBe("outputs.pb");
    }
    const args = template.container?.args ?? [];
    const [module, name] = [args.at(-3) ?? "", args.at(-1) ?? ""];
    // The code as the pod has it: unpacked in --dest-dir when fast-registered.
    const entity = await loadEntity(module, name, args[1] === "fast-execute" ? (args[5] as string) : examples);
    const outputs = await runLocallyWithLiterals(entity, run.inputs, { onEvent: (e) => events.push(e), cacheDir: false });
    const parent = "n0";
    return { outputs, nodes: [{ nodeId: parent, phase: "SUCCEEDED", isParent: true, isDynamic: true, dynamicWorkflow: compiled }, ...nodesFrom(parent)] };
  }
  const entity = workflows.get(run.launched.launchPlan.spec?.workflowId?.name ?? "");
  if (!entity) throw new Error("unknown workflow");
  const outputs = await runLocallyWithLiterals(entity, run.inputs, { onEvent: (e) => events.push(e), cacheDir: false });
  return { outputs, nodes: nodesFrom("") };
}

let fake: FakeAdmin;
let bucket: string;
let workflows: Map<string, AnyEntity>;
let runnerOverride: ((run: FakeRun) => Promise<FakeRunResult>) | undefined;
const cwd = process.cwd();
const dests: string[] = [];

beforeAll(async () => {
  bucket = mkdtempSync(join(tmpdir(), "fake-bucket-"));
  // Native URLs are file:// URLs of the bucket directory, so the "pods" read the distribution directly.
  fake = await startFakeAdmin({ bucketDir: bucket, nativePrefix: fileBucket(bucket), runner: (run) => (runnerOverride ?? propeller)(run) });
  workflows = new Map((await findEntities(["src/static-wf.ts"], examples)).map((f) => [f.entity.name, f.entity]));
  // Imports and compiles the examples: seconds on a loaded machine.
}, 60_000);
afterAll(async () => {
  await fake.stop();
  expect(fake.server.invalid).toEqual([]);
});
beforeEach(() => {
  process.chdir(examples);
  runnerOverride = undefined;
});
afterEach(() => {
  process.chdir(cwd);
  for (const dest of dests.splice(0)) rmSync(dest, { recursive: true, force: true });
});

const connection = () => ["--endpoint", fake.address, "--insecure"];
/** `run --remote` polls every 20 ms at first (default 1 s). */
const fastPoll = ["--poll-interval", "0.02"];
const newDest = () => {
  const dest = join(examples, `.fast-dest-${Math.random().toString(36).slice(2)}`);
  dests.push(dest);
  return dest;
};

// Heavy tests (modules imported and compiled, runs in process or in child processes) get a generous timeout: they must pass on a loaded 2-core machine.
describe("flyte-ts run --remote", { timeout: 120_000 }, () => {
  it("fast-registers the seed dynamic, launches it, watches it and prints typed outputs; its children inherit the distribution", async () => {
    const dest = newDest();
    const { io, out, err } = capture();
    // The source root is src/: what is shipped, and what module paths are relative to.
    const code = await main(["run", "--remote", ...fastPoll, "--image", IMAGE, "--source-root", "src", "--dest-dir", dest, ...connection(), "src/seed.ts", "loopOverInput", "--a", "3"], io);
    expect(err.filter((l) => l.startsWith("error") || l.includes("FAILED"))).toEqual([]);
    expect(code).toBe(EXIT.ok);
    expect(JSON.parse(out.join("\n"))).toEqual({ o0: ["v0", "v1", "v2"], o1: 5 });

    // Progress: packaging, upload, a bar per entity, the phases.
    const text = err.join("\n");
    expect(text).toMatch(/^packaged \d+ files into fast[0-9a-f]{32}\.tar\.gz/m);
    expect(text).toMatch(/^uploaded fast[0-9a-f]{32}\.tar\.gz → file:\/\//m);
    expect(text).toMatch(/^\[#+\.*\] 1\/\d created +TASK flytesnacks\/development\/seed\.\S+@[\w-]{22}$/m);
    expect(text).toMatch(/^launched execution flytesnacks\/development\/f[0-9a-f]{19}$/m);
    expect(text).toMatch(/^QUEUED/m);
    expect(text).toMatch(/^RUNNING/m);
    expect(text).toMatch(/^execution .* SUCCEEDED/m);

    // The upload went through the signed URL with its MD5 and is what the task args point at.
    const [native, upload] = [...fake.uploads.entries()].at(-1) ?? [];
    expect(upload?.headers["content-md5"]).toBe(upload?.contentMd5);
    const registered = [...fake.tasks.entries()].find(([k]) => k.includes("/seed.my_dynamic_subwf/"))?.[1];
    expect(registered?.container?.args?.slice(0, 9)).toEqual(["flyte-ts", "fast-execute", "--additional-distribution", native, "--dest-dir", dest, "--", "flyte-ts", "execute"]);
    // The tasks run the JavaScript the CLI compiled, and only that is shipped.
    expect(registered?.container?.args?.slice(-4)).toEqual(["module", "flyte-ts-build/seed.mjs", "name", "loopOverInput"]);

    // The pod ran those args: it fetched and unpacked the distribution, and the dynamic gave its
    // children (written into futures.pb at run time) the same prefix; a child ran from them too.
    expect(existsSync(join(dest, "flyte-ts-build/seed.mjs"))).toBe(true);
    expect(existsSync(join(dest, "seed.ts"))).toBe(false);
    expect(childArgs.at(-1)?.slice(0, 9)).toEqual(["flyte-ts", "fast-execute", "--additional-distribution", native, "--dest-dir", dest, "--", "flyte-ts", "execute"]);
    expect(childArgs.at(-1)?.slice(-4)).toEqual(["module", "flyte-ts-build/seed.mjs", "name", "t1"]);
    expect(containerRuns.slice(-2).map((r) => r.file)).toEqual(["futures.pb", "outputs.pb"]);

    // get execution shows the outcome, the dynamic's children and its compiled sub-workflow.
    const name = /launched execution flytesnacks\/development\/(\S+)/.exec(text)?.[1] ?? "";
    const got = capture();
    expect(await main(["get", "execution", name, "--json", ...connection()], got.io)).toBe(EXIT.ok);
    const json = JSON.parse(got.out.join("\n")) as { phase: string; outputs: unknown; nodes: { nodeId: string; dynamic?: boolean; dynamicWorkflow?: { nodes: string[] }; children?: { nodeId: string }[] }[] };
    expect(json.phase).toBe("SUCCEEDED");
    expect(json.outputs).toEqual({ o0: ["v0", "v1", "v2"], o1: 5 });
    expect(json.nodes[0]?.dynamic).toBe(true);
    expect(json.nodes[0]?.dynamicWorkflow?.nodes).toEqual(["dn0", "dn1", "dn2"]);
    expect(json.nodes[0]?.children?.map((c) => c.nodeId)).toEqual(["n0-0-dn0", "n0-0-dn1", "n0-0-dn2"]);

    const plain = capture();
    expect(await main(["get", "execution", name, ...connection()], plain.io)).toBe(EXIT.ok);
    expect(plain.out.join("\n")).toMatch(/phase +SUCCEEDED[\s\S]*outputs +\{"o0":\["v0","v1","v2"\],"o1":5\}[\s\S]*✓ n0 SUCCEEDED.*\(dynamic: 3 nodes\)\n +✓ n0-0-dn0 SUCCEEDED/);
  });

  it("launches a workflow through its launch plan, with its defaults (no fast registration)", async () => {
    const { io, out } = capture();
    const code = await main(["run", "--remote", ...fastPoll, "--no-fast", "-q", "--image", IMAGE, ...connection(), "src/static-wf.ts", "staticWf", "--a", "3"], io);
    expect(code).toBe(EXIT.ok);
    expect(JSON.parse(out.join("\n"))).toEqual({ o0: "hi-5!", o1: 10 });
    const request = fake.server.calls("CreateExecution").at(-1)?.request as flyteidl.admin.ExecutionCreateRequest;
    expect(request.spec?.launchPlan?.resourceType).toBe(flyteidl.core.ResourceType.LAUNCH_PLAN);
    expect(Object.keys(request.inputs?.literals ?? {}).sort()).toEqual(["a", "s"]);
  });

  it("exits 3 when the execution fails, 2 for inputs that do not fit (nothing launched), 4 when --timeout passes", async () => {
    runnerOverride = async () => ({ error: { code: "USER:RuntimeError", message: "boom" } });
    const failed = capture();
    expect(await main(["run", "--remote", ...fastPoll, "--no-fast", "--image", IMAGE, ...connection(), "src/static-wf.ts", "t1", "--a", "1"], failed.io)).toBe(EXIT.executionFailed);
    expect(failed.err.join("\n")).toMatch(/execution flytesnacks\/development\/\S+ FAILED.*: \[USER:RuntimeError\] boom/);

    const before = fake.server.calls("CreateExecution").length;
    const usage = capture();
    expect(await main(["run", "--remote", ...fastPoll, "--no-fast", "--image", IMAGE, ...connection(), "src/static-wf.ts", "t1", "--a", "x"], usage.io)).toBe(EXIT.usage);
    expect(fake.server.calls("CreateExecution").length).toBe(before);

    runnerOverride = () => new Promise(() => {});
    const slow = capture();
    expect(await main(["run", "--remote", ...fastPoll, "--no-fast", "--timeout", "0.05", "--image", IMAGE, ...connection(), "src/static-wf.ts", "t1", "--a", "1"], slow.io)).toBe(EXIT.timeout);
    expect(slow.err.join("\n")).toMatch(/still (QUEUED|RUNNING) after 0 s; see flyte-ts get execution/);
  });
});

describe("FlyteRemote (the API under the CLI)", { timeout: 120_000 }, () => {
  it("fast-registers the seed, launches its dynamic with typed inputs, watches it and reads typed outputs", async () => {
    const seed = await import("../../../examples/workflows/src/seed.js");
    const dest = newDest();
    const client = createAdminClient({ endpoint: fake.address, insecure: true, configFile: false, env: {}, tokenCachePath: false });
    const remote = new FlyteRemote({ adminClient: client });
    try {
      const { entries } = await compileModules([join(examples, "src/seed.ts")], IMAGE, join(examples, "src"));
      const registered = await remote.registerEntries(entries, { fast: { root: join(examples, "src"), destDir: dest } });
      expect(registered.distribution?.fileName).toMatch(/^fast[0-9a-f]{32}\.tar\.gz$/);
      // The entity from this process's import of the module: its types carry through to the outputs.
      const run = await remote.execute(seed.chained, { a: 4, b: 10 }, { version: registered.version });
      const phases: string[] = [];
      await remote.wait(run, { pollIntervalMs: 10, onProgress: (p) => phases.push(p.phase) });
      expect([...new Set(phases)]).toEqual(["QUEUED", "RUNNING", "SUCCEEDED"]);
      const outputs = await remote.outputs(run);
      const o0: number = outputs.o0;
      expect(o0).toBe(12);
      expect(childArgs.at(-1)?.slice(1, 2)).toEqual(["fast-execute"]);
    } finally {
      client.close();
    }
  });
});

describe("flyte-ts register", { timeout: 120_000 }, () => {
  it("registers a `flyte-ts package` bundle idempotently, activates its launch plan, and refuses changed content under the same version", async () => {
    const dir = mkdtempSync(join(tmpdir(), "flyte-ts-register-"));
    const bundle = join(dir, "bundle.tgz");
    expect(await main(["package", "src/static-wf.ts", "--image", IMAGE, "-o", bundle], capture().io)).toBe(EXIT.ok);

    const first = capture();
    expect(await main(["register", bundle, "--version", "b1", "--activate", ...connection()], first.io)).toBe(EXIT.ok);
    expect(first.out).toEqual([
      "registered TASK flytesnacks/development/examples.static_wf.t1@b1",
      "registered TASK flytesnacks/development/examples.static_wf.t2@b1",
      "registered TASK flytesnacks/development/examples.static_wf.t3@b1",
      "registered WORKFLOW flytesnacks/development/examples.static_wf.static_wf@b1",
      "registered LAUNCH_PLAN flytesnacks/development/examples.static_wf.static_wf@b1",
      "activated  LAUNCH_PLAN flytesnacks/development/examples.static_wf.static_wf@b1",
    ]);
    expect(first.err.at(-1)).toMatch(/^registered 5 entities in flytesnacks\/development as version b1 \(5 new, 0 already registered\)$/);

    const again = capture();
    expect(await main(["register", bundle, "--version", "b1", "-q", ...connection()], again.io)).toBe(EXIT.ok);
    expect(again.out.every((l) => l.startsWith("unchanged"))).toBe(true);

    const conflict = capture();
    expect(await main(["register", "src/static-wf.ts", "--image", "other/image:2", "--version", "b1", "-q", ...connection()], conflict.io)).toBe(EXIT.failure);
    expect(conflict.err.join("\n")).toMatch(/error: TASK flytesnacks\/development\/examples\.static_wf\.t1@b1 is already registered with different content/);
  });

  it("registers modules with a content-derived version: same source, same version", async () => {
    const a = capture();
    const b = capture();
    expect(await main(["register", "src/static-wf.ts", "--image", IMAGE, "-q", ...connection()], a.io)).toBe(EXIT.ok);
    expect(await main(["register", "src/static-wf.ts", "--image", IMAGE, "-q", ...connection()], b.io)).toBe(EXIT.ok);
    const version = (lines: string[]) => /as version (\S+)/.exec(lines.join("\n"))?.[1];
    expect(version(a.err)).toMatch(/^[\w-]{22}$/);
    expect(version(b.err)).toBe(version(a.err));
  });

  it("exits with the usage code for missing arguments", async () => {
    const { io, err } = capture();
    expect(await main(["register", ...connection()], io)).toBe(EXIT.usage);
    expect(err.join("\n")).toMatch(/missing required argument/);
    expect(await main(["fast-execute", "--dest-dir", "x", "--", "flyte-ts", "execute"], capture().io)).toBe(EXIT.usage);
    expect(await main(["fast-execute", "--additional-distribution", "s3://b/f.tar.gz", "--", "python", "x.py"], capture().io)).toBe(EXIT.usage);
    expect(parseFastExecuteArgs(["--additional-distribution", "s3://b/f.tar.gz", "--", "flyte-ts", "execute-map", "--inputs", "i"])).toEqual({
      distribution: "s3://b/f.tar.gz",
      destDir: ".",
      command: "execute-map",
      executeArgs: ["--inputs", "i"],
    });
  });
});

describe("flyte-ts get execution", { timeout: 120_000 }, () => {
  it("exits 1 with the server's message for an unknown execution", async () => {
    const { io, err } = capture();
    expect(await main(["get", "execution", "nope", ...connection()], io)).toBe(EXIT.failure);
    expect(err.join("\n")).toMatch(/NOT_FOUND.*nope/);
  });
});

describe("flytectl's config file, as the remote commands read it", { timeout: 120_000 }, () => {
  it("shows the configuration's warnings, and refuses a misspelt key naming it, the file and the key meant", async () => {
    const dir = mkdtempSync(join(tmpdir(), "flyte-ts-cli-config-"));
    const unknown = join(dir, "unknown.yaml");
    writeFileSync(unknown, `admin:\n  endpoint: ${fake.address}\n  insecure: true\n  someNewerFlytectlKey: 3\n`);
    const warned = capture();
    await main(["get", "execution", "nope", "--config", unknown], warned.io);
    expect(warned.err.join("\n")).toContain(`warning: admin.someNewerFlytectlKey (${unknown}) is not a known setting and is ignored`);

    const misspelt = join(dir, "misspelt.yaml");
    writeFileSync(misspelt, `admin:\n  endpoint: ${fake.address}\n  insecur: true\n`);
    const refused = capture();
    expect(await main(["get", "execution", "nope", "--config", misspelt], refused.io)).toBe(EXIT.failure);
    expect(refused.err.join("\n")).toContain(`admin.insecur (${misspelt}): is not a setting flytectl knows (did you mean admin.insecure?)`);
    rmSync(dir, { recursive: true, force: true });
  });
});
