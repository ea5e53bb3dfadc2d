/** The options, handles and results of FlyteRemote's methods. */
import type { AnyEntity } from "@flytekit-ts/compiler";
import type { flyteidl } from "@flytekit-ts/idl";
import type { TypeDescriptor } from "@flytekit-ts/types";
import type { AdminClient, AdminClientOptions } from "./client.js";
import type { HttpFetch } from "./data.js";
import type { RemoteInterface } from "./executions/interface.js";
import type { ExecutionPhase } from "./executions/phases.js";
import type { SourcePackageOptions } from "./fast.js";
import type { FastDistribution } from "./registration/entries.js";
import type { RegistrationProgress, RegistrationResult } from "./registration/register.js";

export type Vars = Record<string, TypeDescriptor<unknown>>;
/** An entity with its declared inputs and outputs, whatever its kind. */
export type Typed<I extends Vars, O extends Vars> = AnyEntity & { readonly inputs: I; readonly outputs: O };

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
