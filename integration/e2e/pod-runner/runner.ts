/**
 * The pod runner: the kubelet's part for the end-to-end tests. It watches every pod of a Kubernetes
 * API server; for each new pending pod it runs the primary container's command as a local process
 * (pod-process.ts), reports the pod Running, then Succeeded or Failed with the exit code
 * (pod-status.ts), through the pod's status subresource. It never deletes a pod or any other
 * object: the only things it removes are the working directories it made. A pod deleted while its
 * process runs gets the process killed.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdir, mkdtemp, rm, symlink } from "node:fs/promises";
import { join } from "node:path";
import { CoreV1Api, KubeConfig, makeInformer, type Informer, type ObjectCache, type V1Pod, type V1PodStatus } from "@kubernetes/client-node";
import { podName, podProcess, UnrunnablePodError, type ImageMapping, type PodProcess } from "./pod-process.js";
import { finishedStatus, runningStatus, type Started } from "./pod-status.js";

export interface PodRunnerOptions {
  kubeConfig: KubeConfig;
  images: readonly ImageMapping[];
  /** Each pod's process runs in a fresh directory under this one (its working directory, like an image's WORKDIR). */
  workRoot: string;
  /** A node_modules directory linked into each working directory, so code unpacked there resolves its imports (the image's /app/node_modules). */
  nodeModules?: string;
  /** Each pod's output goes to `<logDir>/<namespace>_<name>.log`. */
  logDir: string;
  /** The environment every process starts from (default: this process's). */
  baseEnv?: Readonly<Record<string, string | undefined>>;
  /** At most this many processes at once; further pods wait, Pending (default 4). */
  concurrency?: number;
  /** Told about every pod the runner starts and ends, and about errors it survives. */
  log?: (line: string) => void;
}

interface Running {
  child?: ChildProcess;
  deleted: boolean;
}

/** The signals a process can die of, to report 128 + n as a container runtime does. */
const SIGNAL_NUMBERS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGABRT: 6, SIGKILL: 9, SIGSEGV: 11, SIGPIPE: 13, SIGTERM: 15 };

export class PodRunner {
  private readonly core: CoreV1Api;
  private readonly informer: Informer<V1Pod> & ObjectCache<V1Pod>;
  private readonly pods = new Map<string, Running>();
  private readonly queue: V1Pod[] = [];
  private active = 0;
  private stopped = false;
  private readonly log: (line: string) => void;

  constructor(private readonly options: PodRunnerOptions) {
    this.core = options.kubeConfig.makeApiClient(CoreV1Api);
    this.informer = makeInformer(options.kubeConfig, "/api/v1/pods", () => this.core.listPodForAllNamespaces());
    this.log = options.log ?? (() => {});
    this.informer.on("add", (pod) => this.offer(pod));
    this.informer.on("update", (pod) => this.offer(pod));
    this.informer.on("delete", (pod) => this.deleted(pod));
    this.informer.on("error", (error) => {
      if (this.stopped) return;
      this.log(`watch failed (${String(error)}); restarting in 2 s`);
      setTimeout(() => void this.informer.start().catch(() => {}), 2000);
    });
  }

  async start(): Promise<void> {
    await mkdir(this.options.workRoot, { recursive: true });
    await mkdir(this.options.logDir, { recursive: true });
    await this.informer.start();
  }

  /** Stops watching and kills the processes still running (their pods stay as they are). */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.informer.stop();
    this.queue.length = 0;
    for (const running of this.pods.values()) running.child?.kill("SIGKILL");
  }

  private offer(pod: V1Pod): void {
    const uid = pod.metadata?.uid;
    if (this.stopped || !uid || this.pods.has(uid)) return;
    // Only pods no one ran yet: Pending, not being deleted. Pods a kubelet would find already ended are left alone.
    if ((pod.status?.phase ?? "Pending") !== "Pending" || pod.metadata?.deletionTimestamp) return;
    this.pods.set(uid, { deleted: false });
    this.queue.push(pod);
    this.drain();
  }

  private deleted(pod: V1Pod): void {
    const running = pod.metadata?.uid ? this.pods.get(pod.metadata.uid) : undefined;
    if (!running) return;
    running.deleted = true;
    running.child?.kill("SIGTERM");
  }

  private drain(): void {
    const limit = this.options.concurrency ?? 4;
    while (this.active < limit && this.queue.length > 0) {
      const pod = this.queue.shift() as V1Pod;
      this.active += 1;
      void this.run(pod)
        .catch((error: unknown) => this.log(`pod ${podName(pod)}: ${String(error)}`))
        .finally(() => {
          this.active -= 1;
          this.drain();
        });
    }
  }

  private async run(pod: V1Pod): Promise<void> {
    const running = this.pods.get(pod.metadata?.uid ?? "") as Running;
    if (running.deleted) return;
    const startedAt = new Date();
    let spec: PodProcess;
    try {
      spec = podProcess(pod, this.options.images, this.options.baseEnv ?? process.env);
    } catch (error) {
      if (!(error instanceof UnrunnablePodError)) throw error;
      this.log(error.message);
      const container = pod.spec?.containers?.[0];
      await this.report(pod, finishedStatus({ container: container?.name ?? "", image: container?.image ?? "", startedAt, finishedAt: new Date(), exitCode: 127, message: error.message }));
      return;
    }
    const work = await mkdtemp(join(this.options.workRoot, `${pod.metadata?.name ?? "pod"}-`));
    try {
      if (this.options.nodeModules) await symlink(this.options.nodeModules, join(work, "node_modules"), "dir");
      const started: Started = { container: spec.container, image: spec.image, startedAt };
      // Running is written before the end, whatever the order the process starts and ends in.
      let reportedRunning = Promise.resolve();
      const outcome = await this.spawn(pod, spec, work, running, () => {
        reportedRunning = this.report(pod, runningStatus(started)).catch((e: unknown) => this.log(`pod ${podName(pod)}: reporting Running failed: ${String(e)}`));
      });
      await reportedRunning;
      if (running.deleted) return;
      this.log(`pod ${podName(pod)} exited with ${outcome.exitCode}`);
      await this.report(pod, finishedStatus({ ...started, finishedAt: new Date(), ...outcome }));
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }

  private spawn(pod: V1Pod, spec: PodProcess, cwd: string, running: Running, onStart: () => void): Promise<{ exitCode: number; message: string }> {
    const logFile = join(this.options.logDir, `${pod.metadata?.namespace ?? ""}_${pod.metadata?.name ?? ""}.log`);
    const out = createWriteStream(logFile, { flags: "a" });
    out.write(`$ ${spec.argv.join(" ")}\n`);
    let stderrTail = "";
    return new Promise((resolve) => {
      const [program, ...args] = spec.argv as [string, ...string[]];
      const child = spawn(program, args, { cwd, env: spec.env, stdio: ["ignore", "pipe", "pipe"] });
      running.child = child;
      child.stdout.pipe(out, { end: false });
      child.stderr.on("data", (chunk: Buffer) => {
        out.write(chunk);
        stderrTail = (stderrTail + chunk.toString("utf8")).slice(-2000);
      });
      child.once("spawn", () => {
        this.log(`pod ${podName(pod)} started: ${spec.argv.join(" ")}`);
        onStart();
      });
      child.once("error", (error) => {
        out.end(`\n${error.message}\n`);
        resolve({ exitCode: 127, message: `cannot run ${program}: ${error.message}` });
      });
      child.once("close", (code, signal) => {
        out.end();
        const exitCode = code ?? 128 + (signal ? (SIGNAL_NUMBERS[signal] ?? 0) : 0);
        resolve({ exitCode, message: stderrTail.trim().split("\n").slice(-10).join("\n") });
      });
    });
  }

  /** Writes the pod's status through its status subresource, re-reading the pod when it changed meanwhile. */
  private async report(pod: V1Pod, status: V1PodStatus): Promise<void> {
    const name = pod.metadata?.name ?? "";
    const namespace = pod.metadata?.namespace ?? "";
    for (let attempt = 1; ; attempt += 1) {
      const current = await this.core.readNamespacedPodStatus({ name, namespace });
      if (current.metadata?.uid !== pod.metadata?.uid) return; // deleted and made anew under the same name: not ours
      try {
        await this.core.replaceNamespacedPodStatus({ name, namespace, body: { ...current, status: { ...current.status, ...status } } });
        return;
      } catch (error) {
        if ((error as { code?: number }).code !== 409 || attempt >= 10) throw error;
      }
    }
  }
}
