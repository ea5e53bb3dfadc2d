import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { entityKind, registrationBundle, type AnyEntity, type BundleEntry, type SerializationContext } from "@flytekit-ts/compiler";
import { FlytekitError, flyteidl, formatIdentifier } from "@flytekit-ts/idl";
import { fromLiteralMap, type InferValues, type TypeContext, type TypeDescriptor } from "@flytekit-ts/types";
import { createAdminClient, type AdminClient } from "./client.js";
import { DataProxyStorage, uploadFile, type HttpFetch } from "./data.js";
import { fetchInterface, inputLiterals, registeredId, type EntityId, type RemoteInterface } from "./executions/interface.js";
import { executionLiterals, remoteTypes } from "./executions/io.js";
import { createExecution, executionName, executionSpec } from "./executions/launch.js";
import { nodeExecutionTree, type ListNodeOptions, type NodeExecutionInfo } from "./executions/nodes.js";
import { executionPhaseName, isTerminalExecutionPhase } from "./executions/phases.js";
import { waitForExecution } from "./executions/wait.js";
import { readBundle, toRegistrationEntry, type RegistrationEntry } from "./registration/entries.js";
import { uploadSourcePackage } from "./registration/fast-upload.js";
import { registerEntries, type RegistrationProgress } from "./registration/register.js";
import { derivedVersion } from "./registration/version.js";
import { ExecutionFailedError } from "./remote-errors.js";
import type {
  ExecuteOptions,
  ExecutionHandle,
  ExecutionRef,
  FlyteRemoteOptions,
  RegisterOptions,
  RegisterResult,
  Typed,
  Vars,
  WaitOptions,
} from "./remote-types.js";

export type {
  ExecuteOptions,
  ExecutionHandle,
  ExecutionProgress,
  ExecutionRef,
  FlyteRemoteOptions,
  RegisterOptions,
  RegisterProgressEvent,
  RegisterResult,
  WaitOptions,
} from "./remote-types.js";


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
    if (options.fast) {
      distribution = await uploadSourcePackage(this.client, this.#fetch, { project, domain, org: this.org }, options.fast, options);
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
    const name = executionName(options.name);
    const spec = executionSpec(remote.launched, options);
    const id = await createExecution(
      this.client,
      { project, domain, name, org: this.org, spec, inputs: literals },
      { nameGiven: options.name !== undefined, signal: options.signal },
    );
    return { id, launched: remote.launched, remoteInterface: remote, ...(entity ? { outputTypes: entity.outputs as Vars } : {}) };
  }

  /** The execution as FlyteAdmin has it now. */
  async fetchExecution(execution: ExecutionRef, signal?: AbortSignal): Promise<flyteidl.admin.Execution> {
    return this.client.admin.getExecution({ id: this.executionId(execution) }, signal ? { signal } : {});
  }

  /**
   * Polls until the execution reaches SUCCEEDED, FAILED, ABORTED or TIMED_OUT, with exponential
   * backoff between polls (reset when the phase changes), reporting each poll (see {@link WaitOptions}).
   * Resolves to the final execution whatever its phase; see {@link outputs} for the values.
   */
  async wait(execution: ExecutionRef, options: WaitOptions = {}): Promise<flyteidl.admin.Execution> {
    const id = this.executionId(execution);
    return waitForExecution(this.client, id, options);
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
    const literals = await executionLiterals(this.client, id, "outputs", this.#fetch, options.signal);
    const declared = (options.entity?.outputs ?? (typeof execution === "object" && "outputTypes" in execution ? execution.outputTypes : undefined)) as Vars | undefined;
    const types = declared ?? (await remoteTypes(this.client, current, execution, "outputs", options.types ?? []));
    return fromLiteralMap(types, literals, this.typeContext);
  }

  /** The inputs an execution ran with (defaults filled in), read by the registered interface's types. */
  async inputs(execution: ExecutionRef, options: { types?: readonly TypeDescriptor<unknown>[]; signal?: AbortSignal } = {}): Promise<Record<string, unknown>> {
    const id = this.executionId(execution);
    const current = await this.fetchExecution(id, options.signal);
    const literals = await executionLiterals(this.client, id, "inputs", this.#fetch, options.signal);
    const types = await remoteTypes(this.client, current, execution, "inputs", options.types ?? []);
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
    const name = executionName(options.name);
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
}

function isEntityTarget(target: AnyEntity | EntityId): target is AnyEntity {
  return typeof target === "function";
}
