#!/usr/bin/env node
// Every task pod starts here, so `execute` loads only the entrypoint, not the rest of the CLI.
const argv = process.argv.slice(2);
if (argv[0] === "execute") {
  const { executeCommand } = await import("@flytekit-ts/runtime");
  process.exitCode = await executeCommand(argv.slice(1));
} else {
  const { main } = await import("./main.js");
  process.exitCode = await main(argv);
}
