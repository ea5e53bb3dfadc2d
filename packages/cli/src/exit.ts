/**
 * Exit codes scripts can rely on:
 *
 * | code | meaning |
 * | ---- | ------- |
 * | 0 | done (for `run --remote`: the execution SUCCEEDED) |
 * | 1 | failure: an error before or while talking to the cluster (registration conflict, network, auth …) |
 * | 2 | usage: bad arguments or inputs; nothing was launched |
 * | 3 | the execution itself ended FAILED, ABORTED or TIMED_OUT |
 * | 4 | `--timeout` passed while the execution was still running (it keeps running) |
 */
export const EXIT = { ok: 0, failure: 1, usage: 2, executionFailed: 3, timeout: 4 } as const;
