#!/usr/bin/env node
// Every task pod starts here, so the entrypoints load only what they need, not the rest of the CLI.
const argv = process.argv.slice(2);
// Stack traces of built task code point at the TypeScript lines (flyte-ts package ships source maps).
process.setSourceMapsEnabled(true);
const err = (line: string): void => console.error(line);
if (argv[0] === "execute") {
  const { executeCommand } = await import("@flytekit-ts/runtime");
  process.exitCode = await executeCommand(argv.slice(1), err);
} else if (argv[0] === "execute-map") {
  const { executeMapCommand } = await import("@flytekit-ts/runtime");
  process.exitCode = await executeMapCommand(argv.slice(1), err);
} else if (argv[0] === "fast-execute") {
  const { fastExecuteCommand } = await import("./remote/fast-execute-command.js");
  process.exitCode = await fastExecuteCommand(argv.slice(1), err);
} else {
  const { main } = await import("./main.js");
  process.exitCode = await main(argv);
}
