import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { flyteidl } from "@flytekit-ts/idl";
import { pnpm, repoRoot } from "../../../test-support/packed-packages.js";

/**
 * The built entrypoint (packages/cli/dist/bin.js, what a pod runs) with stdout and stderr on pipes, as a
 * container's are: its own line reaches stderr without it opening process.stderr (whose stream on a pipe
 * loads Node's networking modules into every task), and what the task prints arrives whole and in order.
 */
const here = dirname(fileURLToPath(import.meta.url));
const bin = resolve(repoRoot, "packages/cli/dist/bin.js");
const work = mkdtempSync(join(tmpdir(), "flyte-ts-stdio-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
// The built code is what is under test: bring it up to date (turbo's cache makes this quick when it is).
beforeAll(() => pnpm(["turbo", "run", "build", "--filter=@flytekit-ts/cli...", "--output-logs=errors-only"], repoRoot), 10 * 60_000);

async function execute(name: string, a: number) {
  const dir = mkdtempSync(join(work, "run-"));
  writeFileSync(join(dir, "inputs.pb"), flyteidl.core.LiteralMap.encode({ literals: { a: { scalar: { primitive: { integer: a } } } } }).finish());
  const probe = join(dir, "probe.json");
  const { stdout, stderr } = await promisify(execFile)(
    process.execPath,
    ["--require", join(here, "probe-stdio.cjs"), bin, "execute", "--inputs", join(dir, "inputs.pb"), "--output-prefix", join(dir, "out"), "--raw-output-data-prefix", join(dir, "raw"), "--", "module", "fixtures/stdio.mjs", "name", name],
    { cwd: here, env: { ...process.env, NODE_OPTIONS: "", STDIO_PROBE_FILE: probe }, maxBuffer: 64 << 20 },
  );
  const out = join(dir, "out");
  return { stdout, stderr, out, files: readdirSync(out), probe: JSON.parse(readFileSync(probe, "utf8")) as { net: boolean } };
}

describe("the entrypoint's stdout and stderr on pipes", () => {
  it("writes its line to stderr without opening the stream when the task prints nothing", { timeout: 120_000 }, async () => {
    const run = await execute("quiet", 41);
    expect(run.files).toEqual(["outputs.pb"]);
    expect(flyteidl.core.LiteralMap.decode(readFileSync(join(run.out, "outputs.pb"))).literals["o0"]?.scalar?.primitive?.integer?.toString()).toBe("42");
    expect(run.stderr).toBe(`wrote ${join(run.out, "outputs.pb")}\n`);
    expect(run.stdout).toBe("");
    expect(run.probe.net, "process.stdout or process.stderr was opened").toBe(false);
  });

  it("keeps what the task prints whole and in order, more than a pipe holds, its line after the task's", { timeout: 120_000 }, async () => {
    const run = await execute("chatty", 2000);
    expect(run.files).toEqual(["outputs.pb"]);
    const lines = run.stdout.split("\n");
    expect(lines).toHaveLength(2001);
    expect(lines.slice(0, 2000)).toEqual(Array.from({ length: 2000 }, (_, i) => `line ${i} ${"x".repeat(100)}`));
    expect(run.stderr).toBe(`the task's own stderr line\nwrote ${join(run.out, "outputs.pb")}\n`);
    expect(run.probe.net).toBe(true);
  });
});
