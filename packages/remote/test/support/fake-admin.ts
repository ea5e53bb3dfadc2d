import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import * as grpc from "@grpc/grpc-js";
import { compileTask, compileWorkflowClosure, launchPlanInterface } from "@flytekit-ts/compiler";
import { flyteidl, formatIdentifier, timestampFromDate, durationFromMillis, toProtoJson, type MessageClass } from "@flytekit-ts/idl";
import { formatLiteralType, isCastable, literalTypeOf, type LiteralType } from "@flytekit-ts/types";
import { startAdminServer, type TestAdminServer } from "./admin-server.js";

/**
 * A small FlyteAdmin for tests, on top of the loopback gRPC server (which decodes every request as its
 * official message type and records what does not). It keeps what it receives and checks it the way
 * flyteadmin does:
 *
 * - ids must be complete (known project, one of the three domains, name, version, the right resource type);
 * - tasks are compiled (propeller's task checks); workflows are compiled with FlytePropeller's
 *   compiler against the *registered* tasks and launch plans, so a workflow that references an
 *   unregistered task, or one whose interface does not match, is refused with INVALID_ARGUMENT;
 * - launch plans must name a registered workflow, and their defaults / fixed inputs must fit it;
 * - re-registering an id: identical content → ALREADY_EXISTS ("identical structure"), different →
 *   INVALID_ARGUMENT ("different structure"), as flyteadmin ≥ 1.10; with `legacyDuplicates`,
 *   ALREADY_EXISTS either way, as older versions;
 * - executions check their inputs against the launched interface and go QUEUED → RUNNING →
 *   SUCCEEDED / FAILED one step per GetExecution, with outputs from `runner`;
 * - DataProxy: CreateUploadLocation signs a PUT to a loopback HTTP server that demands the Content-MD5
 *   it was asked for (and the extra header it returned), CreateDownloadLocation signs GETs.
 */
export interface FakeRun {
  execution: flyteidl.core.WorkflowExecutionIdentifier;
  launched:
    | { kind: "task"; template: flyteidl.core.TaskTemplate }
    | { kind: "workflow"; launchPlan: flyteidl.admin.LaunchPlan; closure: flyteidl.core.CompiledWorkflowClosure };
  /** Inputs with the launch plan's defaults and fixed inputs merged in. */
  inputs: flyteidl.core.LiteralMap;
}

export interface FakeNode {
  nodeId: string;
  /** The unique id of the parent node (a dynamic task or sub-workflow node), for children. */
  parentId?: string;
  specNodeId?: string;
  phase: keyof typeof flyteidl.core.NodeExecution.Phase;
  isParent?: boolean;
  isDynamic?: boolean;
  inputs?: flyteidl.core.ILiteralMap;
  outputs?: flyteidl.core.ILiteralMap;
  dynamicWorkflow?: flyteidl.core.ICompiledWorkflowClosure;
  error?: { code: string; message: string };
}

export type FakeRunResult =
  | { outputs: flyteidl.core.ILiteralMap; nodes?: FakeNode[] }
  | { error: { code: string; message: string; kind?: "USER" | "SYSTEM" }; nodes?: FakeNode[] };

export type Runner = (run: FakeRun) => Promise<FakeRunResult>;

export interface FakeAdminOptions {
  /** Computes each execution's outcome (default: every declared output missing → empty outputs). */
  runner?: Runner;
  /** Where uploaded objects are kept. */
  bucketDir: string;
  /** Native URL prefix of that bucket (default `s3://fake-bucket`; `file://…` makes them readable without the proxy). */
  nativePrefix?: string;
  /** Answer ALREADY_EXISTS for duplicates whatever their content, like flyteadmin before 1.10. */
  legacyDuplicates?: boolean;
  /** GetExecutionData inlines literal maps up to this size (flyteadmin's default: 2 MB). */
  maxInlineBytes?: number;
  projects?: string[];
  /** Use this loopback server (e.g. one that demands tokens) instead of starting one. */
  server?: TestAdminServer;
}

interface ExecutionState {
  id: flyteidl.core.WorkflowExecutionIdentifier;
  spec: flyteidl.admin.IExecutionSpec;
  inputs: flyteidl.core.LiteralMap;
  phase: number;
  createdAt: Date;
  startedAt?: Date;
  endedAt?: Date;
  result?: FakeRunResult;
  failure?: unknown;
  running?: Promise<void>;
  abortCause?: string;
  run: FakeRun;
}

export interface FakeAdmin {
  server: TestAdminServer;
  address: string;
  tasks: Map<string, flyteidl.core.TaskTemplate>;
  workflows: Map<string, { spec: flyteidl.admin.WorkflowSpec; compiled: flyteidl.core.CompiledWorkflowClosure }>;
  launchPlans: Map<string, { launchPlan: flyteidl.admin.LaunchPlan; state: number }>;
  executions: Map<string, ExecutionState>;
  /** Objects received through signed PUTs, by native URL. */
  uploads: Map<string, { bytes: Buffer; contentMd5: string; headers: Record<string, string> }>;
  /** Every HTTP request to the signed-URL server (method, path, status). */
  http: { method: string; path: string; status: number }[];
  /** Where an object with this native URL is kept on disk. */
  objectPath(nativeUrl: string): string;
  putObject(nativeUrl: string, bytes: Uint8Array): void;
  stop(): Promise<void>;
}

const { ResourceType } = flyteidl.core;
const WF = flyteidl.core.WorkflowExecution.Phase;
const DOMAINS = ["development", "staging", "production"];

const key = (id: flyteidl.core.IIdentifier | null | undefined): string => `${id?.resourceType ?? 0}/${id?.project}/${id?.domain}/${id?.name}/${id?.version}`;
const nameKey = (id: flyteidl.core.IIdentifier | null | undefined): string => `${id?.project}/${id?.domain}/${id?.name}`;
const execKey = (id: flyteidl.core.IWorkflowExecutionIdentifier | null | undefined): string => `${id?.project}/${id?.domain}/${id?.name}`;

class Status extends Error {
  constructor(
    readonly code: grpc.status,
    readonly details: string,
  ) {
    super(details);
  }
}
const fail = (code: grpc.status, details: string): never => {
  throw new Status(code, details);
};

function canonical<T extends object>(cls: MessageClass<T>, message: object): string {
  return JSON.stringify(toProtoJson(cls, cls.fromObject(message as { [k: string]: unknown }) as T));
}

function base32(bytes: Uint8Array): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  while (out.length % 8) out += "=";
  return out;
}

export async function startFakeAdmin(options: FakeAdminOptions): Promise<FakeAdmin> {
  const server = options.server ?? (await startAdminServer());
  const projects = new Set(options.projects ?? ["flytesnacks"]);
  const nativePrefix = (options.nativePrefix ?? "s3://fake-bucket").replace(/\/+$/, "");
  const maxInline = options.maxInlineBytes ?? 2 * 1024 * 1024;
  const tasks = new Map<string, flyteidl.core.TaskTemplate>();
  const workflows = new Map<string, { spec: flyteidl.admin.WorkflowSpec; compiled: flyteidl.core.CompiledWorkflowClosure }>();
  const launchPlans = new Map<string, { launchPlan: flyteidl.admin.LaunchPlan; state: number }>();
  const executions = new Map<string, ExecutionState>();
  const uploads = new Map<string, { bytes: Buffer; contentMd5: string; headers: Record<string, string> }>();
  const pendingUploads = new Map<string, { nativeUrl: string; contentMd5: string; extra: Record<string, string> }>();
  const downloads = new Map<string, string>();
  const http: { method: string; path: string; status: number }[] = [];
  const created = new Map<string, Date>();

  const objectPath = (nativeUrl: string): string => {
    if (!nativeUrl.startsWith(`${nativePrefix}/`)) throw new Error(`${nativeUrl} is not in the fake bucket ${nativePrefix}`);
    return join(options.bucketDir, ...nativeUrl.slice(nativePrefix.length + 1).split("/"));
  };
  const putObject = (nativeUrl: string, bytes: Uint8Array): void => {
    const path = objectPath(nativeUrl);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, bytes);
  };

  // ---- the signed-URL server -----------------------------------------------------------------
  const httpServer: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (c: Buffer) => chunks.push(c));
    request.on("end", () => {
      const body = Buffer.concat(chunks);
      const path = request.url ?? "";
      const reply = (status: number, text = "") => {
        http.push({ method: request.method ?? "", path: path.replace(/\/[0-9a-f]{32}$/, "/<token>"), status });
        response.writeHead(status, { "content-type": "text/plain" }).end(text);
      };
      const upload = /^\/upload\/([0-9a-f]{32})$/.exec(path);
      const download = /^\/download\/([0-9a-f]{32})$/.exec(path);
      if (request.method === "PUT" && upload) {
        const pending = pendingUploads.get(upload[1] as string);
        if (!pending) return reply(403, "unknown or expired signature");
        const header = (name: string) => String(request.headers[name.toLowerCase()] ?? "");
        const actual = createHash("md5").update(body).digest("base64");
        if (header("Content-MD5") !== pending.contentMd5) return reply(400, `Content-MD5 header ${header("Content-MD5") || "(none)"} does not match the signed ${pending.contentMd5}`);
        if (actual !== pending.contentMd5) return reply(400, "BadDigest: the body's MD5 is not the signed Content-MD5");
        if (header("Content-Length") !== String(body.length)) return reply(400, "missing or wrong Content-Length");
        for (const [name, value] of Object.entries(pending.extra)) if (header(name) !== value) return reply(403, `signed header ${name} missing`);
        putObject(pending.nativeUrl, body);
        uploads.set(pending.nativeUrl, { bytes: body, contentMd5: pending.contentMd5, headers: Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, String(v)])) });
        pendingUploads.delete(upload[1] as string);
        return reply(200);
      }
      if (request.method === "GET" && download) {
        const nativeUrl = downloads.get(download[1] as string);
        if (!nativeUrl) return reply(403, "unknown signature");
        const file = objectPath(nativeUrl);
        if (!existsSync(file)) return reply(404, "NoSuchKey");
        http.push({ method: "GET", path: "/download/<token>", status: 200 });
        return void response.writeHead(200, { "content-type": "application/octet-stream" }).end(readFileSync(file));
      }
      return reply(404, "no such route");
    });
  });
  const httpPort = await new Promise<number>((resolve) => httpServer.listen(0, "127.0.0.1", () => resolve((httpServer.address() as { port: number }).port)));
  const signed = (kind: "upload" | "download", token: string) => `http://127.0.0.1:${httpPort}/${kind}/${token}`;

  // ---- validation helpers ----------------------------------------------------------------------
  function checkId(id: flyteidl.core.IIdentifier | null | undefined, type: number, what: string): flyteidl.core.Identifier {
    if (!id) return fail(grpc.status.INVALID_ARGUMENT, `missing ${what} id`);
    if ((id.resourceType ?? 0) !== type) fail(grpc.status.INVALID_ARGUMENT, `${what} id has resource type ${ResourceType[id.resourceType ?? 0]}, expected ${ResourceType[type]}`);
    checkProjectDomain(id.project, id.domain);
    if (!id.name) fail(grpc.status.INVALID_ARGUMENT, `missing name in ${what} id`);
    if (!id.version) fail(grpc.status.INVALID_ARGUMENT, `missing version in ${what} id`);
    return flyteidl.core.Identifier.create(id);
  }
  function checkProjectDomain(project: string | null | undefined, domain: string | null | undefined): void {
    if (!project || !projects.has(project)) fail(grpc.status.INVALID_ARGUMENT, `project [${project ?? ""}] not found`);
    if (!domain || !DOMAINS.includes(domain)) fail(grpc.status.INVALID_ARGUMENT, `domain [${domain ?? ""}] is not one of ${DOMAINS.join(", ")}`);
  }
  const duplicate = (kind: string, name: string, identical: boolean): never => {
    if (options.legacyDuplicates) return fail(grpc.status.ALREADY_EXISTS, `${kind} already exists`);
    return identical
      ? fail(grpc.status.ALREADY_EXISTS, `${kind} with identical structure already exists`)
      : // flyteadmin 1.13 follows this with its own diff, one "\n\t\t- /json/path: old -> new" line per field.
        fail(grpc.status.INVALID_ARGUMENT, `${name} ${kind} with different structure already exists:\n\t\t- (differences)`);
  };
  const lpInterfaces = () => [...launchPlans.values()].map((l) => launchPlanInterface(l.launchPlan));
  const compiledView = (c: flyteidl.core.ICompiledWorkflowClosure) =>
    JSON.stringify([canonical(flyteidl.core.WorkflowTemplate, c.primary?.template ?? {}), (c.subWorkflows ?? []).map((s) => canonical(flyteidl.core.WorkflowTemplate, s.template ?? {})).sort()]);

  function handle<Req>(method: string, fn: (request: Req) => object | Promise<object>): void {
    server.respond(method, async (request) => {
      try {
        return await fn(request as Req);
      } catch (error) {
        if (error instanceof Status) throw Object.assign(new Error(error.details), { code: error.code, details: error.details, metadata: new grpc.Metadata() });
        throw Object.assign(new Error(String(error)), { code: grpc.status.INTERNAL, details: `fake admin: ${(error as Error).message}`, metadata: new grpc.Metadata() });
      }
    });
  }

  // ---- registration ----------------------------------------------------------------------------
  handle<flyteidl.admin.TaskCreateRequest>("CreateTask", (request) => {
    const id = checkId(request.id, ResourceType.TASK, "task");
    if (!request.spec?.template) fail(grpc.status.INVALID_ARGUMENT, "missing spec.template");
    const template = flyteidl.core.TaskTemplate.create({ ...(request.spec?.template as flyteidl.core.TaskTemplate), id });
    try {
      compileTask(template);
    } catch (error) {
      fail(grpc.status.INVALID_ARGUMENT, (error as Error).message);
    }
    const existing = tasks.get(key(id));
    if (existing) duplicate("task", id.name, canonical(flyteidl.core.TaskTemplate, existing) === canonical(flyteidl.core.TaskTemplate, template));
    tasks.set(key(id), template);
    created.set(key(id), new Date());
    return flyteidl.admin.TaskCreateResponse.create();
  });

  handle<flyteidl.admin.WorkflowCreateRequest>("CreateWorkflow", (request) => {
    const id = checkId(request.id, ResourceType.WORKFLOW, "workflow");
    if (!request.spec?.template) fail(grpc.status.INVALID_ARGUMENT, "missing spec.template");
    const spec = flyteidl.admin.WorkflowSpec.create({ ...(request.spec as flyteidl.admin.WorkflowSpec) });
    spec.template = flyteidl.core.WorkflowTemplate.create({ ...(spec.template as flyteidl.core.WorkflowTemplate), id });
    let compiled: flyteidl.core.CompiledWorkflowClosure;
    try {
      // As flyteadmin: the workflow is compiled against what is registered.
      compiled = compileWorkflowClosure(spec, { tasks: [...tasks.values()], launchPlans: lpInterfaces() }, { validateTasks: false, label: `workflow ${formatIdentifier(id)}` });
    } catch (error) {
      return fail(grpc.status.INVALID_ARGUMENT, (error as Error).message);
    }
    const existing = workflows.get(key(id));
    if (existing) duplicate("workflow", id.name, compiledView(existing.compiled) === compiledView(compiled));
    workflows.set(key(id), { spec, compiled });
    created.set(key(id), new Date());
    return flyteidl.admin.WorkflowCreateResponse.create();
  });

  handle<flyteidl.admin.LaunchPlanCreateRequest>("CreateLaunchPlan", (request) => {
    const id = checkId(request.id, ResourceType.LAUNCH_PLAN, "launch plan");
    const spec = flyteidl.admin.LaunchPlanSpec.create({ ...(request.spec as flyteidl.admin.LaunchPlanSpec) });
    const wf = workflows.get(key(spec.workflowId));
    if (!spec.workflowId || !wf) return fail(grpc.status.NOT_FOUND, `workflow ${formatIdentifier(spec.workflowId ?? {})} of launch plan ${id.name} is not registered`);
    const inputs = wf.compiled.primary?.template?.interface?.inputs?.variables ?? {};
    const problems: string[] = [];
    const fixed = spec.fixedInputs?.literals ?? {};
    for (const [name, parameter] of Object.entries(spec.defaultInputs?.parameters ?? {})) {
      const declared = inputs[name]?.type as LiteralType | undefined;
      if (!declared) problems.push(`default input ${name} is not an input of the workflow`);
      else if (!isCastable((parameter.var?.type ?? {}) as LiteralType, declared)) problems.push(`default input ${name} has type ${formatLiteralType((parameter.var?.type ?? {}) as LiteralType)}, the workflow takes ${formatLiteralType(declared)}`);
    }
    for (const name of Object.keys(fixed)) if (!inputs[name]) problems.push(`fixed input ${name} is not an input of the workflow`);
    for (const name of Object.keys(inputs)) {
      if (!(name in fixed) && !(name in (spec.defaultInputs?.parameters ?? {}))) problems.push(`workflow input ${name} is neither a default nor a fixed input`);
    }
    if (problems.length) fail(grpc.status.INVALID_ARGUMENT, `invalid launch plan ${id.name}: ${problems.join("; ")}`);
    const existing = launchPlans.get(key(id));
    if (existing) duplicate("launch plan", id.name, canonical(flyteidl.admin.LaunchPlanSpec, existing.launchPlan.spec ?? {}) === canonical(flyteidl.admin.LaunchPlanSpec, spec));
    const expectedInputs = Object.fromEntries(Object.entries(spec.defaultInputs?.parameters ?? {}).filter(([n]) => !(n in fixed)));
    const launchPlan = flyteidl.admin.LaunchPlan.create({
      id,
      spec,
      closure: {
        state: flyteidl.admin.LaunchPlanState.INACTIVE,
        expectedInputs: { parameters: expectedInputs },
        expectedOutputs: wf.compiled.primary?.template?.interface?.outputs ?? { variables: {} },
        createdAt: timestampFromDate(new Date()),
      },
    });
    launchPlans.set(key(id), { launchPlan, state: flyteidl.admin.LaunchPlanState.INACTIVE });
    return flyteidl.admin.LaunchPlanCreateResponse.create();
  });

  handle<flyteidl.admin.LaunchPlanUpdateRequest>("UpdateLaunchPlan", (request) => {
    const found = launchPlans.get(key(request.id));
    if (!found) return fail(grpc.status.NOT_FOUND, `launch plan ${formatIdentifier(request.id ?? {})} not found`);
    if (request.state === flyteidl.admin.LaunchPlanState.ACTIVE) {
      for (const other of launchPlans.values()) if (nameKey(other.launchPlan.id) === nameKey(request.id)) other.state = flyteidl.admin.LaunchPlanState.INACTIVE;
    }
    found.state = request.state;
    return flyteidl.admin.LaunchPlanUpdateResponse.create();
  });

  const launchPlanMessage = (entry: { launchPlan: flyteidl.admin.LaunchPlan; state: number }) =>
    flyteidl.admin.LaunchPlan.create({ ...entry.launchPlan, closure: { ...(entry.launchPlan.closure as flyteidl.admin.LaunchPlanClosure), state: entry.state } });

  handle<flyteidl.admin.ObjectGetRequest>("GetTask", (request) => {
    const template = tasks.get(key(request.id));
    if (!template) return fail(grpc.status.NOT_FOUND, `task ${formatIdentifier(request.id ?? {})} not found`);
    return flyteidl.admin.Task.create({ id: template.id ?? null, closure: { compiledTask: { template }, createdAt: timestampFromDate(created.get(key(request.id)) ?? new Date()) } });
  });
  handle<flyteidl.admin.ObjectGetRequest>("GetWorkflow", (request) => {
    const wf = workflows.get(key(request.id));
    if (!wf) return fail(grpc.status.NOT_FOUND, `workflow ${formatIdentifier(request.id ?? {})} not found`);
    return flyteidl.admin.Workflow.create({ id: wf.spec.template?.id ?? null, closure: { compiledWorkflow: wf.compiled, createdAt: timestampFromDate(created.get(key(request.id)) ?? new Date()) } });
  });
  handle<flyteidl.admin.ObjectGetRequest>("GetLaunchPlan", (request) => {
    const lp = launchPlans.get(key(request.id));
    if (!lp) return fail(grpc.status.NOT_FOUND, `launch plan ${formatIdentifier(request.id ?? {})} not found`);
    return launchPlanMessage(lp);
  });
  handle<flyteidl.admin.ActiveLaunchPlanRequest>("GetActiveLaunchPlan", (request) => {
    const lp = [...launchPlans.values()].find((l) => l.state === flyteidl.admin.LaunchPlanState.ACTIVE && nameKey(l.launchPlan.id) === nameKey(request.id));
    if (!lp) return fail(grpc.status.NOT_FOUND, `no active launch plan named ${request.id?.name ?? ""}`);
    return launchPlanMessage(lp);
  });

  // ---- executions ------------------------------------------------------------------------------
  function resolveLaunch(target: flyteidl.core.IIdentifier | null | undefined): { run: FakeRun["launched"]; inputs: Record<string, { type: LiteralType; default?: flyteidl.core.ILiteral; required: boolean }>; fixed: Record<string, flyteidl.core.ILiteral> } {
    if (target?.resourceType === ResourceType.TASK) {
      const template = tasks.get(key(target));
      if (!template) return fail(grpc.status.NOT_FOUND, `task ${formatIdentifier(target)} not found`);
      const vars = template.interface?.inputs?.variables ?? {};
      return { run: { kind: "task", template }, inputs: Object.fromEntries(Object.entries(vars).map(([n, v]) => [n, { type: (v.type ?? {}) as LiteralType, required: true }])), fixed: {} };
    }
    if (target?.resourceType === ResourceType.LAUNCH_PLAN) {
      const lp = launchPlans.get(key(target));
      if (!lp) return fail(grpc.status.NOT_FOUND, `launch plan ${formatIdentifier(target)} not found`);
      const wf = workflows.get(key(lp.launchPlan.spec?.workflowId));
      if (!wf) return fail(grpc.status.INTERNAL, "launch plan without workflow");
      const params = lp.launchPlan.closure?.expectedInputs?.parameters ?? {};
      return {
        run: { kind: "workflow", launchPlan: lp.launchPlan, closure: wf.compiled },
        inputs: Object.fromEntries(Object.entries(params).map(([n, p]) => [n, { type: (p.var?.type ?? {}) as LiteralType, ...(p.default ? { default: p.default } : {}), required: !p.default }])),
        fixed: lp.launchPlan.spec?.fixedInputs?.literals ?? {},
      };
    }
    return fail(grpc.status.INVALID_ARGUMENT, `spec.launch_plan must be a TASK or LAUNCH_PLAN id, got ${formatIdentifier(target ?? {})}`);
  }

  function startExecution(id: flyteidl.core.WorkflowExecutionIdentifier, spec: flyteidl.admin.IExecutionSpec, given: flyteidl.core.ILiteralMap): ExecutionState {
    if (executions.has(execKey(id))) fail(grpc.status.ALREADY_EXISTS, `execution ${id.name} already exists`);
    const launch = resolveLaunch(spec.launchPlan);
    const literals: Record<string, flyteidl.core.ILiteral> = {};
    const problems: string[] = [];
    for (const [name, literal] of Object.entries(given.literals ?? {})) {
      const input = launch.inputs[name];
      if (!input) {
        problems.push(`${name in launch.fixed ? "fixed" : "unknown"} input ${name}`);
        continue;
      }
      const actual = literalTypeOf(literal as flyteidl.core.Literal);
      if (!isCastable(actual, input.type)) problems.push(`input ${name}: a ${formatLiteralType(actual)} literal for a ${formatLiteralType(input.type)} input`);
      literals[name] = literal;
    }
    for (const [name, input] of Object.entries(launch.inputs)) {
      if (name in literals) continue;
      if (input.default) literals[name] = input.default;
      else problems.push(`missing required input ${name}`);
    }
    if (problems.length) fail(grpc.status.INVALID_ARGUMENT, `invalid inputs: ${problems.join("; ")}`);
    Object.assign(literals, launch.fixed);
    const inputs = flyteidl.core.LiteralMap.create({ literals: literals as Record<string, flyteidl.core.Literal> });
    const state: ExecutionState = { id, spec, inputs, phase: WF.QUEUED, createdAt: new Date(), run: { execution: id, launched: launch.run, inputs } };
    executions.set(execKey(id), state);
    return state;
  }

  function newName(name: string | null | undefined): string {
    const chosen = name || `a${randomBytes(9).toString("hex")}`;
    if (!/^[a-z][a-z\-0-9]*$/.test(chosen) || chosen.length > 63) fail(grpc.status.INVALID_ARGUMENT, `invalid execution name ${chosen}`);
    return chosen;
  }

  handle<flyteidl.admin.ExecutionCreateRequest>("CreateExecution", (request) => {
    checkProjectDomain(request.project, request.domain);
    if (!request.spec?.launchPlan) fail(grpc.status.INVALID_ARGUMENT, "missing spec.launch_plan");
    const id = flyteidl.core.WorkflowExecutionIdentifier.create({ project: request.project, domain: request.domain, name: newName(request.name) });
    startExecution(id, request.spec as flyteidl.admin.IExecutionSpec, request.inputs ?? {});
    return flyteidl.admin.ExecutionCreateResponse.create({ id });
  });

  handle<flyteidl.admin.ExecutionRelaunchRequest>("RelaunchExecution", (request) => {
    const source = executions.get(execKey(request.id));
    if (!source) return fail(grpc.status.NOT_FOUND, `execution ${request.id?.name ?? ""} not found`);
    const id = flyteidl.core.WorkflowExecutionIdentifier.create({ project: source.id.project, domain: source.id.domain, name: newName(request.name) });
    const spec = { ...source.spec, metadata: { mode: flyteidl.admin.ExecutionMetadata.ExecutionMode.RELAUNCH, referenceExecution: source.id } };
    startExecution(id, spec, source.inputs);
    return flyteidl.admin.ExecutionCreateResponse.create({ id });
  });

  function advance(state: ExecutionState): void {
    if (state.phase === WF.QUEUED) {
      state.phase = WF.RUNNING;
      state.startedAt = new Date();
      state.running = (options.runner ?? defaultRunner)(state.run).then(
        (result) => {
          state.result = result;
        },
        (error: unknown) => {
          state.failure = error;
        },
      );
    } else if (state.phase === WF.RUNNING && (state.result || state.failure)) {
      state.phase = state.failure || (state.result && "error" in state.result) ? WF.FAILED : WF.SUCCEEDED;
      state.endedAt = new Date();
    }
  }

  function executionMessage(state: ExecutionState): flyteidl.admin.Execution {
    const closure: flyteidl.admin.IExecutionClosure = {
      phase: state.phase,
      createdAt: timestampFromDate(state.createdAt),
      updatedAt: timestampFromDate(new Date()),
      workflowId: state.run.launched.kind === "workflow" ? (state.run.launched.launchPlan.spec?.workflowId ?? null) : null,
    };
    if (state.startedAt) closure.startedAt = timestampFromDate(state.startedAt);
    if (state.startedAt && state.endedAt) closure.duration = durationFromMillis(state.endedAt.getTime() - state.startedAt.getTime());
    if (state.phase === WF.FAILED) {
      const error = state.result && "error" in state.result ? state.result.error : { code: "SYSTEM", message: String(state.failure), kind: "SYSTEM" as const };
      closure.error = { code: error.code, message: error.message, kind: error.kind === "SYSTEM" ? flyteidl.core.ExecutionError.ErrorKind.SYSTEM : flyteidl.core.ExecutionError.ErrorKind.USER };
    }
    if (state.phase === WF.ABORTED) closure.abortMetadata = { cause: state.abortCause ?? "", principal: "fake" };
    return flyteidl.admin.Execution.create({ id: state.id, spec: state.spec as flyteidl.admin.ExecutionSpec, closure: closure as flyteidl.admin.ExecutionClosure });
  }

  const getState = (id: flyteidl.core.IWorkflowExecutionIdentifier | null | undefined): ExecutionState => {
    const state = executions.get(execKey(id));
    if (!state) return fail(grpc.status.NOT_FOUND, `execution ${execKey(id)} not found`);
    return state;
  };

  handle<flyteidl.admin.WorkflowExecutionGetRequest>("GetExecution", async (request) => {
    const state = getState(request.id);
    // Let a finished runner settle, so that phases move deterministically: one step per poll.
    await Promise.race([state.running, new Promise((r) => setTimeout(r, 5))]);
    const message = executionMessage(state);
    advance(state);
    return message;
  });

  handle<flyteidl.admin.ExecutionTerminateRequest>("TerminateExecution", (request) => {
    const state = getState(request.id);
    if (state.phase !== WF.QUEUED && state.phase !== WF.RUNNING) fail(grpc.status.FAILED_PRECONDITION, `execution ${state.id.name} has already ended`);
    state.phase = WF.ABORTED;
    state.abortCause = request.cause;
    state.endedAt = new Date();
    return flyteidl.admin.ExecutionTerminateResponse.create();
  });

  const dataBlob = (state: ExecutionState, which: "inputs" | "outputs", map: flyteidl.core.ILiteralMap | undefined) => {
    if (!map) return {};
    const bytes = flyteidl.core.LiteralMap.encode(map as flyteidl.core.LiteralMap).finish();
    const url = `${nativePrefix}/metadata/${state.id.project}/${state.id.domain}/${state.id.name}/${which}.pb`;
    putObject(url, bytes);
    return bytes.length > maxInline ? { blob: { url, bytes: bytes.length } } : { blob: { url, bytes: bytes.length }, full: map };
  };

  handle<flyteidl.admin.WorkflowExecutionGetDataRequest>("GetExecutionData", (request) => {
    const state = getState(request.id);
    const inputs = dataBlob(state, "inputs", state.inputs);
    const outputs = state.phase === WF.SUCCEEDED && state.result && "outputs" in state.result ? dataBlob(state, "outputs", state.result.outputs) : {};
    return flyteidl.admin.WorkflowExecutionGetDataResponse.create({
      ...(inputs.blob ? { inputs: inputs.blob } : {}),
      ...(inputs.full ? { fullInputs: inputs.full as flyteidl.core.LiteralMap } : {}),
      ...(outputs.blob ? { outputs: outputs.blob } : {}),
      ...(outputs.full ? { fullOutputs: outputs.full as flyteidl.core.LiteralMap } : {}),
    });
  });

  const nodesOf = (state: ExecutionState): FakeNode[] => (state.phase === WF.QUEUED ? [] : (state.result?.nodes ?? []));

  handle<flyteidl.admin.NodeExecutionListRequest>("ListNodeExecutions", (request) => {
    const state = getState(request.workflowExecutionId);
    const all = nodesOf(state).filter((n) => (request.uniqueParentId ? n.parentId === request.uniqueParentId : !n.parentId));
    const offset = request.token ? Number(request.token) : 0;
    const limit = request.limit || 100;
    const page = all.slice(offset, offset + limit);
    return flyteidl.admin.NodeExecutionList.create({
      nodeExecutions: page.map((n) =>
        flyteidl.admin.NodeExecution.create({
          id: { nodeId: n.nodeId, executionId: state.id },
          inputUri: `${nativePrefix}/metadata/${state.id.name}/${n.nodeId}/inputs.pb`,
          closure: {
            phase: flyteidl.core.NodeExecution.Phase[n.phase],
            ...(n.error ? { error: { code: n.error.code, message: n.error.message } } : {}),
            ...(n.isDynamic ? { dynamicJobSpecUri: `${nativePrefix}/metadata/${state.id.name}/${n.nodeId}/futures.pb` } : {}),
          },
          metadata: { retryGroup: "0", isParentNode: n.isParent ?? false, specNodeId: n.specNodeId ?? n.nodeId, isDynamic: n.isDynamic ?? false },
        }),
      ),
      token: offset + limit < all.length ? String(offset + limit) : "",
    });
  });

  handle<flyteidl.admin.NodeExecutionGetDataRequest>("GetNodeExecutionData", (request) => {
    const state = getState(request.id?.executionId);
    const node = nodesOf(state).find((n) => n.nodeId === request.id?.nodeId);
    if (!node) return fail(grpc.status.NOT_FOUND, `node execution ${request.id?.nodeId ?? ""} not found`);
    return flyteidl.admin.NodeExecutionGetDataResponse.create({
      ...(node.inputs ? { fullInputs: node.inputs as flyteidl.core.LiteralMap } : {}),
      ...(node.outputs ? { fullOutputs: node.outputs as flyteidl.core.LiteralMap } : {}),
      ...(node.dynamicWorkflow
        ? {
            dynamicWorkflow: {
              id: { resourceType: ResourceType.WORKFLOW, project: state.id.project, domain: state.id.domain, name: `dynamic_${node.nodeId}`, version: "v" },
              compiledWorkflow: node.dynamicWorkflow as flyteidl.core.CompiledWorkflowClosure,
              dynamicJobSpecUri: `${nativePrefix}/metadata/${state.id.name}/${node.nodeId}/futures.pb`,
            },
          }
        : {}),
    });
  });

  // ---- data proxy ------------------------------------------------------------------------------
  handle<flyteidl.service.CreateUploadLocationRequest>("CreateUploadLocation", (request) => {
    if (!request.project || !request.domain) fail(grpc.status.INVALID_ARGUMENT, "project and domain are required parameters");
    const md5 = request.contentMd5 ?? new Uint8Array();
    if (!request.filenameRoot && md5.length === 0) fail(grpc.status.INVALID_ARGUMENT, "content_md5 or filename_root is a required parameter");
    if (md5.length !== 0 && md5.length !== 16) fail(grpc.status.INVALID_ARGUMENT, `content_md5 must be the 16 raw bytes of an MD5, got ${md5.length} bytes`);
    const filename = request.filename || randomBytes(8).toString("hex");
    const prefix = request.filenameRoot || base32(md5);
    const nativeUrl = `${nativePrefix}/${request.project}/${request.domain}/${prefix}/${filename}`;
    const token = randomBytes(16).toString("hex");
    const contentMd5 = Buffer.from(md5).toString("base64");
    const extra = request.addContentMd5Metadata ? { "x-amz-meta-flytecontentmd5": contentMd5 } : {};
    pendingUploads.set(token, { nativeUrl, contentMd5, extra });
    return flyteidl.service.CreateUploadLocationResponse.create({
      signedUrl: signed("upload", token),
      nativeUrl,
      expiresAt: timestampFromDate(new Date(Date.now() + 3600_000)),
      // As flyteadmin on S3 answers: flyteorg/stow's signer puts the base64 MD5's length (24) in
      // Content-Length, whatever the body's; a client must send the body's own.
      headers: { "Content-Length": String(contentMd5.length), "Content-MD5": contentMd5, ...extra },
    });
  });

  handle<flyteidl.service.CreateDownloadLocationRequest>("CreateDownloadLocation", (request) => {
    if (!request.nativeUrl?.startsWith(`${nativePrefix}/`)) fail(grpc.status.INVALID_ARGUMENT, `cannot sign ${request.nativeUrl ?? ""}: not in this deployment's bucket`);
    const token = randomBytes(16).toString("hex");
    downloads.set(token, request.nativeUrl as string);
    return flyteidl.service.CreateDownloadLocationResponse.create({ signedUrl: signed("download", token), expiresAt: timestampFromDate(new Date(Date.now() + 600_000)) });
  });

  return {
    server,
    address: server.address,
    tasks,
    workflows,
    launchPlans,
    executions,
    uploads,
    http,
    objectPath,
    putObject,
    stop: async () => {
      const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      httpServer.closeAllConnections();
      await Promise.all([options.server ? Promise.resolve() : server.stop(), closed]);
    },
  };
}

const defaultRunner: Runner = async () => ({ outputs: { literals: {} } });

/** A URL for a local directory, as a `nativePrefix` whose objects task code can read directly. */
export const fileBucket = (dir: string): string => pathToFileURL(dir).href;
