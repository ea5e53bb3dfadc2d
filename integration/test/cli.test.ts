import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { flyteTs as cli } from "./support/cli.js";
import { IMAGE } from "./support/remote.js";
import { sandbox } from "./support/sandbox.js";

/** `flyte-ts …` as a user types it, in examples/workflows, with the config file `pnpm flyte:up` wrote. */
const flyteTs = (...args: string[]) => cli(args);

const work = mkdtempSync(join(tmpdir(), "flyte-ts-cli-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const config = () => ["--config", sandbox().configFile];

describe("flyte-ts against the real FlyteAdmin", () => {
  it("`flyte-ts register` registers a package bundle and, again, reports it unchanged", async () => {
    const bundle = join(work, "static-wf.tgz");
    expect((await flyteTs("package", "src/static-wf.ts", "--image", IMAGE, "-o", bundle)).code).toBe(0);
    const version = `cli-${Date.now().toString(36)}`;
    const first = await flyteTs("register", bundle, "--version", version, "--activate", ...config());
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout.trim().split("\n")).toEqual([
      `registered TASK flytesnacks/development/examples.static_wf.t1@${version}`,
      `registered TASK flytesnacks/development/examples.static_wf.t2@${version}`,
      `registered TASK flytesnacks/development/examples.static_wf.t3@${version}`,
      `registered WORKFLOW flytesnacks/development/examples.static_wf.static_wf@${version}`,
      `registered LAUNCH_PLAN flytesnacks/development/examples.static_wf.static_wf@${version}`,
      `activated  LAUNCH_PLAN flytesnacks/development/examples.static_wf.static_wf@${version}`,
    ]);
    const again = await flyteTs("register", bundle, "--version", version, "-q", ...config());
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout.trim().split("\n").every((l) => l.startsWith("unchanged"))).toBe(true);
  });

  it("`flyte-ts run --remote` fast-registers and launches; the execution ends FAILED (no FlytePropeller) and `get execution` shows it", async () => {
    const launched = await flyteTs("run", "--remote", "--image", IMAGE, "--source-root", ".", "--poll-interval", "0.5", ...config(), "src/static-wf.ts", "staticWf", "--a", "3");
    expect(launched.code, launched.stderr).toBe(3); // a remote execution that ended FAILED
    const executionName = /^launched execution flytesnacks\/development\/(\S+)$/m.exec(launched.stderr)?.[1];
    expect(executionName, launched.stderr).toMatch(/^f[0-9a-f]{19}$/);
    expect(launched.stderr).toMatch(/^uploaded fast[0-9a-f]{32}\.tar\.gz → s3:\/\/flyte-data\//m);
    expect(launched.stderr).toMatch(new RegExp(`^execution flytesnacks/development/${executionName} FAILED: \\[Internal\\] failed to create workflow in propeller`, "m"));

    const got = await flyteTs("get", "execution", executionName ?? "", "--json", ...config());
    expect(got.code, got.stderr).toBe(0);
    const json = JSON.parse(got.stdout) as { id: { name: string }; phase: string; launchPlan: string; error?: { message: string } };
    expect(json.id.name).toBe(executionName);
    expect(json.phase).toBe("FAILED");
    expect(json.launchPlan).toMatch(/^LAUNCH_PLAN flytesnacks\/development\/examples\.static_wf\.static_wf@/);
    expect(json.error?.message).toMatch(/propeller|workflow/i);

    const missing = await flyteTs("get", "execution", "nosuchexecution", ...config());
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/NOT_FOUND/);
  });
});
