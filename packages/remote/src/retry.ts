import { StatusCode } from "./status.js";

/** How often and how patiently a call is retried after UNAVAILABLE or RESOURCE_EXHAUSTED (exponential backoff with jitter). */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  initialBackoffMs: number;
  maxBackoffDelayMs: number;
}

/**
 * Methods that can be sent twice without a second effect, so a retry after an ambiguous failure (the
 * request may have been processed before the connection dropped) is safe. Reads are; so are
 * registrations (a repeat of an identical one is ALREADY_EXISTS, which registration treats as
 * success), updates that set a state, and URL signing. Creating, relaunching, recovering or
 * terminating an execution, events, signals and deletes are not: a repeat could start a second
 * execution or fail confusingly after the first succeeded.
 */
const IDEMPOTENT = new Set([
  "CreateTask",
  "CreateWorkflow",
  "CreateLaunchPlan",
  "RegisterProject",
  "CreateUploadLocation",
  "CreateDownloadLocation",
  "CreateDownloadLink",
  "GetOrCreateSignal",
  "UserInfo",
]);

/** Whether `method` (its proto name, `GetTask`) is safe to send again by default. */
export function isIdempotent(method: string): boolean {
  return /^(Get|List|Update)/.test(method) || IDEMPOTENT.has(method);
}

/**
 * Whether a failed attempt may be retried: UNAVAILABLE (server down, connection dropped, load balancer
 * between backends) and RESOURCE_EXHAUSTED (rate limiting), for idempotent calls only. A message over
 * the size limit is RESOURCE_EXHAUSTED too, but sending it again cannot help.
 */
export function isRetryable(status: number, details: string, idempotent: boolean): boolean {
  if (!idempotent) return false;
  if (status === StatusCode.UNAVAILABLE) return true;
  return status === StatusCode.RESOURCE_EXHAUSTED && !/larger than max/i.test(details);
}

/**
 * The wait before retry number `retry` (0 for the first retry): exponential from `initialBackoffMs`,
 * capped at `maxBackoffDelayMs`, with "equal jitter" (between half and all of it) so that many clients
 * failing together do not come back together.
 */
export function backoffDelay(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxBackoffDelayMs, policy.initialBackoffMs * 2 ** retry);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
