import { readFileSync, readdirSync, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { main, parseInputs, parseRemoteRunArgs } from "@flytekit-ts/cli";
import { isEntity, type AnyEntity } from "@flytekit-ts/compiler";

/**
 * The guides' samples are kept true by this test (decision 0065): a code block preceded by
 * `<!-- sample: <repo path> -->` must be made of runs of that file's lines (runs separated by a line
 * `// …` or `# …`), every TypeScript, JavaScript or Python block must carry such a marker, and every
 * `flyte-ts` command line must use options the CLI has — `run` and `graph` lines name a module of
 * examples/workflows (where the guides run them), an export of it, and inputs it takes.
 */
const docs = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const repo = resolve(docs, "..");
const examples = join(repo, "examples", "workflows");
const guidesDir = join(docs, "guides");
const guides = readdirSync(guidesDir).filter((file) => file.endsWith(".md"));

interface Block {
  guide: string;
  line: number;
  lang: string;
  lines: string[];
  sample?: string;
}

function blocks(guide: string): Block[] {
  const text = readFileSync(join(guidesDir, guide), "utf8").split("\n");
  const found: Block[] = [];
  for (let i = 0; i < text.length; i++) {
    const open = /^```(\S*)\s*$/.exec(text[i] ?? "");
    if (!open) continue;
    const start = i;
    const lines: string[] = [];
    for (i++; i < text.length && text[i] !== "```"; i++) lines.push(text[i] ?? "");
    let before = start - 1;
    while (before >= 0 && (text[before] ?? "").trim() === "") before--;
    const marker = /^<!-- sample: (\S+) -->$/.exec(text[before] ?? "");
    found.push({ guide, line: start + 1, lang: open[1] ?? "", lines, ...(marker?.[1] ? { sample: marker[1] } : {}) });
  }
  return found;
}

const all = guides.flatMap(blocks);
const where = (block: Block) => `${block.guide}:${block.line}`;
const ELISION = /^\s*(\/\/|#) …$/;

/** The index in `file` after the run of `segment`'s lines found at or after `from` (any indentation shift), or -1. */
function findRun(file: readonly string[], segment: readonly string[], from: number): number {
  const first = segment.find((l) => l.trim() !== "");
  if (first === undefined) return from;
  for (let start = from; start + segment.length <= file.length; start++) {
    const line = file[start] ?? "";
    if (!line.endsWith(first.trimStart()) || line.trim() !== first.trim()) continue;
    const shift = line.length - line.trimStart().length - (first.length - first.trimStart().length);
    if (shift < 0) continue;
    const pad = " ".repeat(shift);
    if (segment.every((l, k) => (l.trim() === "" ? (file[start + k] ?? "").trim() === "" : file[start + k] === pad + l))) return start + segment.length;
  }
  return -1;
}

function segments(lines: readonly string[]): string[][] {
  const result: string[][] = [[]];
  for (const line of lines) {
    if (ELISION.test(line)) result.push([]);
    else result[result.length - 1]?.push(line);
  }
  return result.filter((s) => s.length > 0);
}

/** `flyte-ts …` command lines of shell blocks (also after `npx`, `pnpm exec`, `&&`, inside `$(…)`), split into words. */
function commands(block: Block): string[][] {
  return block.lines
    .map((line) => line.replace(/#.*$/, "").trim())
    .map((line) => /(?:^|\$\(|&& |npx |pnpm exec )flyte-ts (.*?)\)?$/.exec(line)?.[1])
    .filter((rest): rest is string => rest !== undefined)
    .map((rest) => rest.split(/\s+/).filter((w) => w !== "" && w !== "\\"));
}

async function help(path: readonly string[]): Promise<string> {
  const out: string[] = [];
  const code = await main([...path, "--help"], { out: (l) => out.push(l), err: (l) => out.push(l) });
  expect(code, `flyte-ts ${path.join(" ")} --help`).toBe(0);
  return out.join("\n");
}

/** Flags a local `flyte-ts run` takes besides the inputs (its `run options:` help line, and `--help`). */
const RUN_FLAGS = new Set(["-q", "--quiet", "--no-cache", "--overwrite-cache", "--help", "-h"]);
const RUN_VALUE_FLAGS = new Set(["--cache-dir", "--max-parallelism"]);

/** Checks the inputs a command line gives against the entity's, saying which line was wrong. */
function checkInputs(entity: AnyEntity, inputs: readonly string[], at: string): void {
  try {
    parseInputs(entity, inputs);
  } catch (error) {
    throw new Error(`${at}: ${(error as Error).message}`, { cause: error });
  }
}

async function entity(module: string, exportName: string, at: string): Promise<AnyEntity> {
  const path = join(examples, module);
  expect(existsSync(path), `${at}: ${module} is not a module of examples/workflows`).toBe(true);
  const loaded = (await import(path)) as Record<string, unknown>;
  const value = loaded[exportName];
  expect(isEntity(value), `${at}: ${module} exports no entity ${exportName}`).toBe(true);
  return value as AnyEntity;
}

describe("the guides", () => {
  it("exist and have a title", () => {
    expect(guides.length).toBeGreaterThanOrEqual(8);
    for (const guide of guides) expect(readFileSync(join(guidesDir, guide), "utf8"), guide).toMatch(/^(---\n[\s\S]*?\n---\n\n)?# \S/);
  });

  it("mark every code sample with the file it comes from", () => {
    const unmarked = all.filter((b) => ["ts", "typescript", "js", "python", "py"].includes(b.lang) && b.sample === undefined).map(where);
    expect(unmarked).toEqual([]);
    expect(all.filter((b) => b.sample !== undefined).length).toBeGreaterThan(0);
  });

  it("show samples as they are in the files they name", () => {
    for (const block of all.filter((b) => b.sample !== undefined)) {
      const path = join(repo, block.sample ?? "");
      expect(existsSync(path), `${where(block)}: ${block.sample} does not exist`).toBe(true);
      const file = readFileSync(path, "utf8").split("\n");
      let at = 0;
      for (const segment of segments(block.lines)) {
        const next = findRun(file, segment, at);
        expect(next, `${where(block)}: these lines are not (in this order) in ${block.sample}:\n${segment.join("\n")}`).not.toBe(-1);
        at = next;
      }
    }
  });

  it("use only the flyte-ts commands and options the CLI has", { timeout: 120_000 }, async () => {
    const top = await help([]);
    let checked = 0;
    for (const block of all.filter((b) => ["sh", "bash", "shell"].includes(b.lang))) {
      for (const words of commands(block)) {
        const at = `${where(block)}: flyte-ts ${words.join(" ")}`;
        const [command = "", ...args] = words;
        expect(top, `${at}: no command ${command}`).toMatch(new RegExp(`^  ${command} `, "m"));
        checked++;
        if (command === "run" && args.includes("--remote")) {
          let parsed: ReturnType<typeof parseRemoteRunArgs> | undefined;
          expect(() => (parsed = parseRemoteRunArgs(args)), at).not.toThrow();
          const { module = "", exportName = "", inputs = [] } = parsed ?? {};
          checkInputs(await entity(module, exportName, at), inputs, at);
        } else if (command === "run") {
          const [module = "", exportName = "", ...rest] = args;
          const inputs: string[] = [];
          for (let i = 0; i < rest.length; i++) {
            const word = rest[i] ?? "";
            if (RUN_VALUE_FLAGS.has(word)) i++;
            else if (!RUN_FLAGS.has(word)) inputs.push(word);
          }
          checkInputs(await entity(module, exportName, at), inputs, at);
        } else if (command === "graph") {
          const [module = "", exportName = "", ...rest] = args;
          const format = rest.indexOf("--format");
          if (format >= 0) rest.splice(format, 2);
          checkInputs(await entity(module, exportName, at), rest, at);
        } else {
          const path = command === "get" ? [command, args[0] ?? ""] : [command];
          const usage = await help(path);
          for (const flag of args.filter((w) => w.startsWith("-"))) {
            const name = flag.split("=")[0] ?? "";
            expect(usage, `${at}: flyte-ts ${path.join(" ")} has no option ${name}`).toMatch(new RegExp(`(^|[ ,])${name}[ ,\\n]|(^|[ ,])${name}$`, "m"));
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(0);
  });
});
