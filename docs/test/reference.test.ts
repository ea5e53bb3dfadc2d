import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const docs = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const repo = resolve(docs, "..");
const typedocBin = join(docs, "node_modules", "typedoc", "bin", "typedoc");

/**
 * Runs typedoc with an options file, writing the site to `out` (a temporary directory: `pnpm docs:build`
 * writes docs/api) or, without one, only validating. The options treat warnings as errors, so a
 * non-zero exit means a finding; the output says which.
 */
async function typedoc(options: string, out?: string): Promise<{ code: number; output: string }> {
  const where = out === undefined ? ["--emit", "none"] : ["--out", out];
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [typedocBin, "--options", options, ...where], {
      cwd: docs,
      env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
      maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === "number" ? failed.code : -1, output: `${failed.stdout ?? ""}${failed.stderr ?? ""}` };
  }
}

interface Manifest {
  name: string;
  private?: boolean;
  exports?: Record<string, unknown>;
}

// typedoc.json allows // comments on lines of their own (typedoc reads it as tsconfig-style JSON).
const options = JSON.parse(readFileSync(join(docs, "typedoc.json"), "utf8").replace(/^\s*\/\/.*$/gm, "")) as {
  entryPoints: string[];
  packagesRequiringDocumentation: string[];
};

// The two typedoc runs are independent processes: run side by side, the file takes as long as the longer one.
describe("the API reference", { concurrent: true }, () => {
  it("covers every published package: its entry point is documented and its doc comments are required", () => {
    const published = readdirSync(join(repo, "packages"))
      .filter((dir) => existsSync(join(repo, "packages", dir, "package.json")))
      .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(repo, "packages", dir, "package.json"), "utf8")) as Manifest }))
      .filter(({ manifest }) => manifest.private !== true);
    expect(published.length).toBeGreaterThanOrEqual(8);
    for (const { dir, manifest } of published) {
      // Only "." (and package.json) is exported: a new subpath export needs its own entry point here.
      expect(Object.keys(manifest.exports ?? {}).filter((key) => key !== "./package.json"), manifest.name).toEqual(["."]);
      expect(options.entryPoints, manifest.name).toContain(`../packages/${dir}/src/index.ts`);
      expect(options.packagesRequiringDocumentation, manifest.name).toContain(manifest.name);
    }
  });

  // The whole check: every public export documented, every {@link} and relative link resolving, the guides included.
  it("builds without a warning", { timeout: 600_000 }, async () => {
    const out = mkdtempSync(join(tmpdir(), "flytekit-ts-api-"));
    const { code, output } = await typedoc("typedoc.json", out).finally(() => rmSync(out, { recursive: true, force: true }));
    expect(output.trim().split("\n").filter((line) => /warning|error/i.test(line)), output).toEqual([]);
    expect(code).toBe(0);
  });

  it("fails on an undocumented public export and on a broken link (the same options over a faulty fixture)", { timeout: 600_000 }, async () => {
    const { code, output } = await typedoc("test/fixtures/reference/typedoc.json");
    expect(code).not.toBe(0);
    expect(output).toMatch(/undocumentedExport .*does not have any documentation/);
    expect(output).toMatch(/Failed to resolve link to "NoSuchExport" in comment for documented/);
    expect(output).not.toMatch(/documented \(CallSignature\).*does not have any documentation/);
  });
});
