import { createRequire } from "node:module";

type ChildProcessModule = typeof import("node:child_process");
let childProcess: ChildProcessModule | undefined;

/**
 * `node:child_process`, loaded on first use. It pulls in net, dgram and their bindings: ~0.5 MB and a
 * few milliseconds at the start of every task process, while only the local executor's Python and
 * container tasks start processes (as the compiler loads node:crypto only when it hashes).
 */
export function nodeChildProcess(): ChildProcessModule {
  childProcess ??= createRequire(import.meta.url)("node:child_process") as ChildProcessModule;
  return childProcess;
}
