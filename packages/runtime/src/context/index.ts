export { currentContext, runWithContext, type TaskContext, type ExecutionId, type TaskId, type TaskLogger, type LogLevel } from "./current.js";
export { Secrets, SecretNotFoundError, secretsConfig, type SecretsConfig, type SecretName } from "./secrets.js";
export { Checkpoint } from "./checkpoint.js";
export { Deck, DECK_FILE_NAME, escapeHtml, renderDeckPage, type TableRow } from "./deck.js";
export { runInTaskContext, containerContextInit, localContextInit, containerIdentity, nodeIdFromOutputPrefix, type TaskContextInit } from "./task-context.js";
