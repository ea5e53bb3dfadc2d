import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The published shape, not the sources: build, pack, unpack into a scratch project outside the repo
 * (dependencies linked from this workspace, so no registry is needed), and load it as users do.
 */
const pkgDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
let scratch = "";

function run(file: string, args: string[], cwd: string): string {
  return execFileSync(file, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), "flytekit-ts-idl-pack-"));
  // Through turbo, as the other packaging tests build: a no-op when `pnpm test` has built already, where
  // tsup itself would clean dist/ while another test packs it.
  run(join(pkgDir, "..", "..", "node_modules", ".bin", "turbo"), ["run", "build", "--filter=@flytekit-ts/idl", "--output-logs=errors-only"], pkgDir);
  run("npm", ["pack", "--silent", "--pack-destination", scratch], pkgDir);
  const tarball = readdirSync(scratch).find((f) => f.endsWith(".tgz"));
  if (!tarball) throw new Error("npm pack produced no tarball");
  const installed = join(scratch, "node_modules", "@flytekit-ts", "idl");
  mkdirSync(installed, { recursive: true });
  run("tar", ["xzf", join(scratch, tarball), "-C", installed, "--strip-components=1"], scratch);
  for (const dep of ["protobufjs", "long"]) {
    symlinkSync(realpathSync(join(pkgDir, "node_modules", dep)), join(scratch, "node_modules", dep));
  }
  writeFileSync(join(scratch, "package.json"), JSON.stringify({ name: "scratch", private: true }));
  // Builds with tsup and packs with npm: minutes on a loaded 2-core machine.
}, 600_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const probe = `
  const spec = flyteidl.admin.TaskSpec.create({ template: { type: "python-task", id: { name: "t" } } });
  const bytes = flyteidl.admin.TaskSpec.encode(spec).finish();
  console.log(JSON.stringify(toProtoJson(flyteidl.admin.TaskSpec, flyteidl.admin.TaskSpec.decode(bytes))));
`;
const expected = { template: { type: "python-task", id: { name: "t" } } };

// Every test starts a Node process (or tsc) on the packed package.
describe("the packed @flytekit-ts/idl", { timeout: 120_000 }, () => {
  it("ships only dist, README, LICENSE and package.json", () => {
    const files = readdirSync(join(scratch, "node_modules", "@flytekit-ts", "idl")).sort();
    expect(files).toEqual(["LICENSE", "README.md", "dist", "package.json"]);
  });

  it("imports from a plain Node ESM script", () => {
    const script = join(scratch, "probe.mjs");
    writeFileSync(script, `import { flyteidl, toProtoJson } from "@flytekit-ts/idl";\n${probe}`);
    expect(JSON.parse(run(process.execPath, [script], scratch))).toEqual(expected);
  });

  it("loads with require()", () => {
    const script = join(scratch, "probe.cjs");
    writeFileSync(script, `const { flyteidl, toProtoJson } = require("@flytekit-ts/idl");\n${probe}`);
    expect(JSON.parse(run(process.execPath, [script], scratch))).toEqual(expected);
  });

  it("type-checks a consumer against the bundled declarations", () => {
    const consumer = join(scratch, "consumer.mts");
    writeFileSync(
      consumer,
      `import { flyteidl } from "@flytekit-ts/idl";\n` +
        `const t: flyteidl.core.TaskTemplate = flyteidl.core.TaskTemplate.create({ type: "x" });\n` +
        `const n: number = flyteidl.core.ResourceType.TASK;\nexport { t, n };\n`,
    );
    const tsc = join(pkgDir, "..", "..", "node_modules", "typescript", "bin", "tsc");
    const args = ["--noEmit", "--strict", "--module", "nodenext", "--moduleResolution", "nodenext", "--skipLibCheck", "false"];
    symlinkSync(realpathSync(join(pkgDir, "..", "..", "node_modules", "@types")), join(scratch, "node_modules", "@types"));
    run(process.execPath, [tsc, ...args, "--types", "node", consumer], scratch);
  }, 600_000);
});
