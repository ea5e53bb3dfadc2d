import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createInterface } from "node:readline";
import { driverScript, type FlytekitVenv } from "./venv.js";

/**
 * A Python type, described in JSON for the driver, which builds the real Python type from it
 * (`dataclasses.make_dataclass`, `enum.Enum`, `typing.Optional`, …).
 */
export type PyType =
  | { kind: "int" | "float" | "str" | "bool" | "datetime" | "duration" | "none" | "json" | "file" | "directory" | "structured_dataset" }
  | { kind: "list" | "dict" | "optional"; of: PyType }
  | { kind: "union"; of: PyType[] }
  | { kind: "enum"; name: string; values: string[] }
  | { kind: "dataclass"; name: string; fields: PyField[] };

/** A dataclass field; with `default`, a default factory making that (typed-JSON) value. */
export interface PyField {
  name: string;
  type: PyType;
  default?: PyJson;
}

/**
 * A Python value in "typed JSON", read by its type: int and duration (microseconds) as decimal
 * strings, float as a string (`NaN`, `Infinity`, `-0.0`), datetime as ISO 8601 with microseconds and
 * offset, a union value as `{variant, value}`, a dataclass as an object of its fields.
 */
export type PyJson = null | boolean | number | string | PyJson[] | { [key: string]: PyJson };

/** One item's answer: `ok` with the result, or the Python error. */
export type DriverResult<T> = { ok: T } | { error: string; trace?: string };

interface Ops {
  literal_type: { item: PyType; result: string };
  to_literal: { item: { type: PyType; value: PyJson }; result: string };
  from_literal: { item: { type: PyType; literal: string }; result: { value: PyJson; literal: string } };
  version: { item: null; result: string };
}

interface Pending {
  resolve(results: DriverResult<unknown>[]): void;
  reject(error: Error): void;
}

/**
 * The TypeScript side of driver.py: one long-lived Python process speaking JSON lines over stdio.
 * Requests are batches (one line, many items) so that thousands of cases cost a few round trips.
 * Literals and literal types travel as base64 protobuf bytes.
 */
export class FlytekitDriver {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private stderrTail: string[] = [];
  private exited: Error | undefined;
  /** flytekit's version, from the driver's first line. */
  readonly version: Promise<string>;

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    let ready!: (version: string) => void;
    let failed!: (error: Error) => void;
    this.version = new Promise<string>((resolve, reject) => {
      ready = resolve;
      failed = reject;
    });
    this.version.catch(() => undefined);
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      this.stderrTail.push(...chunk.split("\n"));
      this.stderrTail = this.stderrTail.slice(-40);
    });
    const lines = createInterface({ input: child.stdout });
    lines.on("line", (line) => {
      const message = JSON.parse(line) as { ready?: string; id?: number; results?: DriverResult<unknown>[]; fatal?: string };
      if (message.ready !== undefined) return ready(message.ready);
      const pending = this.pending.get(message.id ?? -1);
      if (!pending) return;
      this.pending.delete(message.id as number);
      if (message.fatal !== undefined) pending.reject(new Error(`flytekit driver: ${message.fatal}`));
      else pending.resolve(message.results ?? []);
    });
    child.on("exit", (code, signal) => {
      this.exited = new Error(`flytekit driver exited (${signal ?? `code ${code}`}); its stderr ended:\n${this.stderrTail.join("\n")}`);
      failed(this.exited);
      for (const p of this.pending.values()) p.reject(this.exited);
      this.pending.clear();
    });
  }

  /** Starts driver.py with the venv's Python and waits until flytekit is imported. */
  static async start(venv: FlytekitVenv): Promise<FlytekitDriver> {
    const child = spawn(venv.python, [driverScript], { stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, PYTHONUNBUFFERED: "1" } });
    const driver = new FlytekitDriver(child);
    await driver.version;
    return driver;
  }

  /** Sends one batch; resolves with one result per item, in order. */
  call<Op extends keyof Ops>(op: Op, items: readonly Ops[Op]["item"][]): Promise<DriverResult<Ops[Op]["result"]>[]> {
    if (this.exited) return Promise.reject(this.exited);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as Pending["resolve"], reject });
      this.child.stdin.write(`${JSON.stringify({ id, op, items })}\n`);
    });
  }

  /** Like `call`, but throws on the first failed item (for requests that must all succeed). */
  async callAll<Op extends keyof Ops>(op: Op, items: readonly Ops[Op]["item"][]): Promise<Ops[Op]["result"][]> {
    const results = await this.call(op, items);
    return results.map((r, i) => {
      if ("error" in r) throw new Error(`flytekit ${op} failed for item ${i} (${JSON.stringify(items[i])}): ${r.error}\n${r.trace ?? ""}`);
      return r.ok;
    });
  }

  /** Ends the driver (closing its stdin lets it finish on its own). */
  async close(): Promise<void> {
    if (this.exited) return;
    const done = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    this.child.stdin.end();
    await done;
  }
}

export const fromBase64 = (b64: string): Uint8Array => new Uint8Array(Buffer.from(b64, "base64"));
export const toBase64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString("base64");
