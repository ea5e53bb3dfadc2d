import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { EXIT, main } from "../src/index.js";
import { takeRunFlags } from "../src/run-options.js";

const fixtures = resolve(dirname(fileURLToPath(import.meta.url)), "../../runtime/test/fixtures/local.ts");
const fresh = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

/** Runs the fixtures' cached task (x², `note` ignored by the cache); says whether it came from the cache. */
async function square(...flags: string[]): Promise<{ code: number; cached: boolean; out: unknown }> {
  const { io, out, err } = capture();
  const code = await main(["run", fixtures, "cachedSquare", "--x", "4", "--note", "n", ...flags], io);
  return { code, cached: err.some((l) => l.includes("(from cache)")), out: code === EXIT.ok ? JSON.parse(out.join("\n")) : undefined };
}

const savedXdg = process.env["XDG_CACHE_HOME"];
afterEach(() => {
  if (savedXdg === undefined) delete process.env["XDG_CACHE_HOME"];
  else process.env["XDG_CACHE_HOME"] = savedXdg;
});

describe("flyte-ts run: the local cache and parallelism", () => {
  it("caches across runs in the user's cache directory by default", async () => {
    process.env["XDG_CACHE_HOME"] = fresh("flyte-ts-xdg-");
    expect(await square()).toEqual({ code: EXIT.ok, cached: false, out: { o0: 16 } });
    expect(await square()).toEqual({ code: EXIT.ok, cached: true, out: { o0: 16 } });
  });

  it("takes --cache-dir, --no-cache and --overwrite-cache", async () => {
    const xdg = fresh("flyte-ts-xdg-");
    process.env["XDG_CACHE_HOME"] = xdg;
    const dir = fresh("flyte-ts-cli-cache-");
    expect((await square("--cache-dir", dir)).cached).toBe(false);
    expect((await square(`--cache-dir=${dir}`)).cached).toBe(true);
    expect(readdirSync(dir).filter((f) => f.endsWith(".pb"))).toHaveLength(1);
    // --overwrite-cache runs the task and writes the entry again.
    expect((await square("--cache-dir", dir, "--overwrite-cache")).cached).toBe(false);
    expect((await square("--cache-dir", dir)).cached).toBe(true);
    // --no-cache neither reads nor writes a cache.
    expect((await square("--no-cache")).cached).toBe(false);
    expect((await square("--no-cache")).cached).toBe(false);
    expect(readdirSync(xdg)).toEqual([]);
  });

  it("takes --max-parallelism and rejects what is not a count", async () => {
    const { io, out } = capture();
    expect(await main(["run", fixtures, "fanOfWaits", "--n", "3", "--ms", "1", "--max-parallelism", "1", "-q"], io)).toBe(EXIT.ok);
    expect(JSON.parse(out.join("\n")).o0).toHaveLength(3);
    for (const bad of ["0", "two", "1.5"]) {
      const { io: badIo, err } = capture();
      expect(await main(["run", fixtures, "fanOfWaits", "--n", "3", "--ms", "1", "--max-parallelism", bad], badIo)).toBe(EXIT.usage);
      expect(err.join("\n")).toMatch(/--max-parallelism .*expected a whole number of tasks, 1 or more/);
    }
    expect(() => takeRunFlags(["--no-cache", "--cache-dir", "x"])).toThrow(/cannot be given together/);
    expect(() => takeRunFlags(["--cache-dir"])).toThrow(/--cache-dir needs a value/);
    expect(takeRunFlags(["--a", "1", "--max-parallelism", "3", "--b", "x"])).toEqual({ flags: { maxParallelism: 3 }, rest: ["--a", "1", "--b", "x"] });
  });
});
