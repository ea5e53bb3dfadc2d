/** Waiting for an execution to end: polling with backoff, reporting each poll. */
import type { flyteidl } from "@flytekit-ts/idl";
import type { AdminClient } from "../client.js";
import { WaitTimeoutError } from "../remote-errors.js";
import type { ExecutionProgress, WaitOptions } from "../remote-types.js";
import { listNodeExecutionsPage, summarizeNodes } from "./nodes.js";
import { executionPhaseName, isTerminalExecutionPhase, type ExecutionPhase } from "./phases.js";

/**
 * Polls until the execution reaches SUCCEEDED, FAILED, ABORTED or TIMED_OUT, with exponential
 * backoff between polls (reset when the phase changes), reporting each poll. Resolves to the
 * final execution whatever its phase.
 */
export async function waitForExecution(client: AdminClient, id: flyteidl.core.WorkflowExecutionIdentifier, options: WaitOptions): Promise<flyteidl.admin.Execution> {
  const sleep = options.sleep ?? abortableSleep;
  const initial = options.pollIntervalMs ?? 1000;
  const max = options.maxPollIntervalMs ?? 30_000;
  const started = Date.now();
  let interval = initial;
  let lastPhase: ExecutionPhase | undefined;
  for (;;) {
    options.signal?.throwIfAborted();
    const current = await client.admin.getExecution({ id }, options.signal ? { signal: options.signal } : {});
    const phase = executionPhaseName(current.closure?.phase);
    const terminal = isTerminalExecutionPhase(current.closure?.phase);
    const progress: ExecutionProgress = { id, phase, elapsedMs: Date.now() - started, terminal, execution: current };
    if (options.nodes && !terminal) progress.nodes = summarizeNodes(await listNodeExecutionsPage(client, id, undefined, options.signal));
    options.onProgress?.(progress);
    if (terminal) return current;
    if (options.timeoutMs !== undefined && Date.now() - started >= options.timeoutMs) throw new WaitTimeoutError(current, phase, options.timeoutMs);
    interval = phase !== lastPhase ? initial : Math.min(max, interval * 2);
    lastPhase = phase;
    const remaining = options.timeoutMs === undefined ? interval : Math.max(0, Math.min(interval, options.timeoutMs - (Date.now() - started)));
    await sleep(remaining, options.signal);
  }
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
