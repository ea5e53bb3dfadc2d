import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { flyteidl } from "@flytekit-ts/idl";
import { cleanEnv, sharedPath } from "../shared.js";
import { median, type Row } from "../stats.js";

/**
 * The deployed form: a TypeScript project as `flyte-ts package` ships it (JavaScript under
 * flyte-ts-build/), extracted and run through the built entrypoint — no TypeScript loader anywhere —
 * beside pyflyte-execute running flytekit's equivalent in the same run (from FLYTEKIT_VENV, default
 * /work/venvs/flytekit; PERF.md's figures when it is absent). Both are measured with GNU time's peak
 * RSS and wall time of one whole process, as a pod runs it.
 */
const FLYTEKIT_PERF = { trivial: { ms: 1290, mb: 97.7 }, fanOut10k: { ms: 3160, mb: 154.6 } };
const TIME = "/usr/bin/time";
const benchDir = fileURLToPath(new URL("../..", import.meta.url));
const bin = fileURLToPath(new URL("../../../packages/cli/dist/bin.js", import.meta.url));
const venv = process.env.FLYTEKIT_VENV ?? "/work/venvs/flytekit";

const FLOWS = `import { dynamic, t, task } from "flytekit-ts";

export const hello = task({ inputs: { a: t.int() }, outputs: { o0: t.int() } }, ({ a }) => ({ o0: a + 1 }));
export const t1 = task({ inputs: { a: t.int() }, outputs: { o0: t.string() } }, ({ a }) => ({ o0: \`v\${a}\` }));
export const fanOut = dynamic({ inputs: { a: t.int() }, outputs: { o0: t.list(t.string()), o1: t.int() } }, ({ a }) => {
  const s = [];
  for (let i = 0; i < a; i++) s.push(t1({ a: i }).o0);
  return { o0: s, o1: 5 };
});
`;

const literalMap = (a: number) => flyteidl.core.LiteralMap.encode({ literals: { a: { scalar: { primitive: { integer: a } } } } }).finish();
const templateEnv = (template: flyteidl.core.ITaskTemplate | null | undefined): Record<string, string> =>
  Object.fromEntries((template?.container?.env ?? []).map((e) => [e.key as string, e.value as string]));

/** One process under GNU time: wall ms, peak MB, and the result file it wrote. */
function timed(command: string[], cwd: string, env: NodeJS.ProcessEnv, inputs: Uint8Array): { ms: number; mb: number; file: string } {
  const dir = mkdtempSync(join(tmpdir(), "flyte-ts-bench-deployed-"));
  writeFileSync(join(dir, "inputs.pb"), inputs);
  const rss = join(dir, "rss");
  const args = command.map((a) => a.replace("$IN", join(dir, "inputs.pb")).replace("$OUT", join(dir, "out")).replace("$RAW", join(dir, "raw")));
  const start = performance.now();
  execFileSync(TIME, ["-o", rss, "-f", "%M", ...args], { cwd, env, stdio: ["ignore", "ignore", "ignore"] });
  const ms = performance.now() - start;
  const result = { ms, mb: Number(readFileSync(rss, "utf8").trim().split("\n").at(-1)) / 1024, file: readdirSync(join(dir, "out")).filter((f) => f.endsWith(".pb"))[0] ?? "" };
  rmSync(dir, { recursive: true, force: true });
  return result;
}

function measure(runs: number, expected: string, once: () => { ms: number; mb: number; file: string }) {
  const results = Array.from({ length: runs }, once);
  for (const r of results) if (r.file !== expected) throw new Error(`wrote ${r.file}, expected ${expected}`);
  return { ms: median(results.map((r) => r.ms)), mb: Math.max(...results.map((r) => r.mb)) };
}

/** The TypeScript project, packaged by the built CLI and extracted as a pod would have it. */
function packagedProject(): { pod: string; templates: Map<string, flyteidl.core.ITaskTemplate> } {
  // Under bench/ so that the built code's imports (flytekit-ts) resolve from bench/node_modules, as from /app/node_modules in an image.
  const project = mkdtempSync(join(benchDir, ".deployed-"));
  mkdirSync(join(project, "src"));
  writeFileSync(join(project, "src", "flows.ts"), FLOWS);
  execFileSync(process.execPath, [bin, "package", "src/flows.ts", "-o", "bundle.tgz"], { cwd: project, env: cleanEnv(), stdio: ["ignore", "ignore", "inherit"] });
  const pod = join(project, "pod");
  mkdirSync(pod);
  execFileSync("tar", ["-xzf", join(project, "bundle.tgz"), "-C", pod]);
  const templates = new Map<string, flyteidl.core.ITaskTemplate>();
  for (const file of readdirSync(pod).filter((f) => f.endsWith("_1.pb"))) {
    const template = flyteidl.admin.TaskSpec.decode(readFileSync(join(pod, file))).template;
    if (template?.id?.name) templates.set(template.id.name, template);
  }
  return { pod, templates };
}

/** flytekit's dynamic_fanout example (its task `t1` and the dynamic), importable as `examples.dynamic_fanout`. */
function flytekitProject(): { root: string; env: Record<string, string> } {
  const root = mkdtempSync(join(tmpdir(), "flyte-ts-bench-flytekit-"));
  mkdirSync(join(root, "examples"));
  writeFileSync(join(root, "examples", "__init__.py"), "");
  copyFileSync(sharedPath("golden/flytekit/dynamic_fanout/source/dynamic_fanout.py"), join(root, "examples", "dynamic_fanout.py"));
  const spec = flyteidl.admin.TaskSpec.decode(readFileSync(sharedPath("golden/flytekit/dynamic_fanout/package/1_examples.dynamic_fanout.my_dynamic_subwf_1.pb")));
  const env = {
    ...templateEnv(spec.template),
    FLYTE_INTERNAL_EXECUTION_PROJECT: "flytesnacks",
    FLYTE_INTERNAL_EXECUTION_DOMAIN: "development",
    FLYTE_INTERNAL_EXECUTION_ID: "bench0exec",
    FLYTE_INTERNAL_TASK_PROJECT: "flytesnacks",
    FLYTE_INTERNAL_TASK_DOMAIN: "development",
    FLYTE_INTERNAL_TASK_NAME: "examples.dynamic_fanout.my_dynamic_subwf",
    FLYTE_INTERNAL_TASK_VERSION: "v1",
    FLYTE_SDK_LOGGING_LEVEL: "30",
    PYTHONPATH: root,
  };
  return { root, env };
}

const pyflyte = (task: string) => [
  join(venv, "bin", "pyflyte-execute"),
  "--inputs", "$IN", "--output-prefix", "$OUT", "--raw-output-data-prefix", "$RAW",
  "--resolver", "flytekit.core.python_auto_container.default_task_resolver", "--", "task-module", "examples.dynamic_fanout", "task-name", task,
];

export function deployedSuite(): Row[] {
  if (!existsSync(TIME)) return [{ what: `deployed form: skipped (${TIME} is not installed)`, ms: 0 }];
  const { pod, templates } = packagedProject();
  try {
    const run = (name: string, a: number, runs: number, expected: string) => {
      const template = templates.get(name);
      if (!template?.container?.args) throw new Error(`the package has no task ${name}`);
      const vars: Record<string, string> = { input: "$IN", outputPrefix: "$OUT", rawOutputDataPrefix: "$RAW" };
      const args = template.container.args.map((arg) => arg.replace(/^\{\{\.(\w+)\}\}$/, (_, k: string) => vars[k] ?? '""'));
      // The template's own command line, flyte-ts being the built entrypoint.
      const command = [process.execPath, bin, ...args.slice(1)];
      return measure(runs, expected, () => timed(command, pod, { ...cleanEnv(), ...templateEnv(template) }, literalMap(a)));
    };
    const trivial = run("src.flows.hello", 1, 9, "outputs.pb");
    const fan = run("src.flows.fanOut", 10_000, 5, "futures.pb");

    let flytekit = FLYTEKIT_PERF;
    let source = "PERF.md";
    if (existsSync(join(venv, "bin", "pyflyte-execute"))) {
      const py = flytekitProject();
      try {
        // flytekit's trivial case is the dynamic with a=0 (PERF.md (a)): it writes outputs.pb.
        const env = { ...cleanEnv(), ...py.env };
        flytekit = {
          trivial: measure(5, "outputs.pb", () => timed(pyflyte("my_dynamic_subwf"), py.root, env, literalMap(0))),
          fanOut10k: measure(3, "futures.pb", () => timed(pyflyte("my_dynamic_subwf"), py.root, env, literalMap(10_000))),
        };
        source = "pyflyte-execute, this run";
      } finally {
        rmSync(py.root, { recursive: true, force: true });
      }
    }
    return [
      { what: `deployed trivial task (package → extracted → flyte-ts execute) vs ${source}`, ms: trivial.ms, flytekitMs: flytekit.trivial.ms, note: "target ≥ 12×" },
      { what: "deployed trivial task: peak RSS", ms: trivial.mb, unit: "MB", flytekitMs: flytekit.trivial.mb, note: `target ≤ ${(flytekit.trivial.mb / 2).toFixed(1)} MB` },
      { what: `deployed dynamic fan-out to 10,000 nodes vs ${source}`, ms: fan.ms, flytekitMs: flytekit.fanOut10k.ms, note: "target ≥ 12×" },
      { what: "deployed dynamic fan-out to 10,000 nodes: peak RSS", ms: fan.mb, unit: "MB", flytekitMs: flytekit.fanOut10k.mb, note: `target ≤ ${(flytekit.fanOut10k.mb / 2).toFixed(1)} MB` },
    ];
  } finally {
    rmSync(join(pod, ".."), { recursive: true, force: true });
  }
}
