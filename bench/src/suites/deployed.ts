import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { flyteidl } from "@flytekit-ts/idl";
import { pythonDir, type FlytekitBench } from "../flytekit/driver.js";
import { compileCacheHits, imageNode, installImageApp, podCompileCache, warmCompileCache, type ImageNode } from "@flytekit-ts/image-node";
import { cleanEnv } from "../shared.js";
import { startMinio, type Minio } from "../minio.js";
import { baseline, interleave, median, targetNote, type Row } from "../stats.js";

/**
 * The deployed form: a TypeScript project as `flyte-ts package` ships it (JavaScript under
 * flyte-ts-build/, no TypeScript loader anywhere), extracted into a directory laid out as the runtime
 * image's /app (the packed packages installed by npm) and run with its templates' own arguments
 * through that installation's entrypoint, as the image runs it — on the image's Node.js
 * (images/runtime/Dockerfile's FROM line) with the image's compile cache (warmed by the image's own
 * warm-compile-cache.mjs; each run starts from a pristine copy, as each pod does) — beside the real
 * pyflyte-execute running the Python twins on the same inputs, interleaved (the shared flytekit
 * driver), or PERF.md's figures without flytekit. Beside them, the node floor: bare `node -e ""` on the
 * same Node.js in the same rounds, the least time and memory any Node.js process takes, so that a
 * report shows which targets lie below it.
 */
const STORED = { trivial: { ms: 1290, mb: 97.7 }, fanOut10k: { ms: 3160, mb: 154.6 } };
const benchDir = fileURLToPath(new URL("../..", import.meta.url));
const bin = fileURLToPath(new URL("../../../packages/cli/dist/bin.js", import.meta.url));
// CommonJS, preloaded with --require: the instrument starts nothing of its own (an --import hook would start
// the ES module loader, which a bare `node -e ""` does not), so the node floor row is bare Node.
const hook = join(benchDir, "fixtures", "report-rss.cjs");

const FLOWS = `import { dynamic, t, task } from "flytekit-ts";

export const hello = task({ inputs: { a: t.int() }, outputs: { o0: t.int() } }, ({ a }) => ({ o0: a + 1 }));
export const t1 = task({ inputs: { a: t.int() }, outputs: { o0: t.string() } }, ({ a }) => ({ o0: \`v\${a}\` }));
export const fanOut = dynamic({ inputs: { a: t.int() }, outputs: { o0: t.list(t.string()), o1: t.int() } }, ({ a }) => {
  const s = [];
  for (let i = 0; i < a; i++) s.push(t1({ a: i }).o0);
  return { o0: s, o1: 5 };
});
`;

interface ProcessRun {
  ms: number;
  mb: number;
  /** Its own CPU time (user + system): the work itself, which a loaded machine does not stretch as it does wall time. */
  cpuMs: number;
  /** The result file it left in out/ ("" for none). */
  file: string;
}

const literalMap = (a: number) => flyteidl.core.LiteralMap.encode({ literals: { a: { scalar: { primitive: { integer: a } } } } }).finish();

/** One process: wall time, peak RSS and CPU time (written by the hook / rss_exec.py) and the result file it left. */
function timedProcess(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, dir: string): ProcessRun {
  const rssFile = join(dir, "rss");
  const cpuFile = join(dir, "cpu");
  const start = performance.now();
  // stdout and stderr are pipes, as a container's are (Node.js and Python both set up a pipe differently from /dev/null).
  execFileSync(command, args, { cwd, env: { ...env, FLYTE_TS_RSS_FILE: rssFile, FLYTE_TS_CPU_FILE: cpuFile }, stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 << 20 });
  const ms = performance.now() - start;
  const file = existsSync(join(dir, "out")) ? (readdirSync(join(dir, "out"))[0] ?? "") : "";
  return { ms, mb: Number(readFileSync(rssFile, "utf8")) / 1024, cpuMs: Number(readFileSync(cpuFile, "utf8")) / 1000, file };
}

/**
 * The TypeScript project, packaged by the built CLI, and the pod that runs it laid out as the runtime
 * image's /app (images/runtime/Dockerfile): the packed packages (`pnpm pack`, as published) installed with
 * `npm install --omit=optional` into a directory outside the workspace, so that every import resolves as
 * in the image (npm's flat node_modules, no workspace links), and the bundle extracted into it.
 */
async function packagedProject(): Promise<{ project: string; pod: string; podBin: string; templates: Map<string, flyteidl.core.ITaskTemplate> }> {
  // Under bench/ so that packaging resolves flytekit-ts from bench/node_modules, as from a user's project.
  const project = mkdtempSync(join(benchDir, ".deployed-"));
  mkdirSync(join(project, "src"));
  writeFileSync(join(project, "src", "flows.ts"), FLOWS);
  execFileSync(process.execPath, [bin, "package", "src/flows.ts", "-o", "bundle.tgz"], { cwd: project, env: cleanEnv(), stdio: ["ignore", "ignore", "inherit"] });
  const pod = mkdtempSync(join(tmpdir(), "flyte-ts-bench-app-"));
  await installImageApp(pod);
  execFileSync("tar", ["-xzf", join(project, "bundle.tgz"), "-C", pod]);
  const templates = new Map<string, flyteidl.core.ITaskTemplate>();
  for (const file of readdirSync(pod).filter((f) => f.endsWith("_1.pb"))) {
    const template = flyteidl.admin.TaskSpec.decode(readFileSync(join(pod, file))).template;
    if (template?.id?.name) templates.set(template.id.name, template);
  }
  return { project, pod, podBin: join(pod, "node_modules", "@flytekit-ts", "cli", "dist", "bin.js"), templates };
}

/** Where a pod's task reads its inputs and writes its outputs (Flyte's template variables). */
interface PodUris {
  input: string;
  outputPrefix: string;
  rawOutputDataPrefix: string;
}

/**
 * Runs `measure` against a MinIO of its own (the store's bucket made and the trivial task's inputs
 * uploaded through the pod's S3 SDK), then checks that every run left its outputs.pb in the store.
 * Undefined when no MinIO can be had (the rows are left out, with the reason printed).
 */
async function inS3(
  pod: string,
  node: ImageNode,
  measure: (minio: Minio, uris: (side: string) => PodUris) => Promise<{ rounds: number; ours: ProcessRun[]; theirs: ProcessRun[] }>,
): Promise<{ ours: ProcessRun[]; theirs: ProcessRun[] } | undefined> {
  const minio = await startMinio();
  if (!minio) return undefined;
  const staging = mkdtempSync(join(tmpdir(), "flyte-ts-bench-s3-"));
  try {
    const script = join(pod, "s3-objects.mjs");
    cpSync(join(benchDir, "fixtures", "s3-objects.mjs"), script);
    const objects = (...args: string[]) => execFileSync(node.path, [script, ...args], { cwd: pod, env: { ...cleanEnv(), ...minio.env }, encoding: "utf8" }).trim();
    writeFileSync(join(staging, "inputs.pb"), literalMap(1));
    objects("put", "bench", "in/inputs.pb", join(staging, "inputs.pb"));
    let n = 0;
    const uris = (side: string): PodUris => {
      n++;
      return { input: "s3://bench/in/inputs.pb", outputPrefix: `s3://bench/out/${side}${n}`, rawOutputDataPrefix: `s3://bench/raw/${side}${n}` };
    };
    const result = await measure(minio, uris);
    const written = Number(objects("count", "bench", "out/", "outputs.pb"));
    if (written !== result.rounds) throw new Error(`S3 rows: ${result.rounds} runs left ${written} outputs.pb in the store`);
    return result;
  } finally {
    await minio.stop();
    rmSync(staging, { recursive: true, force: true });
  }
}

/** The runtime image's Node.js and its warmed compile cache, or the machine's Node.js when that cannot be had. */
function podNode(app: string): { node: ImageNode; warmedCache?: string; label: string } {
  let node: ImageNode;
  try {
    node = imageNode();
  } catch (error) {
    console.warn(error instanceof Error ? error.message : String(error));
    const version = process.versions.node;
    return { node: { path: process.execPath, version, source: "this machine" }, label: `this machine's Node ${version}, NOT the runtime image's (it could not be had)` };
  }
  const warmedCache = warmCompileCache(node, app);
  const entries = readdirSync(warmedCache, { recursive: true }).length;
  if (entries === 0) throw new Error(`warm-compile-cache.mjs left ${warmedCache} empty on Node ${node.version}: the image's compile cache would not work`);
  return { node, warmedCache, label: `Node ${node.version} (the runtime image's), with the image's compile cache` };
}

/** Fails unless a pod's process really starts from the warmed cache: Node reports each module it finds there. */
function assertCacheHits(node: ImageNode, cache: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): void {
  const run = spawnSync(node.path, args, { cwd, env: { ...env, NODE_COMPILE_CACHE: cache, NODE_DEBUG_NATIVE: "COMPILE_CACHE" }, encoding: "utf8" });
  rmSync(cache, { recursive: true, force: true });
  const trace = `${run.stdout}${run.stderr}`;
  if (!compileCacheHits(trace).some((url) => url.endsWith("/idl/dist/index.js"))) throw new Error(`the deployed task did not load @flytekit-ts/idl from the image's compile cache; Node said:\n${trace.slice(0, 4000)}`);
}

export async function deployedSuite(flytekit?: FlytekitBench): Promise<Row[]> {
  const { project, pod, podBin, templates } = await packagedProject();
  const { node, warmedCache, label } = podNode(pod);
  console.log(`deployed form: ${label} (${node.source})`);
  const caches: string[] = [];
  /** A pod's compile cache: a pristine copy of the image's. */
  const cacheEnv = (): NodeJS.ProcessEnv => {
    if (!warmedCache) return {};
    const copy = podCompileCache(warmedCache);
    caches.push(copy);
    return { NODE_COMPILE_CACHE: copy };
  };
  try {
    /** A pod's process for a packaged task: the template's args (Flyte's variables filled in) and env. */
    const podProcess = (name: string, a: number, uris?: PodUris) => {
      const template = templates.get(name);
      if (!template?.container?.args) throw new Error(`the package has no task ${name}`);
      const dir = mkdtempSync(join(tmpdir(), "flyte-ts-bench-deployed-"));
      writeFileSync(join(dir, "inputs.pb"), literalMap(a));
      const vars: Record<string, string> = { ...(uris ?? { input: join(dir, "inputs.pb"), outputPrefix: join(dir, "out"), rawOutputDataPrefix: join(dir, "raw") }) };
      const args = template.container.args.map((arg) => arg.replace(/^\{\{\.(\w+)\}\}$/, (_, k: string) => vars[k] ?? '""'));
      const env = Object.fromEntries((template.container.env ?? []).map((e) => [e.key as string, e.value as string]));
      return { dir, args: [podBin, ...args.slice(1)], env: { ...cleanEnv(), ...env } };
    };
    const ours = (name: string, a: number, uris?: PodUris, extraEnv: Record<string, string> = {}): ProcessRun => {
      const run = podProcess(name, a, uris);
      try {
        return timedProcess(node.path, ["--require", hook, ...run.args], pod, { ...run.env, ...extraEnv, ...cacheEnv() }, run.dir);
      } finally {
        rmSync(run.dir, { recursive: true, force: true });
      }
    };
    if (warmedCache) {
      const check = podProcess("src.flows.hello", 1);
      assertCacheHits(node, podCompileCache(warmedCache), check.args, pod, check.env);
      rmSync(check.dir, { recursive: true, force: true });
    }
    /**
     * The node floor: bare `node -e ""` (no SDK, no task), timed and measured as the rows above are. It
     * bounds what any Node.js entrypoint can reach, whatever it loads: a target below it cannot be met.
     */
    const floor = (): ProcessRun => {
      const dir = mkdtempSync(join(tmpdir(), "flyte-ts-bench-floor-"));
      try {
        return timedProcess(node.path, ["--require", hook, "-e", ""], pod, cleanEnv(), dir);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    };
    const theirs = async (task: "hello" | "fan_out", a: number, uris?: PodUris, extraEnv: Record<string, string> = {}): Promise<ProcessRun> => {
      const dir = mkdtempSync(join(tmpdir(), "flytekit-bench-deployed-"));
      const { env, args } = await (flytekit as FlytekitBench).call("prepare_exec", { task, a, directory: dir });
      const flags: Record<string, string | undefined> = { "--inputs": uris?.input, "--output-prefix": uris?.outputPrefix, "--raw-output-data-prefix": uris?.rawOutputDataPrefix };
      const withUris = args.map((arg, i) => flags[args[i - 1] ?? ""] ?? arg);
      return timedProcess((flytekit as FlytekitBench).env.python, [join(pythonDir, "rss_exec.py"), ...withUris], benchDir, { ...cleanEnv(), ...env, ...extraEnv }, dir);
    };
    // Each round of the trivial task also runs the node floor, so that both see the same machine load.
    const measure = async (name: string, task: "hello" | "fan_out", a: number, runs: number, expected: string, withFloor = false) => {
      const rounds = await interleave(runs, () => ({ run: ours(name, a), floor: withFloor ? floor() : undefined }), flytekit ? async () => ({ run: await theirs(task, a), floor: undefined }) : undefined, 0);
      for (const r of [...rounds.ours, ...rounds.theirs]) if (r.run.file !== expected) throw new Error(`${name} wrote ${r.run.file}, expected ${expected}`);
      const floors = rounds.ours.flatMap((r) => (r.floor ? [r.floor] : []));
      return {
        ms: median(rounds.ours.map((r) => r.run.ms)),
        mb: Math.max(...rounds.ours.map((r) => r.run.mb)),
        cpuMs: median(rounds.ours.map((r) => r.run.cpuMs)),
        floor: floors.length ? { ms: median(floors.map((r) => r.ms)), mb: Math.max(...floors.map((r) => r.mb)), cpuMs: median(floors.map((r) => r.cpuMs)) } : undefined,
        theirsMs: rounds.theirs.map((r) => r.run.ms),
        theirsCpuMs: rounds.theirs.length ? median(rounds.theirs.map((r) => r.run.cpuMs)) : undefined,
        theirsMb: rounds.theirs.length ? [Math.max(...rounds.theirs.map((r) => r.run.mb))] : [],
      };
    };
    const trivial = await measure("src.flows.hello", "hello", 1, 9, "outputs.pb", true);
    const fan = await measure("src.flows.fanOut", "fan_out", 10_000, 5, "futures.pb");
    const s3 = await inS3(pod, node, async (minio, uris) => {
      const rounds = await interleave(9, () => ours("src.flows.hello", 1, uris("ts"), minio.env), flytekit ? () => theirs("hello", 1, uris("py"), minio.env) : undefined, 0);
      return { rounds: rounds.ours.length + rounds.theirs.length, ours: rounds.ours, theirs: rounds.theirs };
    });
    const nodeFloor = trivial.floor as { ms: number; mb: number; cpuMs: number };
    /** CPU times beside the wall times: on a loaded machine wall time stretches Python's longer run more. */
    const cpu = (ours: number, theirs: number | undefined) =>
      `CPU ${ours.toFixed(0)} ms${theirs === undefined ? "" : ` vs flytekit ${theirs.toFixed(0)} ms (${(theirs / ours).toFixed(1)}×)`}`;
    // Issue 16's targets: at least 12× flytekit's speed and at most half its peak memory.
    const speed = (theirs: Row["flytekitMs"]) => targetNote("target ≥ 12×", theirs === undefined ? undefined : theirs / 12, nodeFloor.ms, "ms");
    const memory = (theirs: Row["flytekitMs"]) => targetNote("target ≤ half", theirs === undefined ? undefined : theirs / 2, nodeFloor.mb, "MB");
    const rows: Row[] = [
      { what: `deployed trivial task (package → extracted → flyte-ts execute; ${label})`, ms: trivial.ms, ...baseline(trivial.theirsMs, STORED.trivial.ms) },
      { what: "deployed trivial task: peak RSS", ms: trivial.mb, unit: "MB", ...baseline(trivial.theirsMb, STORED.trivial.mb) },
      { what: "deployed dynamic fan-out to 10,000 nodes", ms: fan.ms, ...baseline(fan.theirsMs, STORED.fanOut10k.ms) },
      { what: "deployed dynamic fan-out to 10,000 nodes: peak RSS", ms: fan.mb, unit: "MB", ...baseline(fan.theirsMb, STORED.fanOut10k.mb) },
    ];
    for (const row of rows) row.note = row.unit ? memory(row.flytekitMs) : speed(row.flytekitMs);
    (rows[0] as Row).note += `; ${cpu(trivial.cpuMs, trivial.theirsCpuMs)}`;
    (rows[2] as Row).note += `; ${cpu(fan.cpuMs, fan.theirsCpuMs)}`;
    if (s3) {
      const theirsCpu = s3.theirs.length ? median(s3.theirs.map((r) => r.cpuMs)) : undefined;
      rows.push(
        {
          what: "deployed trivial task, inputs and outputs in S3 (MinIO), as a pod on an S3-backed cluster runs it",
          ms: median(s3.ours.map((r) => r.ms)),
          ...baseline(s3.theirs.map((r) => r.ms), undefined),
          note: `both load their S3 client (the AWS SDK v3; s3fs and botocore); ${cpu(median(s3.ours.map((r) => r.cpuMs)), theirsCpu)}`,
        },
        { what: "deployed trivial task in S3 (MinIO): peak RSS", ms: Math.max(...s3.ours.map((r) => r.mb)), unit: "MB", ...baseline(s3.theirs.length ? [Math.max(...s3.theirs.map((r) => r.mb))] : [], undefined) },
      );
    }
    return [
      ...rows,
      // flytekit's column here is its trivial task: the speed-up shown is the most any Node.js entrypoint could reach.
      { what: `node floor: bare \`node -e ""\` on Node ${node.version} (no SDK, no task), beside the trivial task`, ms: nodeFloor.ms, ...baseline(trivial.theirsMs, STORED.trivial.ms), note: `the ceiling of any Node.js entrypoint's speed-up; ${cpu(nodeFloor.cpuMs, trivial.theirsCpuMs)}` },
      { what: "node floor: peak RSS", ms: nodeFloor.mb, unit: "MB", ...baseline(trivial.theirsMb, STORED.trivial.mb), note: "the least memory any Node.js process takes" },
    ];
  } finally {
    for (const dir of [project, pod, ...caches, ...(warmedCache ? [warmedCache] : [])]) rmSync(dir, { recursive: true, force: true });
  }
}
