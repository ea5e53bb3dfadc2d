// Preloaded into the entrypoint process by test/stdio.test.ts: at exit, writes whether Node's networking
// module (what opening process.stdout / process.stderr on a pipe loads) was loaded.
"use strict";
process.on("exit", () => {
  require("node:fs").writeFileSync(process.env.STDIO_PROBE_FILE, JSON.stringify({ net: process.moduleLoadList.includes("NativeModule net") }));
});
