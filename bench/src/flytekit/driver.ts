import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { FlytekitPython } from "./venv.js";

/** bench/python: the driver, the pyflyte-execute wrapper and the Python twins. */
export const pythonDir = fileURLToPath(new URL("../../python", import.meta.url));

export interface TypesTiming {
  toLiteral: number;
  encode: number;
  decode: number;
  fromLiteral: number;
  bytes: number;
}
export interface DynamicTiming {
  build: number;
  encode: number;
  bytes: number;
  nodes: number;
}

interface Ops {
  version: { args: Record<string, never>; result: string };
  types: { args: { case: "ints" | "objects" }; result: TypesTiming };
  dynamic: { args: { n: number }; result: DynamicTiming };
  static: { args: { which: "chain" | "wide" }; result: number };
  prepare_exec: { args: { task: "hello" | "fan_out"; a: number; directory: string }; result: { env: Record<string, string>; args: string[] } };
}

/**
 * bench/python/bench_driver.py: the real flytekit in one long-lived process, timing in-process the
 * same work as the TypeScript row beside it (JSON lines over stdio; the pipe is outside the timings).
 */
export class FlytekitBench {
  private readonly waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private nextId = 1;
  private stderr = "";
  private exited: Error | undefined;
  /** flytekit's version, sent by the driver once flytekit is imported. */
  private readonly ready: Promise<string>;

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    readonly env: FlytekitPython,
  ) {
    let ready!: (version: string) => void;
    let failed!: (error: Error) => void;
    this.ready = new Promise<string>((resolve, reject) => ((ready = resolve), (failed = reject)));
    this.ready.catch(() => undefined);
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => (this.stderr = (this.stderr + chunk).slice(-4000)));
    createInterface({ input: child.stdout }).on("line", (line) => {
      const answer = JSON.parse(line) as { ready?: string; id?: number; ok?: unknown; error?: string; trace?: string };
      if (answer.ready !== undefined) return ready(answer.ready);
      const pending = this.waiting.get(answer.id ?? -1);
      if (!pending) return;
      this.waiting.delete(answer.id as number);
      if (answer.error !== undefined) pending.reject(new Error(`flytekit bench driver: ${answer.error}\n${answer.trace ?? ""}`));
      else pending.resolve(answer.ok);
    });
    child.once("exit", (code, signal) => {
      this.exited = new Error(`the flytekit bench driver exited (${signal ?? `code ${code}`}); its stderr ended:\n${this.stderr}`);
      failed(this.exited);
      for (const p of this.waiting.values()) p.reject(this.exited);
      this.waiting.clear();
    });
  }

  /** Starts the driver and waits until it has imported flytekit. */
  static async start(env: FlytekitPython): Promise<{ bench: FlytekitBench; version: string }> {
    const child = spawn(env.python, [`${pythonDir}/bench_driver.py`], { stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, PYTHONUNBUFFERED: "1" } });
    const bench = new FlytekitBench(child, env);
    return { bench, version: await bench.ready };
  }

  call<Op extends keyof Ops>(op: Op, args: Ops[Op]["args"]): Promise<Ops[Op]["result"]> {
    if (this.exited) return Promise.reject(this.exited);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.child.stdin.write(`${JSON.stringify({ id, op, args })}\n`);
    });
  }

  /** Ends the driver (closing its stdin lets it finish). */
  async close(): Promise<void> {
    if (this.exited) return;
    const done = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    this.child.stdin.end();
    await done;
  }
}
