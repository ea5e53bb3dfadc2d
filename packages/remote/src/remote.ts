import { createHash, randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { contentVersion, entityKind, registrationBundle, type AnyEntity, type BundleEntry, type SerializationContext } from "@flytekit-ts/compiler";
import { FlytekitError, flyteidl, formatIdentifier } from "@flytekit-ts/idl";
import {
  fromLiteralMap,
  guessType,
  type InferValues,
  type LiteralMap,
  type LiteralType,
  type TypeContext,
  type TypeDescriptor,
} from "@flytekit-ts/types";
import { createAdminClient, type AdminClient, type AdminClientOptions } from "./client.js";
import { DataProxyStorage, downloadThroughDataProxy, uploadFile, uploadThroughDataProxy, type HttpFetch } from "./data.js";
import { AlreadyExistsError } from "./errors.js";
import { fetchInterface, inputLiterals, registeredId, type EntityId, type RemoteInterface } from "./executions/interface.js";
import { nodeExecutionTree, listNodeExecutionsPage, summarizeNodes, type ListNodeOptions, type NodeExecutionInfo } from "./executions/nodes.js";
import { executionPhaseName, isTerminalExecutionPhase, type ExecutionPhase } from "./executions/phases.js";
import { packageSource, type SourcePackage, type SourcePackageOptions } from "./fast.js";
import { readBundle, toRegistrationEntry, type FastDistribution, type RegistrationEntry } from "./registration/entries.js";
import { registerEntries, type RegistrationProgress, type RegistrationResult } from "./registration/register.js";
import { ExecutionFailedError, WaitTimeoutError } from "./remote-errors.js";

type Vars = Record<string, TypeDescriptor<unknown>>;
/** An entity with its declared inputs and outputs, whatever its kind. */
type Typed<I extends Vars, O extends Vars> = AnyEntity & { readonly inputs: I; readonly outputs: O };

/** A launched execution; carries the launched entity's output types when it was launched from one. */
export interface ExecutionHandle<O extends Vars = Vars> {
  readonly id: flyteidl.core.WorkflowExecutionIdentifier;
  /** The launch plan or task id that was launched. */
  readonly launched: flyteidl.core.Identifier;
  /** The entity's declared outputs (typed), when launched from an entity. */
  readonly outputTypes?: O;
  /** The registered interface the inputs were checked against. */
  readonly remoteInterface?: RemoteInterface;
}

/** An execution as the methods that look one up take it: a handle from `execute`, an id, or its name (in the remote's project and domain). */
export type ExecutionRef = ExecutionHandle | flyteidl.core.IWorkflowExecutionIdentifier | string;

/** How a `FlyteRemote` connects, and the project and domain it works in unless a call says otherwise. */
export interface FlyteRemoteOptions {
  /** A client to use (closing the remote does not close it); otherwise one is created from `client`-options. */
  adminClient?: AdminClient;
  /** Options for the client created when `adminClient` is not given (config file, environment, endpoint …). */
  client?: AdminClientOptions;
  /** Default project and domain (default `flytesnacks` / `development`, as flytekit's). */
  project?: string;
  domain?: string;
  org?: string;
  /** For PUTs and GETs to signed URLs (default: the global fetch). */
  fetch?: HttpFetch;
  /** Where downloaded outputs go (default: a directory under the system's temporary directory). */
  workDir?: string;
}

/** How `register` registers: where, under which version, fast or not, and whether launch plans are activated. */
export interface RegisterOptions {
  project?: string;
  domain?: string;
  /** Default: derived from the content (and the uploaded source, when fast) — same content, same version. */
  version?: string;
  /** Package the source under this root, upload it, and make tasks fetch it before running (fast registration). */
  fast?: SourcePackageOptions & {
    /** Where the container unpacks it; module paths are relative to it (default `.`, the image's working directory). */
    destDir?: string;
  };
  /** Activate launch plans (all, or those picked) after registering. */
  activate?: boolean | ((name: string) => boolean);
  /** Called at each step: packaging and uploading the source (fast), then each entity registered. */
  onProgress?: (event: RegisterProgressEvent) => void;
  signal?: AbortSignal;
}

/** One step of `register`, for progress displays. */
export type RegisterProgressEvent =
  | { stage: "package"; files: number; bytes: number; fileName: string }
  | { stage: "upload"; fileName: string; bytes: number; nativeUrl?: string; done: boolean }
  | ({ stage: "register" } & RegistrationProgress);

/** What `register` registered, and the coordinates and version it used (launch with the same version). */
export interface RegisterResult extends RegistrationResult {
  project: string;
  domain: string;
  version: string;
  /** The uploaded source archive, for fast registration. */
  distribution?: FastDistribution & { md5: string; fileName: string };
}

/** How `execute` launches: where, which version, the execution's name and its run-time settings. */
export interface ExecuteOptions {
  project?: string;
  domain?: string;
  /** The registered version of the entity (needed when launching an entity, not an id). */
  version?: string;
  /** Execution name (`^[a-z][a-z0-9-]*$`, ≤ 63 characters); default a random `f…` name, as flytekit's. */
  name?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  envs?: Record<string, string>;
  overwriteCache?: boolean;
  interruptible?: boolean;
  serviceAccount?: string;
  rawOutputDataPrefix?: string;
  /** Descriptors to read inputs and outputs of plugin or struct types with, when launching by id. */
  types?: readonly TypeDescriptor<unknown>[];
  signal?: AbortSignal;
}

/** An execution's state at one poll of `wait`. */
export interface ExecutionProgress {
  id: flyteidl.core.IWorkflowExecutionIdentifier;
  phase: ExecutionPhase;
  elapsedMs: number;
  terminal: boolean;
  execution: flyteidl.admin.Execution;
  /** Top-level node counts, when `nodes` was asked for. */
  nodes?: { total: number; done: number; running: number; failed: number };
}

/** How `wait` polls, for how long, and what it reports. */
export interface WaitOptions {
  /** Give up (with a WaitTimeoutError; the execution keeps running) after this long. Default: never. */
  timeoutMs?: number;
  /** First poll interval (default 1 s); it doubles while nothing changes, up to `maxPollIntervalMs` (default 30 s). */
  pollIntervalMs?: number;
  maxPollIntervalMs?: number;
  /** Called after every poll, with the phase and elapsed time. */
  onProgress?: (progress: ExecutionProgress) => void;
  /** Also count node executions for the progress callback (one ListNodeExecutions per poll). */
  nodes?: boolean;
  signal?: AbortSignal;
  /** For tests: waits between polls. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

const EXECUTION_NAME = /^[a-z][a-z0-9-]{0,62}$/;

/**
 * FlyteRemote for TypeScript: register, launch, watch and read outputs on a Flyte cluster.
 *
 * ```ts
 * const remote = new FlyteRemote({ project: "flytesnacks", domain: "development" });
 * const { version } = await remote.register([wf, t1], { image: "ghcr.io/me/app:1" });
 * const run = await remote.execute(wf, { a: 3 }, { version });
 * await remote.wait(run, { onProgress: (p) => console.log(p.phase) });
 * const outputs = await remote.outputs(run);   // typed by wf's outputs
 * ```
 */
export class FlyteRemote {
  readonly client: AdminClient;
  readonly project: string;
  readonly domain: string;
  readonly org: string | undefined;
  /** Reads what executions produce: local paths, and remote objects through signed URLs. */
  readonly storage: DataProxyStorage;
  readonly typeContext: TypeContext;
  readonly #ownsClient: boolean;
  readonly #fetch: HttpFetch | undefined;

  constructor(options: FlyteRemoteOptions = {}) {
    this.client = options.adminClient ?? createAdminClient(options.client);
    this.#ownsClient = !options.adminClient;
    this.project = options.project ?? "flytesnacks";
    this.domain = options.domain ?? "development";
    this.org = options.org;
    this.#fetch = options.fetch;
    this.storage = new DataProxyStorage(this.client, options.fetch);
    const workDir = options.workDir ?? join(tmpdir(), "flytekit-ts", "remote", randomBytes(6).toString("hex"));
    this.typeContext = { storage: this.storage, rawOutputPrefix: join(workDir, "raw"), workDir };
  }

  /** Closes the client's connections if this remote created the client; later calls fail. */
  close(): void {
    if (this.#ownsClient) this.client.close();
  }

  // ---- registration ---------------------------------------------------------------------------

  /**
   * Compiles entities (tasks, workflows, dynamic tasks — with everything they call) in the given
   * context and registers them; see {@link registerEntries}. The context needs the image and where
   * each entity's code is (`locate`), as `flyte-ts package` builds it from modules.
   */
  async register(entities: readonly AnyEntity[], context: SerializationContext, options: RegisterOptions = {}): Promise<RegisterResult> {
    const entries = await registrationBundle(entities, context);
    return this.registerEntries(entries, options);
  }

  /** Registers a bundle written by `flyte-ts package` or `pyflyte package` (a .tgz path or its bytes). */
  async registerBundle(bundle: string | Uint8Array, options: RegisterOptions = {}): Promise<RegisterResult> {
    return this.registerEntries(await readBundle(bundle), options);
  }

  /** Registers compiled entries (from `registrationBundle` or a bundle), in order, optionally fast. */
  async registerEntries(bundleEntries: readonly (BundleEntry | RegistrationEntry)[], options: RegisterOptions = {}): Promise<RegisterResult> {
    const project = options.project ?? this.project;
    const domain = options.domain ?? this.domain;
    const entries = bundleEntries.map((e) => toRegistrationEntry(e as BundleEntry));
    let distribution: RegisterResult["distribution"];
    let pkg: SourcePackage | undefined;
    if (options.fast) {
      pkg = await packageSource(options.fast);
      options.onProgress?.({ stage: "package", files: pkg.files.length, bytes: pkg.archive.byteLength, fileName: pkg.fileName });
      options.onProgress?.({ stage: "upload", fileName: pkg.fileName, bytes: pkg.archive.byteLength, done: false });
      const uploaded = await uploadThroughDataProxy(
        this.client,
        { project, domain, filename: pkg.fileName, bytes: pkg.archive, ...(this.org ? { org: this.org } : {}), ...(options.signal ? { signal: options.signal } : {}) },
        this.#fetch,
      );
      distribution = { distribution: uploaded.nativeUrl, destDir: options.fast.destDir ?? ".", md5: pkg.md5.toString("hex"), fileName: pkg.fileName };
      options.onProgress?.({ stage: "upload", fileName: pkg.fileName, bytes: pkg.archive.byteLength, nativeUrl: uploaded.nativeUrl, done: true });
    }
    const version = options.version ?? derivedVersion(entries, distribution);
    const result = await registerEntries(this.client, entries, {
      project,
      domain,
      version,
      ...(this.org ? { org: this.org } : {}),
      ...(distribution ? { fast: { distribution: distribution.distribution, destDir: distribution.destDir } } : {}),
      ...(options.activate !== undefined ? { activate: options.activate } : {}),
      ...(options.onProgress ? { onProgress: (p: RegistrationProgress) => options.onProgress?.({ stage: "register", ...p }) } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return { ...result, project, domain, version, ...(distribution ? { distribution } : {}) };
  }

  // ---- executions -----------------------------------------------------------------------------

  /** The registered interface of an entity or id (see {@link fetchInterface}). */
  async fetchInterface(target: AnyEntity | EntityId, options: Pick<ExecuteOptions, "project" | "domain" | "version"> = {}): Promise<RemoteInterface> {
    return fetchInterface(this.client, this.#targetId(target, options));
  }

  /**
   * Launches a task, workflow or launch plan — given as a local entity (with the registered
   * `version`) or as an id — with typed inputs. The registered interface is fetched and the inputs
   * are checked against it (and against the entity's declaration) before anything is sent; local
   * files among them are uploaded through the data proxy.
   */
  async execute<I extends Vars, O extends Vars>(target: Typed<I, O>, inputs: Partial<InferValues<I>>, options?: ExecuteOptions): Promise<ExecutionHandle<O>>;
  async execute(target: EntityId, inputs: Record<string, unknown>, options?: ExecuteOptions): Promise<ExecutionHandle>;
  async execute(target: AnyEntity | EntityId, inputs: Record<string, unknown>, options: ExecuteOptions = {}): Promise<ExecutionHandle> {
    const entity = isEntityTarget(target) ? target : undefined;
    const targetId = this.#targetId(target, options);
    const remote = await fetchInterface(this.client, targetId);
    const project = options.project ?? targetId.project ?? this.project;
    const domain = options.domain ?? targetId.domain ?? this.domain;
    const literals = await inputLiterals(formatIdentifier(remote.launched), remote, inputs, {
      ...(entity ? { entity } : {}),
      ...(options.types ? { candidates: options.types } : {}),
      typeContext: this.typeContext,
      upload: (path) => uploadFile(this.client, path, { project, domain, ...(this.org ? { org: this.org } : {}) }, this.#fetch),
    });
    const name = options.name ?? `f${randomBytes(10).toString("hex").slice(0, 19)}`;
    if (!EXECUTION_NAME.test(name)) throw new FlytekitError("USAGE", `execution name "${name}" must match ^[a-z][a-z0-9-]*$ and be at most 63 characters`);
    const spec: flyteidl.admin.IExecutionSpec = {
      launchPlan: remote.launched,
      metadata: { mode: flyteidl.admin.ExecutionMetadata.ExecutionMode.MANUAL, principal: "placeholder", nesting: 0 },
      ...(options.labels ? { labels: { values: options.labels } } : {}),
      ...(options.annotations ? { annotations: { values: options.annotations } } : {}),
      ...(options.envs ? { envs: { values: Object.entries(options.envs).map(([key, value]) => ({ key, value })) } } : {}),
      ...(options.overwriteCache ? { overwriteCache: true } : {}),
      ...(options.interruptible !== undefined ? { interruptible: { value: options.interruptible } } : {}),
      ...(options.serviceAccount ? { securityContext: { runAs: { k8sServiceAccount: options.serviceAccount } } } : {}),
      ...(options.rawOutputDataPrefix ? { rawOutputDataConfig: { outputLocationPrefix: options.rawOutputDataPrefix } } : {}),
    };
    let id: flyteidl.core.WorkflowExecutionIdentifier;
    try {
      // The name is chosen here, so a retry after a lost answer cannot start a second execution.
      const created = await this.client.admin.createExecution(
        { project, domain, name, spec, inputs: literals, ...(this.org ? { org: this.org } : {}) },
        { idempotent: true, ...(options.signal ? { signal: options.signal } : {}) },
      );
      id = flyteidl.core.WorkflowExecutionIdentifier.create(created.id ?? { project, domain, name });
    } catch (error) {
      // Our own earlier attempt got through before the connection dropped.
      if (!(error instanceof AlreadyExistsError && error.attempts > 1 && options.name === undefined)) throw error;
      id = flyteidl.core.WorkflowExecutionIdentifier.create({ project, domain, name, ...(this.org ? { org: this.org } : {}) });
    }
    return { id, launched: remote.launched, remoteInterface: remote, ...(entity ? { outputTypes: entity.outputs as Vars } : {}) };
  }

  /** The execution as FlyteAdmin has it now. */
  async fetchExecution(execution: ExecutionRef, signal?: AbortSignal): Promise<flyteidl.admin.Execution> {
    return this.client.admin.getExecution({ id: this.executionId(execution) }, signal ? { signal } : {});
  }

  /**
   * Polls until the execution reaches SUCCEEDED, FAILED, ABORTED or TIMED_OUT, with exponential
   * backoff between polls (reset when the phase changes), reporting each poll. Resolves to the
   * final execution whatever its phase; see {@link outputs} for the values.
   */
  async wait(execution: ExecutionRef, options: WaitOptions = {}): Promise<flyteidl.admin.Execution> {
    const id = this.executionId(execution);
    const sleep = options.sleep ?? abortableSleep;
    const initial = options.pollIntervalMs ?? 1000;
    const max = options.maxPollIntervalMs ?? 30_000;
    const started = Date.now();
    let interval = initial;
    let lastPhase: ExecutionPhase | undefined;
    for (;;) {
      options.signal?.throwIfAborted();
      const current = await this.client.admin.getExecution({ id }, options.signal ? { signal: options.signal } : {});
      const phase = executionPhaseName(current.closure?.phase);
      const terminal = isTerminalExecutionPhase(current.closure?.phase);
      const progress: ExecutionProgress = { id, phase, elapsedMs: Date.now() - started, terminal, execution: current };
      if (options.nodes && !terminal) progress.nodes = summarizeNodes(await listNodeExecutionsPage(this.client, id, undefined, options.signal));
      options.onProgress?.(progress);
      if (terminal) return current;
      if (options.timeoutMs !== undefined && Date.now() - started >= options.timeoutMs) throw new WaitTimeoutError(current, phase, options.timeoutMs);
      interval = phase !== lastPhase ? initial : Math.min(max, interval * 2);
      lastPhase = phase;
      const remaining = options.timeoutMs === undefined ? interval : Math.max(0, Math.min(interval, options.timeoutMs - (Date.now() - started)));
      await sleep(remaining, options.signal);
    }
  }

  /**
   * The outputs of a succeeded execution as TypeScript values: typed by the launched entity's
   * declaration when it was launched from one (or `entity` is given), else read by the registered
   * interface's types (`types` adds struct and plugin descriptors). Outputs too large to inline and
   * offloaded literals are fetched through signed URLs; files stay remote (`{ path: "s3://…" }`) until
   * `download`ed. A failed execution throws an {@link ExecutionFailedError} with the error.
   */
  async outputs<O extends Vars>(execution: ExecutionHandle<O>, options?: { entity?: Typed<Vars, O>; types?: readonly TypeDescriptor<unknown>[]; signal?: AbortSignal }): Promise<InferValues<O>>;
  async outputs<O extends Vars>(execution: ExecutionRef, options: { entity: Typed<Vars, O>; types?: readonly TypeDescriptor<unknown>[]; signal?: AbortSignal }): Promise<InferValues<O>>;
  async outputs(execution: ExecutionRef, options?: { entity?: AnyEntity; types?: readonly TypeDescriptor<unknown>[]; signal?: AbortSignal }): Promise<Record<string, unknown>>;
  async outputs(execution: ExecutionRef, options: { entity?: AnyEntity; types?: readonly TypeDescriptor<unknown>[]; signal?: AbortSignal } = {}): Promise<Record<string, unknown>> {
    const id = this.executionId(execution);
    const current = await this.fetchExecution(id, options.signal);
    const phase = executionPhaseName(current.closure?.phase);
    if (phase !== "SUCCEEDED") {
      const error = current.closure?.error;
      const reason = error ? `${error.code ? `[${error.code}] ` : ""}${error.message ?? ""}` : (current.closure?.abortMetadata?.cause ?? current.closure?.abortCause ?? "");
      if (isTerminalExecutionPhase(current.closure?.phase)) throw new ExecutionFailedError(current, phase, reason);
      throw new FlytekitError("NOT_DONE", `execution ${id.project}/${id.domain}/${id.name} is ${phase}; wait for it first`);
    }
    const literals = await this.#executionData(id, "outputs", options.signal);
    const declared = (options.entity?.outputs ?? (typeof execution === "object" && "outputTypes" in execution ? execution.outputTypes : undefined)) as Vars | undefined;
    const types = declared ?? (await this.#remoteTypes(current, execution, "outputs", options.types ?? []));
    return fromLiteralMap(types, literals, this.typeContext);
  }

  /** The inputs an execution ran with (defaults filled in), read by the registered interface's types. */
  async inputs(execution: ExecutionRef, options: { types?: readonly TypeDescriptor<unknown>[]; signal?: AbortSignal } = {}): Promise<Record<string, unknown>> {
    const id = this.executionId(execution);
    const current = await this.fetchExecution(id, options.signal);
    const literals = await this.#executionData(id, "inputs", options.signal);
    const types = await this.#remoteTypes(current, execution, "inputs", options.types ?? []);
    return fromLiteralMap(types, literals, this.typeContext);
  }

  /** The execution's node executions as a tree, dynamic children and compiled sub-workflows included. */
  async nodeExecutions(execution: ExecutionRef, options: ListNodeOptions = {}): Promise<NodeExecutionInfo[]> {
    return nodeExecutionTree(this.client, this.executionId(execution), options);
  }

  /** Stops a running execution (TerminateExecution); the execution ends ABORTED. */
  async terminate(execution: ExecutionRef, cause = "terminated by flytekit-ts"): Promise<void> {
    await this.client.admin.terminateExecution({ id: this.executionId(execution), cause });
  }

  /** Starts the same launch with the same inputs again (RelaunchExecution); returns the new execution. */
  async relaunch(execution: ExecutionRef, options: { name?: string; overwriteCache?: boolean } = {}): Promise<ExecutionHandle> {
    const id = this.executionId(execution);
    const name = options.name ?? `f${randomBytes(10).toString("hex").slice(0, 19)}`;
    if (!EXECUTION_NAME.test(name)) throw new FlytekitError("USAGE", `execution name "${name}" must match ^[a-z][a-z0-9-]*$ and be at most 63 characters`);
    const created = await this.client.admin.relaunchExecution({ id, name, ...(options.overwriteCache ? { overwriteCache: true } : {}) }, { idempotent: true });
    const previous = typeof execution === "object" && "launched" in execution ? execution : undefined;
    const newId = flyteidl.core.WorkflowExecutionIdentifier.create(created.id ?? { project: id.project, domain: id.domain, name });
    const launched = previous?.launched ?? flyteidl.core.Identifier.create((await this.fetchExecution(newId)).spec?.launchPlan ?? {});
    return { id: newId, launched, ...(previous?.outputTypes ? { outputTypes: previous.outputTypes } : {}), ...(previous?.remoteInterface ? { remoteInterface: previous.remoteInterface } : {}) };
  }

  /** Downloads a file output (`{ path: "s3://…" }`) through a signed URL to a local path (default: under the work directory). */
  async download(file: { path: string }, localPath?: string): Promise<string> {
    const target = localPath ?? join(this.typeContext.workDir, randomBytes(8).toString("hex"), file.path.split("/").pop() || "file");
    await this.storage.download(file.path, target);
    return target;
  }

  /** Uploads a local file through the data proxy; returns its native URL, usable as a file input. */
  async upload(path: string, options: { project?: string; domain?: string } = {}): Promise<string> {
    return uploadFile(this.client, path, { project: options.project ?? this.project, domain: options.domain ?? this.domain, ...(this.org ? { org: this.org } : {}) }, this.#fetch);
  }

  /** An execution id from a handle, an id, or a name (in the default project and domain). */
  executionId(execution: ExecutionRef): flyteidl.core.WorkflowExecutionIdentifier {
    if (typeof execution === "string") return flyteidl.core.WorkflowExecutionIdentifier.create({ project: this.project, domain: this.domain, name: execution, ...(this.org ? { org: this.org } : {}) });
    if ("launched" in execution) return execution.id;
    return flyteidl.core.WorkflowExecutionIdentifier.create(execution);
  }

  #targetId(target: AnyEntity | EntityId, options: Pick<ExecuteOptions, "project" | "domain" | "version">): flyteidl.core.Identifier {
    if (!isEntityTarget(target)) return flyteidl.core.Identifier.create(target);
    if (entityKind(target) !== ("reference" as string) && !options.version) {
      throw new FlytekitError("USAGE", `launching ${target.name} needs the version it is registered under ({ version }, e.g. from register())`);
    }
    return registeredId(target, {
      project: options.project ?? this.project,
      domain: options.domain ?? this.domain,
      version: options.version ?? "",
      ...(this.org ? { org: this.org } : {}),
    });
  }

  async #executionData(id: flyteidl.core.WorkflowExecutionIdentifier, which: "inputs" | "outputs", signal?: AbortSignal): Promise<LiteralMap> {
    const data = await this.client.admin.getExecutionData({ id }, signal ? { signal } : {});
    const full = which === "outputs" ? data.fullOutputs : data.fullInputs;
    const blob = which === "outputs" ? data.outputs : data.inputs;
    // Beyond admin's inline limit (2 MB by default) the map is only a URL to the literal map.
    if ((!full || Object.keys(full.literals ?? {}).length === 0) && blob?.url) {
      return flyteidl.core.LiteralMap.decode(await downloadThroughDataProxy(this.client, blob.url, this.#fetch, signal)) as LiteralMap;
    }
    return (full ?? { literals: {} }) as LiteralMap;
  }

  async #remoteTypes(current: flyteidl.admin.Execution, execution: ExecutionRef, which: "inputs" | "outputs", candidates: readonly TypeDescriptor<unknown>[]): Promise<Vars> {
    const known = typeof execution === "object" && "remoteInterface" in execution ? execution.remoteInterface : undefined;
    const remote = known ?? (current.spec?.launchPlan ? await fetchInterface(this.client, current.spec.launchPlan) : undefined);
    const types: Record<string, LiteralType> = which === "outputs" ? (remote?.outputs ?? {}) : Object.fromEntries(Object.entries(remote?.inputs ?? {}).map(([n, i]) => [n, i.type]));
    return Object.fromEntries(Object.entries(types).map(([name, type]) => [name, guessType(type, candidates)]));
  }
}

function isEntityTarget(target: AnyEntity | EntityId): target is AnyEntity {
  return typeof target === "function";
}

/** A version from the content: the entries' bytes (before coordinates are filled in) and the uploaded source. */
function derivedVersion(entries: readonly RegistrationEntry[], distribution: RegisterResult["distribution"]): string {
  const hash = createHash("sha256");
  hash.update(contentVersion(entries.map((e) => ({ kind: e.kind, name: e.name, spec: e.spec }) as BundleEntry)));
  if (distribution) hash.update("\0fast\0").update(distribution.md5).update("\0").update(distribution.destDir);
  return hash.digest("base64url").slice(0, 22);
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

