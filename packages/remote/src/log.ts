import type { Redactor } from "./redact.js";

/** How much a `LogEvent` matters: `debug` (each call and retry), `info`, `warn` (something you may want to fix). */
export type LogLevel = "debug" | "info" | "warn";

/** One thing worth telling: retries, token refreshes, cache problems, ignored settings. Never a secret. */
export interface LogEvent {
  level: LogLevel;
  message: string;
  /** Machine-readable details (method, attempt, delay); values are redacted like the message. */
  fields?: Record<string, string | number | boolean>;
}

/** Receives the client's log events. The client never writes to the console on its own, except prompts. */
export type Logger = (event: LogEvent) => void;

/** A logger that redacts every message and string field before passing it on, and never throws. */
export function redactingLogger(logger: Logger | undefined, redactor: Redactor): Logger {
  if (!logger) return () => {};
  return (event) => {
    const safe: LogEvent = { level: event.level, message: redactor.redact(event.message) };
    if (event.fields) {
      safe.fields = Object.fromEntries(
        Object.entries(event.fields).map(([k, v]) => [k, typeof v === "string" ? redactor.redact(v) : v]),
      );
    }
    try {
      logger(safe);
    } catch {
      // A failing logger must not turn a successful call into a failed one.
    }
  };
}
