import { writeSync } from "node:fs";

/*
 * process.stdout and process.stderr are made on first use, and for a pipe (a container's stdio) that
 * loads Node's networking and stream modules: ~2 ms and ~0.5 MB of a task process's start, for the one
 * line the entrypoint itself writes. With tracking on, the entrypoint's lines go straight to file
 * descriptor 2 until something else opens the stream, and the exit flush waits only for streams that
 * were opened.
 */

type StdioName = "stdout" | "stderr";
const opened: Record<StdioName, boolean> = { stdout: false, stderr: false };
let tracking = false;

/** Starts noting when process.stdout / process.stderr are first used (by anything: user code, console, Node). */
export function trackStdio(): void {
  if (tracking) return;
  tracking = true;
  for (const name of ["stdout", "stderr"] as const) {
    const descriptor = Object.getOwnPropertyDescriptor(process, name);
    const get = descriptor?.get;
    if (!descriptor?.configurable || !get) {
      opened[name] = true; // cannot be watched: taken as opened
      continue;
    }
    Object.defineProperty(process, name, {
      ...descriptor,
      get() {
        opened[name] = true;
        return get.call(process);
      },
    });
  }
}

/** Whether the stream may hold output: it was opened, or nobody was tracking. */
export function stdioOpened(name: StdioName): boolean {
  return !tracking || opened[name];
}

/**
 * One line to stderr: through process.stderr once it is open (so that it stays in order with what the
 * stream holds), else written whole straight to file descriptor 2.
 */
export function writeErrorLine(line: string): void {
  if (!stdioOpened("stderr")) {
    const bytes = Buffer.from(`${line}\n`);
    try {
      for (let written = 0; written < bytes.length; ) written += writeSync(2, bytes, written);
      return;
    } catch {
      // e.g. EAGAIN on a non-blocking pipe that is full: the stream queues what the descriptor cannot take.
    }
  }
  process.stderr.write(`${line}\n`);
}
