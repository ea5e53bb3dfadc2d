#!/usr/bin/env node
// Every task pod starts here, so the entrypoints load only what they need, not the rest of the CLI.
const argv = process.argv.slice(2);
// The process ends once its work is done, whatever user code left behind (timers, sockets, a promise that
// never settles, a rejection nobody handled): the watch turns those into failures, exitProcess ends it.
const { watchProcess, exitProcess, trackStdio, writeErrorLine } = await import("@flytekit-ts/runtime");
// Its own lines go to stderr without opening process.stderr (a pipe's stream costs a task ~2 ms to open).
trackStdio();
const err = writeErrorLine;
// Stack traces of built task code point at the TypeScript lines (flyte-ts package ships source maps).
// Turned on only now: Node reads the source map of every module loaded while they are on, and the
// SDK's own (already loaded above) would cost a task process ~10 MB and ~25 ms at start for nothing.
process.setSourceMapsEnabled(true);
const watch = watchProcess();
let code: number;
try {
  if (argv[0] === "execute") {
    const { executeCommand } = await import("@flytekit-ts/runtime");
    code = await executeCommand(argv.slice(1), err);
  } else if (argv[0] === "execute-map") {
    const { executeMapCommand } = await import("@flytekit-ts/runtime");
    code = await executeMapCommand(argv.slice(1), err);
  } else if (argv[0] === "fast-execute") {
    const { fastExecuteCommand } = await import("./remote/fast-execute-command.js");
    code = await fastExecuteCommand(argv.slice(1), err);
  } else {
    const { main } = await import("./main.js");
    code = await Promise.race([main(argv), watch.faults]);
  }
} catch (error) {
  err(`error: ${error instanceof Error ? error.message : String(error)}`);
  code = 1;
}
await exitProcess(code);
