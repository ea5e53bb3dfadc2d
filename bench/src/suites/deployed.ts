import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { flyteidl } from "@flytekit-ts/idl";
import { cleanEnv, sharedPath } from "../shared.js";
import type { FlytekitPython } from "../flytekit/venv.js";
import { baseline, interleave, median, type Row } from "../stats.js";

/**
 * The deployed form: a TypeScript project as `flyte-ts package` ships it (JavaScript under
 * flyte-ts-build/), extracted and run through the built entrypoint — no TypeScript loader anywhere —
 * beside pyflyte-execute running flytekit's equivalent in the same run, interleaved (the flytekit
 * virtualenv of `findFlytekit`; PERF.md's figures, labelled, when there is none). Both are measured
 * with GNU time's peak RSS and wall time of one whole process, as a pod runs it.
 */
const FLYTEKIT_PERF = { trivial: { ms: 1290, mb: 97.7 }, fanOut10k: { ms: 3160, mb: 154.6 } };
const TIME = "/usr/bin/time";
const benchDir = fileURLToPath(new URL("../..", import.meta.url));
const bin = fileURLToPath(new URL("../../../packages/cli/dist/bin.js", import.meta.url));

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

type Run = { ms: number; mb: number; file: string };

/** Ours and flytekit's (when given) in alternating rounds; medians of wall time, the highest peak RSS. */
async function measure(runs: number, expected: string, ours: () => Run, theirs?: () => Run) {
  const rounds = await interleave(runs, ours, theirs && (() => Promise.resolve(theirs())), 0);
  for (const r of [...rounds.ours, ...rounds.theirs]) if (r.file !== expected) throw new Error(`wrote ${r.file}, expected ${expected}`);
  const peak = (rs: Run[]) => (rs.length ? [Math.max(...rs.map((r) => r.mb))] : []);
  return { ms: median(rounds.ours.map((r) => r.ms)), mb: Math.max(...rounds.ours.map((r) => r.mb)), theirsMs: rounds.theirs.map((r) => r.ms), theirsMb: peak(rounds.theirs) };
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

const pyflyte = (venv: FlytekitPython, task: string) => [
  join(venv.bin, "pyflyte-execute"),
  "--inputs", "$IN", "--output-prefix", "$OUT", "--raw-output-data-prefix", "$RAW",
  "--resolver", "flytekit.core.python_auto_container.default_task_resolver", "--", "task-module", "examples.dynamic_fanout", "task-name", task,
];

export async function deployedSuite(venv: FlytekitPython | undefined): Promise<Row[]> {
  if (!existsSync(TIME)) return [{ what: `deployed form: skipped (${TIME} is not installed)`, ms: 0 }];
  const { pod, templates } = packagedProject();
  const py = venv && existsSync(join(venv.bin, "pyflyte-execute")) ? flytekitProject() : undefined;
  try {
    const ours = (name: string, a: number) => {
      const template = templates.get(name);
      if (!template?.container?.args) throw new Error(`the package has no task ${name}`);
      const vars: Record<string, string> = { input: "$IN", outputPrefix: "$OUT", rawOutputDataPrefix: "$RAW" };
      const args = template.container.args.map((arg) => arg.replace(/^\{\{\.(\w+)\}\}$/, (_, k: string) => vars[k] ?? '""'));
      // The template's own command line, flyte-ts being the built entrypoint.
      const command = [process.execPath, bin, ...args.slice(1)];
      return () => timed(command, pod, { ...cleanEnv(), ...templateEnv(template) }, literalMap(a));
    };
    // flytekit's trivial case is the dynamic with a=0 (PERF.md (a)): it writes outputs.pb.
    const theirs = (a: number) => (venv && py ? () => timed(pyflyte(venv, "my_dynamic_subwf"), py.root, { ...cleanEnv(), ...py.env }, literalMap(a)) : undefined);
    const trivial = await measure(7, "outputs.pb", ours("src.flows.hello", 1), theirs(0));
    const fan = await measure(3, "futures.pb", ours("src.flows.fanOut", 10_000), theirs(10_000));
    return [
      { what: "deployed trivial task (package → extracted → flyte-ts execute)", ms: trivial.ms, ...baseline(trivial.theirsMs, FLYTEKIT_PERF.trivial.ms), note: "target ≥ 12×" },
      { what: "deployed trivial task: peak RSS", ms: trivial.mb, unit: "MB", ...baseline(trivial.theirsMb, FLYTEKIT_PERF.trivial.mb), note: `target ≤ ${((trivial.theirsMb[0] ?? FLYTEKIT_PERF.trivial.mb) / 2).toFixed(1)} MB` },
      { what: "deployed dynamic fan-out to 10,000 nodes", ms: fan.ms, ...baseline(fan.theirsMs, FLYTEKIT_PERF.fanOut10k.ms), note: "target ≥ 12×" },
      { what: "deployed dynamic fan-out to 10,000 nodes: peak RSS", ms: fan.mb, unit: "MB", ...baseline(fan.theirsMb, FLYTEKIT_PERF.fanOut10k.mb), note: `target ≤ ${((fan.theirsMb[0] ?? FLYTEKIT_PERF.fanOut10k.mb) / 2).toFixed(1)} MB` },
    ];
  } finally {
    if (py) rmSync(py.root, { recursive: true, force: true });
    rmSync(join(pod, ".."), { recursive: true, force: true });
  }
}
