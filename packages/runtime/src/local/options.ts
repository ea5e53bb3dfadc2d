import { FlytekitError } from "@flytekit-ts/idl";
import type { Storage } from "@flytekit-ts/types";
import type { LocalContainerTasks } from "../container/run-command.js";
import type { NodeEvent } from "./events.js";
import type { Mock } from "./mocks.js";
import type { PythonTaskOptions } from "./python-task.js";

// NodeEvent has its own module so that python-task.ts can use it without importing this one.
export type { NodeEvent } from "./events.js";

/** How `runLocally` runs an entity: mocks, cache, parallelism, storage, Python tasks and progress. */
export interface LocalRunOptions {
  /**
   * Where raw outputs (files, directories) and downloads go. Default: a fresh temporary directory,
   * removed when the run ends — all but the raw outputs its returned outputs point to.
   */
  workDir?: string;
  /**
   * The local cache of cached tasks: a directory, or false to turn it off. Default: the persistent
   * cache of this machine (`$XDG_CACHE_HOME/flyte-ts/local-cache`, else `~/.flyte-ts/local-cache`).
   */
  cacheDir?: string | false;
  /** Run cached tasks even when the cache has their outputs, and replace the entries (Flyte's overwrite-cache). */
  overwriteCache?: boolean;
  /** How many tasks may run at once in the whole run, nested dynamics included (default: the machine's parallelism). */
  maxParallelism?: number;
  /** Called as each node starts, finishes, retries or comes from the cache (the CLI prints these). */
  onEvent?: (event: NodeEvent) => void;
  /** Problems that do not fail the run, such as a cache entry that could not be written (default: console.warn). */
  onWarning?: (message: string) => void;
  storage?: Storage;
  /** Entities to replace with stand-ins (see `mock`). */
  mocks?: readonly Mock[];
  /**
   * Values for gate nodes, by signal id: `true`/`false` for an approval, the value for a signal.
   * A gate without one fails the run (a local run cannot wait for a person).
   */
  signals?: Readonly<Record<string, unknown>>;
  /**
   * Container tasks (`containerTask`) have no image here: `"error"` (default) asks for a mock;
   * `"run-command"` runs their command on this machine (it must be installed here).
   */
  containerTasks?: LocalContainerTasks;
  /**
   * Run the workflow's Python tasks with the real flytekit: every reference task that is not mocked
   * (and a dynamic's reference tasks) is executed by `pyflyte-execute` from this source root and
   * virtualenv (see `PythonTaskOptions`). Without it, a reference task must be mocked.
   */
  python?: PythonTaskOptions;
}

/** A node that failed, with its path in the run (`n1`, or `dn12/n0` inside a dynamic). */
export class NodeFailure extends FlytekitError {
  constructor(
    readonly path: string,
    readonly entity: string,
    cause: unknown,
  ) {
    super("NODE_FAILED", `node ${path} (${entity}) failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}
