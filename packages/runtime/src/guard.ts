import { FlytekitError } from "@flytekit-ts/idl";
import { stdioOpened } from "./stdio.js";

/**
 * Something went wrong in the process that no awaited promise reported: a rejection nobody handled, an
 * exception thrown from a callback, or the end of all work while the task still waits. Each is a user
 * error, raised by {@link watchProcess}.
 */
export class ProcessFault extends FlytekitError {}

/** The process's watch, once {@link watchProcess} has installed it. */
export interface ProcessWatch {
  /** Rejects with a {@link ProcessFault} at the first fault; never resolves. */
  readonly faults: Promise<never>;
}

let active: ProcessWatch | undefined;

/** The installed watch, if any: the entrypoint races the task's steps with its faults. */
export function processWatch(): ProcessWatch | undefined {
  return active;
}

const describe = (value: unknown): string => (value instanceof Error ? `${value.name}: ${value.message}` : String(value));

/**
 * Watches this process for faults a task can cause without its promise saying so (a task process, or
 * `flyte-ts` itself). Node would otherwise exit 1 with no result file on an unhandled rejection or an
 * uncaught exception, and exit 13 with none (or hang) when the task's promise can never settle: when
 * the event loop has nothing left to do ("beforeExit") yet the work is still pending, nothing can ever
 * settle it. Installs its handlers once per process.
 */
export function watchProcess(): ProcessWatch {
  if (active) return active;
  let fail: (fault: ProcessFault) => void = () => undefined;
  const faults = new Promise<never>((_, reject) => (fail = reject));
  // Observed here so that the faults promise itself never counts as unhandled.
  faults.catch(() => undefined);
  process.on("unhandledRejection", (reason) => {
    fail(new ProcessFault("USER:UnhandledRejection", `a promise was rejected and nothing handled the rejection: ${describe(reason)}`, { cause: reason }));
  });
  process.on("uncaughtException", (error) => {
    fail(new ProcessFault("USER:UncaughtException", `an exception was thrown where nothing could catch it (a callback or timer): ${describe(error)}`, { cause: error }));
  });
  process.on("beforeExit", () => {
    fail(
      new ProcessFault(
        "USER:NeverSettled",
        "the task's promise can never settle: nothing is left for it to wait on (no timer, socket or file operation is pending); " +
          "check that every promise it awaits is resolved or rejected",
      ),
    );
  });
  active = { faults };
  return active;
}

/**
 * Ends the process with `code` once stdout and stderr are written, whatever handles user code left open
 * (only the streams that were opened: opening one just to flush it would cost a task's start; see stdio.ts).
 */
export async function exitProcess(code: number): Promise<never> {
  const streams = (["stdout", "stderr"] as const).filter(stdioOpened).map((name) => process[name]);
  await Promise.all(streams.map((stream) => new Promise<void>((resolve) => stream.write("", () => resolve()))));
  process.exit(code);
}
