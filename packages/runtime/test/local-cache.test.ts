import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { defaultCacheDir, LocalCache, runLocally, type NodeEvent } from "../src/index.js";
import { staticWf } from "../../../examples/workflows/src/static-wf.js";
import { cachedMany, cachedSquare, calls, failing, fileLength, writesFile } from "./fixtures/local.js";

const here = dirname(fileURLToPath(import.meta.url));
const exec = promisify(execFile);
const fresh = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));
const scratch = () => ({ workDir: fresh("flyte-ts-cache-run-") });

const savedEnv = { ...process.env };
afterEach(() => {
  for (const name of ["TMPDIR", "XDG_CACHE_HOME", "HOME"]) {
    if (savedEnv[name] === undefined) delete process.env[name];
    else process.env[name] = savedEnv[name];
  }
});

describe("the local cache", () => {
  it("takes many writers of the same entry at once in one run", async () => {
    const cacheDir = fresh("flyte-ts-cache-");
    calls.cached = 0;
    expect(await runLocally(cachedMany, { n: 24, x: 3 }, { ...scratch(), cacheDir })).toEqual({ o0: 24 * 9 });
    expect(readdirSync(cacheDir).filter((f) => f.endsWith(".pb"))).toHaveLength(1);
    expect(readdirSync(cacheDir).filter((f) => f.includes("partial"))).toEqual([]);
    // The next run reads it.
    const before = calls.cached;
    expect(await runLocally(cachedMany, { n: 3, x: 3 }, { ...scratch(), cacheDir })).toEqual({ o0: 27 });
    expect(calls.cached).toBe(before);
  });

  it("takes writers of the same entry from several processes", { timeout: 120_000 }, async () => {
    const dir = fresh("flyte-ts-cache-procs-");
    const writer = join(here, "fixtures", "cache-writer.ts");
    const key = "a".repeat(64);
    const runs = Array.from({ length: 4 }, () =>
      exec(process.execPath, ["--conditions=@flytekit-ts/source", "--import", "tsx", writer, dir, key, "150"], { cwd: here }),
    );
    await Promise.all(runs);
    expect(readdirSync(dir)).toEqual([`${key}.pb`]);
    expect(Number((await new LocalCache(dir).get(key))?.literals?.["o0"]?.scalar?.primitive?.integer)).toBe(7);
  });

  it("warns, and does not fail the node, when an entry cannot be written", async () => {
    const notADirectory = join(fresh("flyte-ts-cache-file-"), "cache");
    writeFileSync(notADirectory, "a file where the cache directory should be");
    const warnings: string[] = [];
    calls.cached = 0;
    expect(await runLocally(cachedSquare, { x: 5, note: "" }, { ...scratch(), cacheDir: notADirectory, onWarning: (w) => warnings.push(w) })).toEqual({ o0: 25 });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/local\.cached_square\): could not write its outputs to the local cache in .*cache: .*(ENOTDIR|EEXIST)/);
  });

  it("runs cached tasks again and replaces their entries with overwriteCache", async () => {
    const cacheDir = fresh("flyte-ts-cache-");
    calls.cached = 0;
    const events: NodeEvent[] = [];
    await runLocally(cachedSquare, { x: 6, note: "" }, { ...scratch(), cacheDir });
    await runLocally(cachedSquare, { x: 6, note: "" }, { ...scratch(), cacheDir, overwriteCache: true, onEvent: (e) => events.push(e) });
    expect(calls.cached).toBe(2);
    expect(events.map((e) => e.phase)).toEqual(["running", "succeeded"]);
    await runLocally(cachedSquare, { x: 6, note: "" }, { ...scratch(), cacheDir, onEvent: (e) => events.push(e) });
    expect(calls.cached).toBe(2);
    expect(events.at(-1)?.phase).toBe("cached");
  });

  it("lives in the user's cache directory by default, so that runs reuse it", async () => {
    expect(defaultCacheDir({ XDG_CACHE_HOME: "/x/cache" })).toBe("/x/cache/flyte-ts/local-cache");
    process.env["HOME"] = "/home/someone";
    expect(defaultCacheDir({})).toBe("/home/someone/.flyte-ts/local-cache");

    const xdg = fresh("flyte-ts-xdg-");
    process.env["XDG_CACHE_HOME"] = xdg;
    calls.cached = 0;
    await runLocally(cachedSquare, { x: 8, note: "" }, scratch());
    await runLocally(cachedSquare, { x: 8, note: "" }, scratch());
    expect(calls.cached).toBe(1);
    expect(readdirSync(join(xdg, "flyte-ts", "local-cache")).filter((f) => f.endsWith(".pb"))).toHaveLength(1);
  });
});

describe("a local run's temporary directory", () => {
  it("is removed after the run, whether it succeeds or fails", async () => {
    const tmp = fresh("flyte-ts-tmpdir-");
    process.env["TMPDIR"] = tmp;
    const events: NodeEvent[] = [];
    expect(await runLocally(fileLength, { text: "four" }, { cacheDir: false, onEvent: (e) => events.push(e) })).toEqual({ o0: 4 });
    expect(events.filter((e) => e.phase === "succeeded")).toHaveLength(2);
    expect(readdirSync(join(tmp, "flyte-ts"))).toEqual([]);
    await expect(runLocally(failing, { a: 1 }, { cacheDir: false })).rejects.toThrow(/boom at 2/);
    expect(await runLocally(staticWf, { a: 5, s: "hi" }, { cacheDir: false })).toEqual({ o0: "hi-7!", o1: 14 });
    expect(readdirSync(join(tmp, "flyte-ts"))).toEqual([]);
  });

  it("keeps the raw outputs the run's outputs point to, and nothing else", async () => {
    const tmp = fresh("flyte-ts-tmpdir-");
    process.env["TMPDIR"] = tmp;
    const { o0 } = await runLocally(writesFile, { text: "kept" }, { cacheDir: false });
    expect(readFileSync(o0.path, "utf8")).toBe("kept");
    const [run] = readdirSync(join(tmp, "flyte-ts"));
    expect(readdirSync(join(tmp, "flyte-ts", run ?? ""))).toEqual(["raw"]);
    expect(existsSync(join(tmp, "flyte-ts", run ?? "", "work"))).toBe(false);
  });
});
