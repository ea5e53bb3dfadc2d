import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "@flytekit-ts/remote";
import { createProject, CreateError, main, type Installer } from "../src/index.js";

const work = mkdtempSync(join(tmpdir(), "create-flytekit-ts-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let counter = 0;
const fresh = () => join(work, `p${++counter}`);

const packagesDir = resolve(fileURLToPath(import.meta.url), "../../..");
const versionOf = (dir: string): string => (JSON.parse(readFileSync(join(packagesDir, dir, "package.json"), "utf8")) as { version: string }).version;
/** The runtime's range of the S3 SDK (its optional peer), which a project depends on for its pods. */
const s3Range = (JSON.parse(readFileSync(join(packagesDir, "runtime", "package.json"), "utf8")) as { peerDependencies: Record<string, string> }).peerDependencies["@aws-sdk/client-s3"];
const read = (dir: string, file: string) => readFileSync(join(dir, file), "utf8");

const EXPECTED_FILES = [".dockerignore", ".gitignore", "Dockerfile", "README.md", "flyte.config.yaml", "package.json", "src/workflows.ts", "test/workflows.test.ts", "tsconfig.json"];

describe("createProject", () => {
  it("writes the project, with this release's flytekit-ts versions and no placeholder left", () => {
    const directory = fresh();
    const created = createProject({ directory, name: "my-flows" });
    expect(created).toEqual({ directory, name: "my-flows", files: EXPECTED_FILES });
    const pkg = JSON.parse(read(directory, "package.json"));
    expect(pkg.name).toBe("my-flows");
    expect(pkg.dependencies).toEqual({ "@aws-sdk/client-s3": s3Range, "@flytekit-ts/cli": `^${versionOf("cli")}`, "flytekit-ts": `^${versionOf("flytekit-ts")}` });
    expect(Object.keys(pkg.devDependencies).sort()).toEqual(["typescript", "vitest"]);
    expect(pkg.overrides).toBeUndefined();
    expect(Object.keys(pkg.scripts).sort()).toEqual(["local", "package", "register", "test", "typecheck"]);
    for (const file of EXPECTED_FILES) expect(read(directory, file), file).not.toMatch(/\{\{|\}\}/);
    expect(read(directory, "Dockerfile")).toMatch(new RegExp(`^FROM ghcr\\.io/flytekit-ts/runtime:${versionOf("cli").replace(/\./g, "\\.")}$`, "m"));
    expect(read(directory, "README.md")).toMatch(/^# my-flows$/m);
    expect(read(directory, ".gitignore")).toMatch(/^flyte-ts-build\/$/m);
  });

  it("names the package after the directory by default", () => {
    const directory = join(fresh(), "sales-forecast");
    expect(createProject({ directory }).name).toBe("sales-forecast");
    expect(JSON.parse(read(directory, "package.json")).name).toBe("sales-forecast");
  });

  it("fills an existing empty directory", () => {
    const directory = fresh();
    mkdirSync(directory);
    expect(createProject({ directory, name: "x" }).files).toEqual(EXPECTED_FILES);
  });

  it("refuses a non-empty directory and changes nothing in it", () => {
    const directory = fresh();
    mkdirSync(directory);
    writeFileSync(join(directory, "notes.txt"), "mine");
    expect(() => createProject({ directory, name: "x" })).toThrow(new CreateError(`${directory} is not empty (notes.txt): choose a new or empty directory, so that nothing of yours is overwritten`));
    expect(readdirSync(directory)).toEqual(["notes.txt"]);
  });

  it("refuses a path that is a file", () => {
    const file = join(work, "a-file");
    writeFileSync(file, "");
    expect(() => createProject({ directory: file })).toThrow(`${file} exists and is not a directory`);
  });

  it("refuses a name npm would not publish, saying where the name came from", () => {
    expect(() => createProject({ directory: fresh(), name: "My Flows" })).toThrow(/the package name "My Flows" has capital letters/);
    expect(() => createProject({ directory: join(fresh(), "_private") })).toThrow(/the package name "_private" \(from the directory's name; choose one with --name\) starts with \. or _/);
    expect(() => createProject({ directory: fresh(), name: "flows!" })).toThrow(/has characters npm does not allow/);
    expect(createProject({ directory: fresh(), name: "@team/flows" }).name).toBe("@team/flows");
  });

  it("points every flytekit-ts package at the tarballs of --tarballs, direct dependencies and overrides alike", () => {
    const packs = join(work, "packs");
    mkdirSync(packs);
    const names = ["idl", "types", "resources", "compiler", "runtime", "remote", "cli"].map((dir) => `flytekit-ts-${dir}-${versionOf(dir)}.tgz`);
    names.push(`flytekit-ts-${versionOf("flytekit-ts")}.tgz`);
    for (const name of names) writeFileSync(join(packs, name), "");
    const directory = fresh();
    createProject({ directory, tarballs: packs });
    const pkg = JSON.parse(read(directory, "package.json"));
    expect(pkg.dependencies).toEqual({ "@aws-sdk/client-s3": s3Range, "@flytekit-ts/cli": `file:${join(packs, names[6] as string)}`, "flytekit-ts": `file:${join(packs, names[7] as string)}` });
    expect(Object.keys(pkg.overrides).sort()).toEqual(["@flytekit-ts/cli", "@flytekit-ts/compiler", "@flytekit-ts/idl", "@flytekit-ts/remote", "@flytekit-ts/resources", "@flytekit-ts/runtime", "@flytekit-ts/types", "flytekit-ts"]);
    expect(pkg.overrides["flytekit-ts"]).toBe(pkg.dependencies["flytekit-ts"]);
  });

  it("names the tarballs --tarballs lacks, and writes nothing", () => {
    const packs = join(work, "few-packs");
    mkdirSync(packs);
    writeFileSync(join(packs, `flytekit-ts-${versionOf("flytekit-ts")}.tgz`), "");
    const directory = fresh();
    expect(() => createProject({ directory, tarballs: packs })).toThrow(new RegExp(`lacks flytekit-ts-idl-${versionOf("idl").replace(/\./g, "\\.")}\\.tgz, .*flytekit-ts-cli-`));
    expect(() => readdirSync(directory)).toThrow(/ENOENT/);
    expect(() => createProject({ directory, tarballs: join(work, "nowhere") })).toThrow(/--tarballs .*nowhere is not a directory/);
  });

  it("writes a config file flyte-ts reads without a warning", () => {
    const directory = fresh();
    createProject({ directory, name: "x" });
    const warnings: string[] = [];
    const config = loadConfig({ configFile: join(directory, "flyte.config.yaml"), env: {}, logger: (entry) => warnings.push(entry.message) });
    expect(warnings).toEqual([]);
    expect(config.endpoint.target).toBe("dns:///localhost:30080");
    expect(config.insecure).toBe(true);
  });
});

describe("the create-flytekit-ts command", () => {
  const capture = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
  };

  it("creates, installs with the package manager that started it, and prints the next steps", async () => {
    const { io, out } = capture();
    const installs: [string, readonly string[], string][] = [];
    const installer: Installer = async (command, args, cwd) => {
      installs.push([command, args, cwd]);
      return 0;
    };
    const directory = fresh();
    const agent = process.env["npm_config_user_agent"];
    process.env["npm_config_user_agent"] = "npm/10.9.2 node/v20.19.0 linux x64 workspaces/false";
    try {
      expect(await main([directory, "--name", "demo"], io, installer)).toBe(0);
    } finally {
      if (agent === undefined) delete process.env["npm_config_user_agent"];
      else process.env["npm_config_user_agent"] = agent;
    }
    expect(installs).toEqual([["npm", ["install"], directory]]);
    const text = out.join("\n");
    expect(text).toMatch(`Created demo (flytekit-ts ${versionOf("flytekit-ts")}) in ${directory}`);
    expect(text).toMatch(/Next:\n {2}cd .*\n {2}npm test .*\n {2}npm run local .*\n {2}npm run register /);
  });

  it("with --no-install, lists the install among the next steps", async () => {
    const { io, out } = capture();
    const installer: Installer = async () => {
      throw new Error("must not install");
    };
    expect(await main([fresh(), "--no-install"], io, installer)).toBe(0);
    expect(out.join("\n")).toMatch(/Next:\n {2}cd .*\n {2}(npm|pnpm|yarn|bun) install\n/);
  });

  it("exits 1 and says where the project is when the install fails", async () => {
    const { io, err } = capture();
    const directory = fresh();
    expect(await main([directory], io, async () => 7)).toBe(1);
    expect(err.join("\n")).toMatch(new RegExp(`install failed \\(exit code 7\\); the project is in ${directory}`));
  });

  it("exits 2 with the usage for a missing directory, an unknown option or a non-empty directory", async () => {
    for (const argv of [[], ["a", "b"], [fresh(), "--colour"]]) {
      const { io, err } = capture();
      expect(await main(argv, io), argv.join(" ")).toBe(2);
      expect(err.join("\n")).toMatch(/^error: /);
    }
    const directory = fresh();
    mkdirSync(directory);
    writeFileSync(join(directory, "x"), "");
    const { io, err } = capture();
    expect(await main([directory], io)).toBe(2);
    expect(err).toEqual([`error: ${directory} is not empty (x): choose a new or empty directory, so that nothing of yours is overwritten`]);
  });
});
