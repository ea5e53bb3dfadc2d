import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { encodeRegistrationContext, REGISTRATION_CONTEXT_ENV } from "@flytekit-ts/compiler";
import { flyteidl } from "@flytekit-ts/idl";
import { fromLiteralMap, LocalStorage, t, toLiteralMap } from "@flytekit-ts/types";
import { Checkpoint, currentContext, Deck, escapeHtml, execute, nodeIdFromOutputPrefix, parseExecuteArgs, renderDeckPage, runLocally } from "../src/index.js";
import { contextWorkflow, deckWhere } from "./fixtures/context-flows.js";

const here = dirname(fileURLToPath(import.meta.url));
/** Each run loads task modules (the first through tsx) or starts a process: slow on a loaded machine. */
const heavy = { timeout: 120_000 };
const MODULE = "fixtures/context-flows.ts";

/** What propeller puts into every task pod's environment (contract §5.7). */
const POD_ENV = {
  FLYTE_INTERNAL_EXECUTION_PROJECT: "flytesnacks",
  FLYTE_INTERNAL_EXECUTION_DOMAIN: "development",
  FLYTE_INTERNAL_EXECUTION_ID: "abc123exec",
  FLYTE_INTERNAL_EXECUTION_WORKFLOW: "flytesnacks:development:ctx.wf",
  FLYTE_INTERNAL_TASK_PROJECT: "flytesnacks",
  FLYTE_INTERNAL_TASK_DOMAIN: "development",
  FLYTE_INTERNAL_TASK_NAME: "ctx.whoami",
  FLYTE_INTERNAL_TASK_VERSION: "v7",
};

interface RunOptions {
  env?: Record<string, string>;
  /** The attempt's output prefix, as propeller lays it out: `<execution dir>/<node>/data/<attempt>`. */
  attempt?: number;
  dir?: string;
  checkpoint?: { path: string; prev?: string };
}

async function run(name: string, types: Parameters<typeof toLiteralMap>[0], values: Record<string, unknown>, options: RunOptions = {}) {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), "flyte-ts-ctx-"));
  const attempt = options.attempt ?? 0;
  const out = join(dir, "n2", "data", String(attempt));
  writeFileSync(join(dir, "inputs.pb"), flyteidl.core.LiteralMap.encode((await toLiteralMap(types, values as never)) as flyteidl.core.LiteralMap).finish());
  const args = parseExecuteArgs([
    "--inputs", join(dir, "inputs.pb"),
    "--output-prefix", out,
    "--raw-output-data-prefix", join(dir, "raw"),
    "--checkpoint-path", options.checkpoint?.path ?? "{{.checkpointOutputPrefix}}",
    "--prev-checkpoint", options.checkpoint?.prev ?? '""',
    "--", "module", MODULE, "name", name,
  ]);
  const outcome = await execute(args, { sourceRoot: here, env: { ...POD_ENV, FLYTE_ATTEMPT_NUMBER: String(attempt), ...options.env } });
  return { dir, out, outcome, files: readdirSync(out).sort(), bytes: readFileSync(outcome.uri) };
}

const outputString = async (bytes: Uint8Array) => (await fromLiteralMap({ o0: t.string() }, flyteidl.core.LiteralMap.decode(bytes))).o0;
const errorMessage = (bytes: Uint8Array) => (flyteidl.core.ErrorDocument.decode(bytes).error as flyteidl.core.ContainerError).message;

describe("currentContext() under flyte-ts execute", heavy, () => {
  it("gives the execution id, task id, node, attempt, a fresh working directory and the prefixes from the pod", async () => {
    const { outcome, bytes, out, dir } = await run("whoami", {}, {}, { attempt: 2 });
    expect(outcome.file).toBe("outputs.pb");
    expect(JSON.parse(await outputString(bytes))).toEqual({
      executionId: { project: "flytesnacks", domain: "development", name: "abc123exec" },
      taskId: { project: "flytesnacks", domain: "development", name: "ctx.whoami", version: "v7" },
      nodeId: "n2",
      attempt: 2,
      workingDirectory: expect.stringContaining(join(tmpdir(), "flyte-ts", "work", "task-")),
      workingDirectoryExists: true,
      rawOutputPrefix: join(dir, "raw"),
      outputPrefix: out,
      isLocal: false,
      decksEnabled: false,
    });
  });

  it("reads flytekit's short aliases of the FLYTE_INTERNAL_* variables", async () => {
    const env = { FLYTE_INTERNAL_EXECUTION_ID: "", FLYTE_INTERNAL_TASK_VERSION: "", _F_NM: "short-name", _F_TK_V: "v9" };
    const seen = JSON.parse(await outputString((await run("whoami", {}, {}, { env })).bytes));
    expect([seen.executionId.name, seen.taskId.version]).toEqual(["short-name", "v9"]);
  });

  it("is there in a dynamic's body too", async () => {
    const env = { [REGISTRATION_CONTEXT_ENV]: encodeRegistrationContext({ project: "flytesnacks", domain: "development", version: "v7", image: "img" }) };
    const { outcome, bytes } = await run("dynamicWhoami", {}, {}, { env });
    expect(outcome.file).toBe("outputs.pb");
    expect(await outputString(bytes)).toBe("abc123exec/ctx.whoami");
  });

  it("is not available outside a running task", () => {
    expect(() => currentContext()).toThrow(/only available while a task or dynamic body runs/);
  });

  it("finds the node id where propeller's layout puts it, and nothing where it cannot tell", () => {
    expect(nodeIdFromOutputPrefix("s3://b/metadata/propeller/p-d-abc/n0/data/0", 0)).toBe("n0");
    expect(nodeIdFromOutputPrefix("s3://b/metadata/propeller/p-d-abc/n0/data/0/dn3/1/", 1)).toBe("dn3");
    expect(nodeIdFromOutputPrefix("s3://b/somewhere/else", 0)).toBeUndefined();
  });
});

describe("secrets", heavy, () => {
  it("reads the environment variable flytekit reads: _FSEC_<GROUP>_<KEY>, and with a group version _FSEC_<GROUP>_<VERSION>_<KEY>", async () => {
    const env = { _FSEC_DB_PASSWORD: "  hunter2\n", _FSEC_API_V2_TOKEN: "tok" };
    expect(await outputString((await run("readSecret", { which: t.string() }, { which: "db" }, { env })).bytes)).toBe("hunter2");
    expect(await outputString((await run("readSecret", { which: t.string() }, { which: "api" }, { env })).bytes)).toBe("tok");
  });

  it("reads mounted files <dir>/<group>/<version>/<prefix><key>, with the directory and prefixes set by FLYTE_SECRETS_*", async () => {
    const secretsDir = mkdtempSync(join(tmpdir(), "flyte-ts-secrets-"));
    mkdirSync(join(secretsDir, "db"));
    writeFileSync(join(secretsDir, "db", "pre-password"), "from-a-file\n");
    mkdirSync(join(secretsDir, "api", "v2"), { recursive: true });
    writeFileSync(join(secretsDir, "api", "v2", "pre-token"), "file-token");
    const env = { FLYTE_SECRETS_DEFAULT_DIR: secretsDir, FLYTE_SECRETS_FILE_PREFIX: "pre-" };
    expect(await outputString((await run("readSecret", { which: t.string() }, { which: "db" }, { env })).bytes)).toBe("from-a-file");
    expect(await outputString((await run("readSecret", { which: t.string() }, { which: "api" }, { env })).bytes)).toBe("file-token");
    // The variable comes first, under the configured prefix.
    const both = { ...env, FLYTE_SECRETS_ENV_PREFIX: "MY_", MY_DB_PASSWORD: "from-env" };
    expect(await outputString((await run("readSecret", { which: t.string() }, { which: "db" }, { env: both })).bytes)).toBe("from-env");
  });

  it("fails with the secret's name and every place it looked; an undeclared secret's error says to declare it", async () => {
    const env = { FLYTE_SECRETS_DEFAULT_DIR: "/nonexistent/secrets" };
    const declared = await run("readSecret", { which: t.string() }, { which: "db" }, { env });
    expect(declared.outcome.file).toBe("error.pb");
    expect(errorMessage(declared.bytes)).toMatch(
      /secret "db" key "password" not found: looked in environment variable _FSEC_DB_PASSWORD and file \/nonexistent\/secrets\/db\/password; it is declared/,
    );
    const undeclared = await run("readSecret", { which: t.string() }, { which: "other" }, { env });
    expect(errorMessage(undeclared.bytes)).toMatch(/secret "other" key "key" not found: .*_FSEC_OTHER_KEY.*\/nonexistent\/secrets\/other\/key; the task does not declare it: add \{ group: "other", key: "key" \} to the task's secretRequests/);
  });

  it("does not read the unprefixed variable on a cluster (flytekit tries it in local runs only)", async () => {
    const { bytes } = await run("readSecret", { which: t.string() }, { which: "db" }, { env: { DB_PASSWORD: "unprefixed", FLYTE_SECRETS_DEFAULT_DIR: "/nonexistent" } });
    expect(errorMessage(bytes)).toMatch(/not found/);
  });
});

describe("decks", heavy, () => {
  it("writes deck.html beside outputs.pb with markdown rendered, cells and names escaped, raw HTML kept, and Input/Output tabs", async () => {
    const { outcome, files, out } = await run("report", { n: t.int(), label: t.string() }, { n: 21, label: "a<b" });
    expect(outcome.file).toBe("outputs.pb");
    expect(files).toEqual(["deck.html", "outputs.pb"]);
    const html = readFileSync(join(out, "deck.html"), "utf8");
    expect(html).toMatch(/^<!doctype html>/);
    // Tabs in order: the decks the task made, then its inputs and outputs.
    expect([...html.matchAll(/<li data-tab="\d+"[^>]*>([^<]*)<\/li>/g)].map((m) => m[1])).toEqual(["Default", "Rows", "Raw", "Input", "Output"]);
    expect(html).toContain("<h1>Report for a&lt;b</h1>");
    expect(html).toContain("<em>emphasis</em>");
    // Raw HTML inside markdown is text, not markup.
    expect(html).not.toContain('<script>alert("md")</script>');
    expect(html).toContain("&lt;script&gt;alert(&quot;md&quot;)&lt;/script&gt;");
    expect(html).toContain("<td>&#60;b&#62;bold?&#60;/b&#62;</td><td>21</td>");
    expect(html).toContain("<td>second</td><td>{&#34;nested&#34;:[1,2]}</td>");
    expect(html).toContain('<em class="mine">raw html</em>');
    expect(html).toContain("<td>label</td><td>a&#60;b</td>");
    expect(html).toContain("<td>o0</td><td>42</td>");
  });

  it("still writes the deck when the task fails, beside error.pb, without an Output tab", async () => {
    const { outcome, files, out } = await run("reportThenFail", { n: t.int() }, { n: 5 });
    expect(outcome.file).toBe("error.pb");
    expect(files).toEqual(["deck.html", "error.pb"]);
    const html = readFileSync(join(out, "deck.html"), "utf8");
    expect(html).toContain("got 5 before failing");
    expect(html).not.toContain(">Output<");
  });

  it("writes nothing when the task does not enable decks", async () => {
    expect((await run("noDeck", {}, {})).files).toEqual(["outputs.pb"]);
  });

  it("escapes the five HTML-special characters and renders a page with no deck", async () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/a&#62;");
    const page = await renderDeckPage([new Deck("<tab>").text("1 < 2")]);
    expect(page).toContain(">&#60;tab&#62;</li>");
    expect(page).toContain("<pre>1 &#60; 2</pre>");
    expect(() => new Deck("")).toThrow(/non-empty string/);
    // markdown-it refuses script links: the text stays, the link does not.
    const links = await new Deck("links").markdown("[click](javascript:alert(1)) and [ok](https://flyte.org)").render();
    expect(links).not.toContain('href="javascript:');
    expect(links).toContain('<a href="https://flyte.org">ok</a>');
  });
});

describe("checkpoints", heavy, () => {
  it("lets a retry read what the failed attempt saved (--checkpoint-path / --prev-checkpoint)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "flyte-ts-cp-"));
    const first = await run("resumable", {}, {}, { dir, attempt: 0, checkpoint: { path: join(dir, "cp", "0") } });
    expect(first.outcome.file).toBe("error.pb");
    expect(existsSync(join(dir, "cp", "0", "_dst_cp"))).toBe(true);
    const second = await run("resumable", {}, {}, { dir, attempt: 1, checkpoint: { path: join(dir, "cp", "1"), prev: join(dir, "cp", "0") } });
    expect(second.outcome.file).toBe("outputs.pb");
    expect(await outputString(second.bytes)).toBe("resumed: progress from attempt 0");
  });

  it("treats a previous attempt that saved nothing as no checkpoint", async () => {
    const dir = mkdtempSync(join(tmpdir(), "flyte-ts-cp-"));
    const { outcome } = await run("resumable", {}, {}, { dir, checkpoint: { path: join(dir, "cp", "1"), prev: join(dir, "cp", "never-written") } });
    expect(outcome.file).toBe("error.pb");
    expect(existsSync(join(dir, "cp", "1", "_dst_cp"))).toBe(true);
  });

  it("saves files and directories and restores them into a directory (flytekit's save/restore)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "flyte-ts-cp-"));
    const work = join(dir, "state");
    mkdirSync(join(work, "sub"), { recursive: true });
    writeFileSync(join(work, "model.bin"), "weights");
    writeFileSync(join(work, "sub", "step.txt"), "3");
    const first = new Checkpoint(new LocalStorage(), join(dir, "cp0"), undefined, () => join(dir, "scratch0"));
    expect(first.prevExists()).toBe(false);
    expect(await first.restore()).toBeUndefined();
    await first.save(work);
    await first.save(join(work, "model.bin"));
    const retry = new Checkpoint(new LocalStorage(), join(dir, "cp1"), join(dir, "cp0"), () => join(dir, "scratch1"));
    expect(retry.prevExists()).toBe(true);
    const restored = await retry.restore(join(dir, "restored"));
    expect(restored).toBe(join(dir, "restored"));
    expect(readFileSync(join(dir, "restored", "sub", "step.txt"), "utf8")).toBe("3");
    expect(readFileSync(join(dir, "restored", "model.bin"), "utf8")).toBe("weights");
    // More than one file is not a single checkpoint to read.
    await expect(retry.read()).rejects.toThrow(/expected exactly one checkpoint file, found 2/);
  });

  it("is a clear error when Flyte gave no checkpoint prefix", async () => {
    const { bytes } = await run("resumable", {}, {});
    expect(errorMessage(bytes)).toMatch(/checkpointing is not available: the task was started without --checkpoint-path/);
  });
});

describe("currentContext() in local runs", heavy, () => {
  it("gives a local execution, the node path, attempts with checkpoints carried over, decks under the run directory, and unprefixed secrets", async () => {
    const workDir = mkdtempSync(join(tmpdir(), "flyte-ts-ctx-local-"));
    process.env["DB_PASSWORD"] = "local-password";
    try {
      const outputs = await runLocally(contextWorkflow, {}, { workDir, cacheDir: false });
      const who = JSON.parse(outputs.who);
      expect(who).toMatchObject({
        executionId: { project: "local", domain: "local", name: expect.stringMatching(/^local-\d+-\d+$/) },
        taskId: { project: "local", domain: "local", name: "ctx.whoami", version: "local" },
        nodeId: "n0",
        attempt: 0,
        workingDirectoryExists: true,
        rawOutputPrefix: join(workDir, "raw"),
        outputPrefix: join(workDir, "outputs", "n0", "0"),
        isLocal: true,
      });
      expect(who.workingDirectory.startsWith(join(workDir, "work"))).toBe(true);
      // The first attempt failed recoverably after saving; the retry (attempt 1) read it back.
      expect(outputs.resumed).toBe("resumed: progress from attempt 0");
      expect(outputs.doubled).toBe(8);
      expect(readFileSync(join(workDir, "outputs", "n2", "0", "deck.html"), "utf8")).toContain("<h1>Report for local</h1>");
      expect(outputs.secret).toBe("local-password");
    } finally {
      delete process.env["DB_PASSWORD"];
    }
  });

  it("keeps a run's decks when its temporary directory is removed", async () => {
    const { o0: outputPrefix } = await runLocally(deckWhere, {}, { cacheDir: false });
    expect(outputPrefix.startsWith(join(tmpdir(), "flyte-ts", "decks", "local-"))).toBe(true);
    expect(readFileSync(join(outputPrefix, "deck.html"), "utf8")).toContain("kept after the run");
  });
});

describe("the flyte-ts execute process", heavy, () => {
  const bin = resolve(here, "../../cli/src/bin.ts");
  it("installs the context and writes the deck and its log line in a real process", async () => {
    const dir = mkdtempSync(join(tmpdir(), "flyte-ts-ctx-proc-"));
    const out = join(dir, "n0", "data", "1");
    writeFileSync(join(dir, "inputs.pb"), flyteidl.core.LiteralMap.encode((await toLiteralMap({ n: t.int(), label: t.string() }, { n: 2, label: "proc" })) as flyteidl.core.LiteralMap).finish());
    const args = ["execute", "--inputs", join(dir, "inputs.pb"), "--output-prefix", out, "--raw-output-data-prefix", join(dir, "raw"), "--checkpoint-path", join(dir, "cp"), "--prev-checkpoint", '""', "--", "module", MODULE, "name", "report"];
    const env = { ...(process.env as Record<string, string>), ...POD_ENV, FLYTE_ATTEMPT_NUMBER: "1" };
    const { stderr } = await promisify(execFile)(process.execPath, ["--conditions=@flytekit-ts/source", "--import", "tsx", bin, ...args], { cwd: here, env });
    expect(readdirSync(out).sort()).toEqual(["deck.html", "outputs.pb"]);
    expect((await fromLiteralMap({ o0: t.int() }, flyteidl.core.LiteralMap.decode(readFileSync(join(out, "outputs.pb"))))).o0).toBe(4);
    expect(readFileSync(join(out, "deck.html"), "utf8")).toContain("<h1>Report for proc</h1>");
    // The task's logger writes to stderr, which Flyte shows as the task's log.
    expect(stderr).toMatch(/INFO \[ctx\.report\] wrote the deck to .*deck\.html/);
  });
});
