import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EXIT, main } from "../src/index.js";
import { dockerfile, findEngine, imageContext } from "../src/image-command.js";
import cliPackage from "../package.json" with { type: "json" };

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

/** A project with a build to copy into the image. */
function project(): string {
  const root = mkdtempSync(join(tmpdir(), "flyte-ts-image-"));
  mkdirSync(join(root, "flyte-ts-build", "src"), { recursive: true });
  writeFileSync(join(root, "flyte-ts-build", "src", "flows.mjs"), "export {};\n");
  return root;
}

/** A fake engine on PATH: `info` exits with the given code; `build` records its arguments. */
function fakeEngine(dir: string, name: string, infoCode: number): string {
  const log = join(dir, `${name}.log`);
  const script = join(dir, name);
  writeFileSync(script, `#!/bin/sh\necho "$@" >> ${JSON.stringify(log)}\n[ "$1" = info ] && exit ${infoCode}\nexit 0\n`);
  chmodSync(script, 0o755);
  return log;
}

describe("flyte-ts image", () => {
  it("writes a Dockerfile on this release's runtime image with the packages, env and files asked for", () => {
    const text = dockerfile({ repository: "ghcr.io/me/flows", npm: ["zod@4.6.7", "lodash"], apt: ["curl"], env: { MODE: "prod x" }, files: ["flyte-ts-build"] }, ["flyte-ts-build"]);
    expect(text).toBe(
      [
        `FROM ghcr.io/flytekit-ts/runtime:${cliPackage.version}`,
        "USER root",
        "WORKDIR /app",
        "RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*",
        "RUN NODE_DISABLE_COMPILE_CACHE=1 npm install --omit=optional --no-audit --no-fund lodash zod@4.6.7 && npm cache clean --force",
        'ENV MODE="prod x"',
        "COPY --chown=flyte:flyte files/flyte-ts-build /app/flyte-ts-build",
        "USER flyte",
        "",
      ].join("\n"),
    );
  });

  it("tags by content: the same spec and files give the same tag, a changed file another", async () => {
    const root = project();
    const spec = { repository: "ghcr.io/me/flows", files: ["flyte-ts-build"], root };
    const a = await imageContext(spec, join(root, "ctx-a"));
    const b = await imageContext(spec, join(root, "ctx-b"));
    expect(a.tag).toMatch(/^ghcr\.io\/me\/flows:[0-9a-f]{20}$/);
    expect(b.tag).toBe(a.tag);
    expect(readFileSync(join(a.dir, "files", "flyte-ts-build", "src", "flows.mjs"), "utf8")).toBe("export {};\n");
    writeFileSync(join(root, "flyte-ts-build", "src", "flows.mjs"), "export const x = 1;\n");
    expect((await imageContext(spec, join(root, "ctx-c"))).tag).not.toBe(a.tag);
    expect((await imageContext({ ...spec, npm: ["zod"] }, join(root, "ctx-d"))).tag).not.toBe(a.tag);
  });

  it("refuses bad input, saying what was wrong", async () => {
    const root = project();
    await expect(imageContext({ repository: "Bad Repo", root }, join(root, "c"))).rejects.toThrow(/must be a lower-case repository without a tag/);
    await expect(imageContext({ repository: "ghcr.io/me/flows:v1", root }, join(root, "c"))).rejects.toThrow(/without a tag/);
    await expect(imageContext({ repository: "r/x", npm: ["a; rm -rf /"], root }, join(root, "c"))).rejects.toThrow(/is not an npm package name/);
    await expect(imageContext({ repository: "r/x", files: ["nope"], root }, join(root, "c"))).rejects.toThrow(/--file nope: no such file/);
  });

  it("uses a container engine only when it works, not merely when its binary exists", async () => {
    const bin = mkdtempSync(join(tmpdir(), "flyte-ts-engines-"));
    const dockerLog = fakeEngine(bin, "docker", 1); // a docker CLI without a daemon
    const podmanLog = fakeEngine(bin, "podman", 0);
    const path = process.env["PATH"];
    process.env["PATH"] = `${bin}:${path ?? ""}`;
    try {
      expect(await findEngine(["docker"])).toBeUndefined();
      expect(await findEngine()).toBe("podman");
      const root = project();
      const { io, out, err } = capture();
      const cwd = process.cwd();
      process.chdir(root);
      try {
        expect(await main(["image", "ghcr.io/me/flows", "--file", "flyte-ts-build", "--env", "A=1", "-o", "ctx"], io)).toBe(EXIT.ok);
      } finally {
        process.chdir(cwd);
      }
      const tag = out.at(-1) as string;
      expect(tag).toMatch(/^ghcr\.io\/me\/flows:[0-9a-f]{20}$/);
      expect(readFileSync(podmanLog, "utf8")).toContain(`build -t ${tag} ${join(root, "ctx")}`);
      expect(readFileSync(dockerLog, "utf8").trim().split("\n")).toEqual(["info", "info", "info"]);
      expect(err.join("\n")).toMatch(/built ghcr\.io\/me\/flows:/);
    } finally {
      process.env["PATH"] = path;
    }
  });

  it("prints the build command and Dockerfile when no engine works", async () => {
    const root = project();
    const { io, out, err } = capture();
    const cwd = process.cwd();
    process.chdir(root);
    try {
      expect(await main(["image", "ghcr.io/me/flows", "--engine", "no-such-engine", "-o", "ctx"], io)).toBe(EXIT.ok);
    } finally {
      process.chdir(cwd);
    }
    expect(err.join("\n")).toMatch(/no working container engine here[\s\S]*docker build -t ghcr\.io\/me\/flows:[0-9a-f]{20} .*ctx\nFROM ghcr\.io\/flytekit-ts\/runtime:/);
    expect(out.at(-1)).toMatch(/^ghcr\.io\/me\/flows:[0-9a-f]{20}$/);
  });
});
