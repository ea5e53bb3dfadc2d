/**
 * `@flytekit-ts/runtime` — where flytekit-ts tasks really run: the container entrypoint that honours
 * Flyte's task contract, and the local executor that runs the same compiled graphs on one machine.
 *
 * @module \@flytekit-ts/runtime
 */
export { execute, type ExecuteOptions, type ExecuteOutcome } from "./entrypoint.js";
export { parseExecuteArgs, UsageError, type ExecuteArgs } from "./args.js";
export { RecoverableError, TaskTimeoutError, isRecoverableError, errorDocument, errorMessage, type FailureOrigin } from "./errors.js";
export { watchProcess, exitProcess, ProcessFault, type ProcessWatch } from "./guard.js";
export { trackStdio, writeErrorLine } from "./stdio.js";
export { RoutingStorage, writeWhole, joinUri } from "./storage.js";
export { dynamicContext } from "./registration.js";
export { findEntities, locator, loadEntity, nameFromLocations, useTypeScriptLoader, type FoundEntity } from "./load.js";
export { LocalExecutor, NodeFailure, type LocalRunOptions, type NodeEvent } from "./local/executor.js";
export { runLocally, runLocallyWithLiterals } from "./local/run.js";
export { LocalCache, defaultCacheDir } from "./local/cache.js";
export { executeCommand, executeMapCommand } from "./command.js";
export { mock, type Mock } from "./local/mocks.js";
export { s3Storage, s3OptionsFromEnv, gcsStorage, defaultCloudFactories, splitBucketUri, type S3StorageOptions, type GcsClientLike } from "./cloud.js";
export { executeMap, arrayIndex, parseMapArgs } from "./map-entrypoint.js";
export {
  currentContext,
  Secrets,
  SecretNotFoundError,
  secretsConfig,
  Checkpoint,
  Deck,
  DECK_FILE_NAME,
  escapeHtml,
  renderDeckPage,
  runInTaskContext,
  containerContextInit,
  nodeIdFromOutputPrefix,
  type TaskContext,
  type ExecutionId,
  type TaskId,
  type TaskLogger,
  type LogLevel,
  type SecretsConfig,
  type SecretName,
  type TableRow,
  type TaskContextInit,
} from "./context/index.js";
export { PythonTaskRunner, PythonTaskError, pythonTasks, pythonTaskArgs, isPythonTaskTemplate, type PythonTaskOptions, type PythonTaskEntity } from "./local/python-task.js";
