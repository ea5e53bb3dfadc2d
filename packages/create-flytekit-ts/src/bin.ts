#!/usr/bin/env node
import { main } from "./main.js";

const io = { out: (line: string) => console.log(line), err: (line: string) => console.error(line) };
main(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    io.err(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 1;
  },
);
