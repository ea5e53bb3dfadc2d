import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  REGISTRATION_CONTEXT_ENV,
  compileDynamic,
  compileDynamicJobSpec,
  decodeRegistrationContext,
  encodeEntry,
  entityKind,
  entryFileName,
  isEntity,
  registrationBundle,
  serializationContext,
  task,
  typedInterface,
  type AnyEntity,
  type DynamicTask,
  type Variables,
} from "@flytekit-ts/compiler";
import { flyteidl, taskId } from "@flytekit-ts/idl";
import { fromLiteralMap, t, toLiteralMap } from "@flytekit-ts/types";
import {
  ExecutionFailedError,
  FlyteRemote,
  InputError,
  RegistrationConflictError,
  RegistrationError,
  SignedUrlError,
  WaitTimeoutError,
  createAdminClient,
  createTarGz,
  packageSource,
  readTar,
  type AdminClient,
  type ExecutionProgress,
  type RegisterProgressEvent,
} from "../src/index.js";
import * as flows from "./fixtures/flows.js";
import { startFakeAdmin, type FakeAdmin, type FakeNode, type FakeRun, type FakeRunResult } from "./support/fake-admin.js";
import { startAuthEnv, CLIENT_ID, CLIENT_SECRET } from "./support/env.js";

const IMAGE = "ghcr.io/example/flows:1";
const PROJECT = "flytesnacks";
const DOMAIN = "development";

const exported = Object.entries(flows).filter(([, v]) => isEntity(v)) as [string, AnyEntity][];
const byName = new Map(exported.map(([, e]) => [e.name, e]));
const context = (version = "") =>
  serializationContext({
    image: IMAGE,
    ...(version ? { project: PROJECT, domain: DOMAIN, version } : {}),
    locate: (e) => ({ module: "test/fixtures/flows.ts", name: exported.find(([, v]) => v === e)?.[0] ?? e.name }),
    locations: () => Object.fromEntries(exported.map(([n, e]) => [e.name, { module: "test/fixtures/flows.ts", name: n }])),
  });

/** Plays the dynamic: compiles its body for the inputs like the container would, and the spec like propeller. */
async function playDynamic(entity: DynamicTask<Variables, Variables>, inputs: Record<string, unknown>, parent: string, version: string): Promise<FakeNode[]> {
  const result = await compileDynamic(entity as never, inputs as never, context(version));
  if (result.kind !== "futures") return [];
  const compiled = compileDynamicJobSpec(result.spec, typedInterface(entity));
  return [
    { nodeId: parent, specNodeId: parent, phase: "SUCCEEDED", isParent: true, isDynamic: true, dynamicWorkflow: compiled },
    ...(result.spec.nodes ?? []).map((n): FakeNode => ({ nodeId: `${parent}-0-${n.id}`, specNodeId: n.id ?? "", parentId: parent, phase: "SUCCEEDED" })),
  ];
}

/** Runs what the fake admin launches with the fixtures' own code (a stand-in for propeller and the pods). */
async function runner(run: FakeRun): Promise<FakeRunResult> {
  const version = run.launched.kind === "task" ? (run.launched.template.id?.version ?? "") : (run.launched.launchPlan.id?.version ?? "");
  if (run.launched.kind === "task") {
    const entity = byName.get(run.launched.template.id?.name ?? "");
    if (!entity) throw new Error("unknown task");
    const values = await fromLiteralMap(entity.inputs, run.inputs);
    if (entityKind(entity) === "dynamic") {
      const n = (values as { n: number }).n;
      return { outputs: await toLiteralMap(entity.outputs, { o0: n * (n - 1) } as never), nodes: await playDynamic(entity as never, values, "remotefan", version) };
    }
    const outputs = await (entity as unknown as { run(v: unknown): unknown }).run(values);
    return { outputs: await toLiteralMap(entity.outputs, outputs as never), nodes: [{ nodeId: "n0", phase: "SUCCEEDED" }] };
  }
  const values = (await fromLiteralMap(flows.pipeline.inputs, run.inputs)) as { n: number; name: string };
  return {
    outputs: await toLiteralMap(flows.pipeline.outputs, { sum: values.n * (values.n - 1), greeting: `hi ${values.name}, hi ${values.name}` }),
    nodes: [...(await playDynamic(flows.fan as never, { n: values.n }, "n0", version)), { nodeId: "n1", phase: "SUCCEEDED" }],
  };
}

let fake: FakeAdmin;
let client: AdminClient;
let remote: FlyteRemote;
const sleeps: number[] = [];
const fastSleep = async (ms: number) => void sleeps.push(ms);

beforeAll(async () => {
  fake = await startFakeAdmin({ bucketDir: mkdtempSync(join(tmpdir(), "fake-bucket-")), runner: (run) => activeRunner(run) });
  client = createAdminClient({ endpoint: fake.address, insecure: true, configFile: false, env: {}, tokenCachePath: false });
  remote = new FlyteRemote({ adminClient: client, project: PROJECT, domain: DOMAIN });
});
afterAll(async () => {
  client.close();
  await fake.stop();
});
let activeRunner: (run: FakeRun) => Promise<FakeRunResult> = runner;
beforeEach(() => {
  activeRunner = runner;
  sleeps.length = 0;
});

afterAll(() => {
  // Every request this file sent decoded (and re-encoded) as its official message type.
  expect(fake.server.invalid).toEqual([]);
});

// Registration and executions against the fake FlyteAdmin: a generous timeout for a loaded 2-core machine.
describe("registration", { timeout: 60_000 }, () => {
  it("registers tasks, workflows and launch plans in order with project, domain and version filled in everywhere", async () => {
    const events: RegisterProgressEvent[] = [];
    const result = await remote.register([flows.pipeline, flows.fan], context(), { version: "v1", activate: true, onProgress: (e) => events.push(e) });

    expect(result.entities.map((e) => `${e.kind}:${e.id.name}`).sort()).toEqual(
      // The dynamic's children are not registered: their templates travel in its futures.pb.
      ["task:remote.fan", "task:remote.greet", "workflow:remote.pipeline", "launchPlan:remote.pipeline"].sort(),
    );
    expect(result.entities.every((e) => e.status === "created")).toBe(true);
    // Dependencies first: the workflow after its tasks, the launch plan after its workflow.
    const order = result.entities.map((e) => `${e.kind}:${e.id.name}`);
    expect(order.indexOf("workflow:remote.pipeline")).toBeGreaterThan(Math.max(order.indexOf("task:remote.fan"), order.indexOf("task:remote.greet")));
    expect(order.indexOf("launchPlan:remote.pipeline")).toBeGreaterThan(order.indexOf("workflow:remote.pipeline"));

    const wf = fake.workflows.get(`2/${PROJECT}/${DOMAIN}/remote.pipeline/v1`);
    expect(wf).toBeDefined();
    const refs = (wf?.spec.template?.nodes ?? []).map((n) => n.taskNode?.referenceId);
    expect(refs.every((r) => r?.project === PROJECT && r.domain === DOMAIN && r.version === "v1")).toBe(true);
    const lp = fake.launchPlans.get(`3/${PROJECT}/${DOMAIN}/remote.pipeline/v1`);
    expect(lp?.launchPlan.spec?.workflowId).toMatchObject({ project: PROJECT, domain: DOMAIN, name: "remote.pipeline", version: "v1" });
    expect(lp?.state).toBe(flyteidl.admin.LaunchPlanState.ACTIVE);
    expect(result.activated.map((id) => id.name)).toEqual(["remote.pipeline"]);

    // The dynamic's registration context names the same coordinates, for the children it creates.
    const fanTemplate = fake.tasks.get(`1/${PROJECT}/${DOMAIN}/remote.fan/v1`);
    const env = fanTemplate?.container?.env?.find((kv) => kv.key === REGISTRATION_CONTEXT_ENV)?.value ?? "";
    expect(decodeRegistrationContext(env)).toMatchObject({ project: PROJECT, domain: DOMAIN, version: "v1", image: IMAGE });
    expect(fanTemplate?.container?.args?.slice(0, 2)).toEqual(["flyte-ts", "execute"]);

    const done = events.flatMap((e) => (e.stage === "register" && e.status !== "registering" ? [`${e.index}/${e.total} ${e.status}`] : []));
    expect(done).toEqual([...result.entities.map((_, i) => `${i + 1}/4 created`), `${order.indexOf("launchPlan:remote.pipeline") + 1}/4 activated`]);
  });

  it("is idempotent: registering the same content again succeeds, each entity 'exists'", async () => {
    const again = await remote.register([flows.pipeline, flows.fan], context(), { version: "v1" });
    expect(again.entities.every((e) => e.status === "exists")).toBe(true);
  });

  it("names the entity and the difference when the same id holds different content", async () => {
    const other = serializationContext({ ...context(), image: "ghcr.io/example/flows:2" });
    const error = await remote.register([flows.greet], other, { version: "v1" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistrationConflictError);
    expect((error as Error).message).toMatch(/TASK flytesnacks\/development\/remote\.greet@v1 is already registered with different content/);
    // Named as this SDK names fields, whatever the server's own wording of the difference.
    expect((error as RegistrationConflictError).differences).toEqual(["template.container.image"]);
  });

  it("compares content itself when the server does not say (older flyteadmin: ALREADY_EXISTS either way)", async () => {
    const legacy = await startFakeAdmin({ bucketDir: mkdtempSync(join(tmpdir(), "fake-bucket-")), legacyDuplicates: true });
    const legacyClient = createAdminClient({ endpoint: legacy.address, insecure: true, configFile: false, env: {}, tokenCachePath: false });
    const r = new FlyteRemote({ adminClient: legacyClient });
    try {
      await r.register([flows.pipeline], context(), { version: "v1" });
      const again = await r.register([flows.pipeline], context(), { version: "v1" });
      expect(again.entities.map((e) => e.status)).toEqual(again.entities.map(() => "exists"));
      expect(legacy.server.calls("GetWorkflow")).toHaveLength(1);
      expect(legacy.server.calls("GetLaunchPlan")).toHaveLength(1);

      const changed = task({ name: "remote.greet", inputs: { name: t.string(), times: t.int() }, outputs: { o0: t.string() }, retries: 3 }, () => ({ o0: "" }));
      const error = (await r.register([changed], context(), { version: "v1" }).catch((e: unknown) => e)) as RegistrationConflictError;
      expect(error).toBeInstanceOf(RegistrationConflictError);
      expect(error.differences.join(" ")).toMatch(/template\.metadata\.retries/);
      expect(legacy.server.invalid).toEqual([]);
    } finally {
      legacyClient.close();
      await legacy.stop();
    }
  });

  it("fails naming the workflow when flyteadmin refuses it (a task it calls is not registered)", async () => {
    const entries = await registrationBundle([flows.pipeline], context());
    const error = await remote.registerEntries(entries.filter((e) => e.kind !== "task"), { version: "v-missing" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistrationError);
    expect((error as Error).message).toMatch(/cannot register WORKFLOW flytesnacks\/development\/remote\.pipeline@v-missing: .*INVALID_ARGUMENT.*Referenced Task \[.*remote\.fan.*\] not found/s);
  });

  it("registers a bundle (.tgz in pyflyte's layout) with a version derived from the content", async () => {
    const entries = await registrationBundle([flows.pipeline], context());
    const archive = createTarGz(entries.map((e, i) => ({ path: entryFileName(e, i), data: encodeEntry(e) })));
    const first = await remote.registerBundle(archive);
    const second = await remote.registerBundle(archive);
    expect(first.version).toMatch(/^[\w-]{22}$/);
    expect(second.version).toBe(first.version);
    expect(first.entities.every((e) => e.status === "created")).toBe(true);
    expect(second.entities.every((e) => e.status === "exists")).toBe(true);
  });
});

describe("fast registration", { timeout: 60_000 }, () => {
  it("packages the source deterministically, uploads it with its Content-MD5 and makes every task fetch it first", async () => {
    const root = mkdtempSync(join(tmpdir(), "fast-src-"));
    mkdirSync(join(root, "src"));
    mkdirSync(join(root, "node_modules", "dep"), { recursive: true });
    writeFileSync(join(root, "src", "flows.ts"), "export const x = 1;\n");
    writeFileSync(join(root, "src", "util.ts"), "export const y = 2;\n");
    writeFileSync(join(root, "node_modules", "dep", "index.js"), "module.exports = 1;\n");
    writeFileSync(join(root, ".env"), "SECRET=1\n");
    writeFileSync(join(root, ".flyteignore"), "# local notes\nnotes/\n");
    mkdirSync(join(root, "notes"));
    writeFileSync(join(root, "notes", "todo.md"), "x\n");

    const a = await packageSource({ root });
    const b = await packageSource({ root });
    expect(a.archive.equals(b.archive)).toBe(true);
    expect(a.fileName).toBe(`fast${a.md5.toString("hex")}.tar.gz`);
    expect(a.files).toEqual([".flyteignore", "src/flows.ts", "src/util.ts"]);
    expect(readTar(a.archive).map((f) => f.path)).toEqual(a.files);

    const events: RegisterProgressEvent[] = [];
    const result = await remote.register([flows.fan], context(), { version: "fast1", fast: { root, destDir: "/root" }, onProgress: (e) => events.push(e) });
    const upload = fake.server.calls("CreateUploadLocation").at(-1)?.request as flyteidl.service.CreateUploadLocationRequest;
    expect(upload.project).toBe(PROJECT);
    expect(upload.filename).toBe(a.fileName);
    expect(Buffer.from(upload.contentMd5).equals(a.md5)).toBe(true);
    expect(upload.addContentMd5Metadata).toBe(true);
    expect(fake.http.filter((h) => h.method === "PUT")).toContainEqual({ method: "PUT", path: "/upload/<token>", status: 200 });

    const native = result.distribution?.distribution ?? "";
    expect(native).toMatch(new RegExp(`^s3://fake-bucket/${PROJECT}/${DOMAIN}/[A-Z2-7=]+/${a.fileName}$`));
    expect(fake.uploads.get(native)?.bytes.equals(a.archive)).toBe(true);
    expect(events.map((e) => e.stage).slice(0, 3)).toEqual(["package", "upload", "upload"]);

    for (const name of ["remote.fan"]) {
      const args = fake.tasks.get(`1/${PROJECT}/${DOMAIN}/${name}/fast1`)?.container?.args ?? [];
      expect(args.slice(0, 9)).toEqual(["flyte-ts", "fast-execute", "--additional-distribution", native, "--dest-dir", "/root", "--", "flyte-ts", "execute"]);
      expect(args.slice(-4)).toEqual(["module", "test/fixtures/flows.ts", "name", exported.find(([, e]) => e.name === name)?.[0]]);
    }
  });

  it("fails clearly when the storage refuses the upload (wrong MD5), without showing the signed URL", async () => {
    const root = mkdtempSync(join(tmpdir(), "fast-src-"));
    writeFileSync(join(root, "a.ts"), "export {};\n");
    const tampering = new FlyteRemote({
      adminClient: client,
      fetch: (url, init) => fetch(url, { ...init, body: Buffer.concat([Buffer.from(init.body ?? new Uint8Array()), Buffer.from("x")]), headers: { ...init.headers, "Content-Length": String((init.body?.byteLength ?? 0) + 1) } } as RequestInit),
    });
    const error = await tampering.register([flows.double], context(), { version: "fast2", fast: { root } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SignedUrlError);
    expect((error as Error).message).toMatch(/uploading fast[0-9a-f]{32}\.tar\.gz to s3:\/\/fake-bucket\/.* failed with HTTP 400: BadDigest/);
    expect((error as Error).message).not.toMatch(/127\.0\.0\.1/);
  });
});

describe("executions", { timeout: 60_000 }, () => {
  it("launches a task with typed inputs, watches it QUEUED → RUNNING → SUCCEEDED with backoff, and reads typed outputs", async () => {
    const { version } = await remote.register([flows.greet], context(), { version: "e1" });
    const run = await remote.execute(flows.greet, { name: "ts", times: 2 }, { version });
    const request = fake.server.calls("CreateExecution").at(-1)?.request as flyteidl.admin.ExecutionCreateRequest;
    expect(request.spec?.launchPlan).toMatchObject({ resourceType: flyteidl.core.ResourceType.TASK, name: "remote.greet", version: "e1" });
    expect(request.name).toMatch(/^f[0-9a-f]{19}$/);
    expect(request.inputs?.literals?.["times"]?.scalar?.primitive?.integer?.toString()).toBe("2");

    const phases: ExecutionProgress["phase"][] = [];
    const final = await remote.wait(run, { pollIntervalMs: 10, maxPollIntervalMs: 40, sleep: fastSleep, onProgress: (p) => phases.push(p.phase) });
    expect([...new Set(phases)]).toEqual(["QUEUED", "RUNNING", "SUCCEEDED"]);
    expect(final.closure?.phase).toBe(flyteidl.core.WorkflowExecution.Phase.SUCCEEDED);
    expect(sleeps[0]).toBe(10);

    const outputs = await remote.outputs(run);
    const typed: string = outputs.o0;
    expect(typed).toBe("hi ts, hi ts");
  });

  it("checks inputs against the registered interface before sending anything", async () => {
    const { version } = await remote.register([flows.greet], context(), { version: "e1" });
    const before = fake.server.calls("CreateExecution").length;
    const problems = async (p: Promise<unknown>) => ((await p.catch((e: unknown) => e)) as InputError).problems;

    expect(await problems(remote.execute(taskId({ project: PROJECT, domain: DOMAIN, name: "remote.greet", version }), { name: 3, nmae: "x" }))).toEqual([
      expect.stringMatching(/^"name": expected str/),
      expect.stringMatching(/^unknown input "nmae" \(it takes "name", "times"\)/),
      expect.stringMatching(/^missing required input "times"/),
    ]);
    // A local declaration that is not what is registered under this version.
    const drifted = task({ name: "remote.greet", inputs: { name: t.string(), times: t.string() }, outputs: { o0: t.string() } }, () => ({ o0: "" }));
    expect(await problems(remote.execute(drifted, { name: "a", times: "2" }, { version }))).toEqual([expect.stringMatching(/"times": the local declaration says string but the registered entity takes integer \(register this version first\?\)/)]);
    expect(fake.server.calls("CreateExecution").length).toBe(before);
  });

  it("launches a workflow through its launch plan with defaults, and walks its nodes: a dynamic's children and compiled sub-workflow", async () => {
    const { version } = await remote.register([flows.pipeline], context(), { version: "wf1" });
    const run = await remote.execute(flows.pipeline, { n: 4 }, { version });
    expect(run.launched).toMatchObject({ resourceType: flyteidl.core.ResourceType.LAUNCH_PLAN, name: "remote.pipeline" });
    await remote.wait(run, { sleep: fastSleep, nodes: true });
    const outputs = await remote.outputs(run);
    expect(outputs).toEqual({ sum: 12, greeting: "hi flyte, hi flyte" });
    expect(await remote.inputs(run)).toEqual({ n: 4, name: "flyte" });

    const nodes = await remote.nodeExecutions(run);
    expect(nodes.map((n) => [n.nodeId, n.phase, n.isDynamic])).toEqual([
      ["n0", "SUCCEEDED", true],
      ["n1", "SUCCEEDED", false],
    ]);
    const dynamicNode = nodes[0];
    expect(dynamicNode?.children.map((c) => c.nodeId)).toEqual(["n0-0-dn0", "n0-0-dn1", "n0-0-dn2", "n0-0-dn3", "n0-0-dn4"]);
    const compiledNodes = dynamicNode?.dynamicWorkflow?.primary?.template?.nodes?.map((n) => n.id);
    expect(compiledNodes).toEqual(["start-node", "end-node", "dn0", "dn1", "dn2", "dn3", "dn4"]);
    expect(fake.server.calls("ListNodeExecutions").some((c) => (c.request as flyteidl.admin.NodeExecutionListRequest).uniqueParentId === "n0")).toBe(true);
  });

  it("launches by id and reads outputs by the registered interface's types", async () => {
    await remote.register([flows.double], context(), { version: "id1" });
    const run = await remote.execute(taskId({ project: PROJECT, domain: DOMAIN, name: "remote.double", version: "id1" }), { x: 21 });
    await remote.wait(run.id, { sleep: fastSleep });
    expect(await remote.outputs(run.id)).toEqual({ o0: 42 });
    expect(await remote.outputs(run.id.name ?? "")).toEqual({ o0: 42 });
  });

  it("fetches outputs too large to inline, offloaded literals and file outputs through signed URLs", async () => {
    const big = await startFakeAdmin({ bucketDir: mkdtempSync(join(tmpdir(), "fake-bucket-")), maxInlineBytes: 64, runner: async (run) => bigRunner(run, big) });
    const bigClient = createAdminClient({ endpoint: big.address, insecure: true, configFile: false, env: {}, tokenCachePath: false });
    const r = new FlyteRemote({ adminClient: bigClient, workDir: mkdtempSync(join(tmpdir(), "remote-work-")) });
    const report = task(
      { name: "remote.report", inputs: { n: t.int() }, outputs: { text: t.string(), rows: t.list(t.string()), file: t.file() } },
      () => ({ text: "", rows: [], file: { path: "" } }),
    );
    try {
      await r.register([report], serializationContext({ image: IMAGE, locate: () => ({ module: "m.ts", name: "report" }) }), { version: "b1" });
      const run = await r.execute(report, { n: 3 }, { version: "b1" });
      await r.wait(run, { sleep: fastSleep });
      const outputs = await r.outputs(run);
      expect(outputs.text).toBe("x".repeat(200));
      expect(outputs.rows).toEqual(["row 0", "row 1", "row 2"]);
      expect(outputs.file.path).toBe("s3://fake-bucket/raw/report.csv");
      const local = await r.download(outputs.file);
      expect((await import("node:fs")).readFileSync(local, "utf8")).toBe("a,b\n1,2\n");
      // The output map itself (over the inline limit), the offloaded literal and the file: three signed GETs.
      expect(big.server.calls("CreateDownloadLocation").map((c) => (c.request as flyteidl.service.CreateDownloadLocationRequest).nativeUrl)).toEqual([
        expect.stringMatching(/^s3:\/\/fake-bucket\/metadata\/.*\/outputs\.pb$/),
        "s3://fake-bucket/offloaded/rows.pb",
        "s3://fake-bucket/raw/report.csv",
      ]);
      expect(big.server.invalid).toEqual([]);
    } finally {
      bigClient.close();
      await big.stop();
    }
  });

  it("reports a failed execution's error, terminates a running one and relaunches", async () => {
    const { version } = await remote.register([flows.double], context(), { version: "f1" });
    activeRunner = async () => ({ error: { code: "USER:ValueError", message: "x must be small", kind: "USER" } });
    const failed = await remote.execute(flows.double, { x: 1 }, { version });
    const final = await remote.wait(failed, { sleep: fastSleep });
    expect(final.closure?.error?.message).toBe("x must be small");
    const error = await remote.outputs(failed).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExecutionFailedError);
    expect((error as Error).message).toMatch(/ended FAILED: \[USER:ValueError\] x must be small/);

    activeRunner = () => new Promise(() => {});
    const stuck = await remote.execute(flows.double, { x: 1 }, { version });
    const timeout = await remote.wait(stuck, { timeoutMs: 50, pollIntervalMs: 5 }).catch((e: unknown) => e);
    expect(timeout).toBeInstanceOf(WaitTimeoutError);
    await remote.terminate(stuck, "not needed");
    const aborted = await remote.wait(stuck, { sleep: fastSleep });
    expect([aborted.closure?.phase, aborted.closure?.abortMetadata?.cause]).toEqual([flyteidl.core.WorkflowExecution.Phase.ABORTED, "not needed"]);

    activeRunner = runner;
    const again = await remote.relaunch(stuck);
    expect(again.id.name).not.toBe(stuck.id.name);
    await remote.wait(again, { sleep: fastSleep });
    expect(await remote.outputs(again)).toEqual({ o0: 2 });
    const relaunch = fake.server.calls("RelaunchExecution").at(-1)?.request as flyteidl.admin.ExecutionRelaunchRequest;
    expect(relaunch.id?.name).toBe(stuck.id.name);
  });
});

/** Outputs that exercise every way data leaves an execution: over the inline limit, offloaded, a file. */
async function bigRunner(run: FakeRun, admin: FakeAdmin): Promise<FakeRunResult> {
  const n = Number(run.inputs.literals["n"]?.scalar?.primitive?.integer ?? 0);
  const rows = await t.list(t.string()).toLiteral(Array.from({ length: n }, (_, i) => `row ${i}`), undefined as never);
  admin.putObject("s3://fake-bucket/offloaded/rows.pb", flyteidl.core.Literal.encode(rows as flyteidl.core.Literal).finish());
  admin.putObject("s3://fake-bucket/raw/report.csv", Buffer.from("a,b\n1,2\n"));
  return {
    outputs: {
      literals: {
        text: { scalar: { primitive: { stringValue: "x".repeat(200) } } },
        rows: { offloadedMetadata: { uri: "s3://fake-bucket/offloaded/rows.pb", sizeBytes: 100, inferredType: { collectionType: { simple: flyteidl.core.SimpleType.STRING } } } },
        file: { scalar: { blob: { metadata: { type: { format: "", dimensionality: 0 } }, uri: "s3://fake-bucket/raw/report.csv" } } },
      },
    },
  };
}

describe("with authentication", { timeout: 60_000 }, () => {
  it("registers and launches against an admin that demands a token (client credentials)", async () => {
    const env = await startAuthEnv();
    const authed = await startFakeAdmin({ bucketDir: mkdtempSync(join(tmpdir(), "fake-bucket-")), server: env.admin, runner });
    const c = createAdminClient({ endpoint: env.admin.address, insecure: true, configFile: false, env: {}, tokenCachePath: false, authType: "ClientSecret", clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    const r = new FlyteRemote({ adminClient: c });
    try {
      await r.register([flows.double], context(), { version: "a1" });
      const run = await r.execute(flows.double, { x: 5 }, { version: "a1" });
      await r.wait(run, { sleep: fastSleep });
      expect(await r.outputs(run)).toEqual({ o0: 10 });
      const authorized = env.admin.received.filter((call) => call.service === "AdminService" && call.metadata["flyte-authorization"]?.startsWith("Bearer "));
      expect(authorized.length).toBeGreaterThan(4);
      expect(env.oauth.tokenRequests("client_credentials")).toHaveLength(1);
      expect(env.admin.invalid).toEqual([]);
    } finally {
      c.close();
      await authed.stop();
      await env.stop();
    }
  });
});
