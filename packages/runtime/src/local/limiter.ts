import { FlytekitError } from "@flytekit-ts/idl";

/** What a task waiting for a slot gets when the run stops starting work (a node failed). */
export class NotStarted extends FlytekitError {
  constructor() {
    super("NOT_STARTED", "not started: the run stopped after a node failed");
  }
}

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Caps how many tasks run at once across a whole run (Flyte's max parallelism counts task nodes, not the
 * workflow, dynamic and branch nodes that wait for them, which would deadlock if they held slots).
 * Waiters are served first come, first served from a queue read by an index: O(1) per task.
 */
export class Limiter {
  private readonly waiting: (Waiter | undefined)[] = [];
  private head = 0;
  private stopped = false;

  constructor(private free: number) {}

  /** Runs `work` once a slot is free; rejects with {@link NotStarted} if the run stopped first. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      const result = await work();
      this.release();
      return result;
    } catch (error) {
      // The slot goes on only after the failure has travelled up (promise jobs all run first): if it
      // fails the run, the run stops before the next waiter starts.
      setImmediate(() => this.release());
      throw error;
    }
  }

  /** Starts nothing more: every waiter, and every later caller, gets {@link NotStarted}. */
  stop(): void {
    this.stopped = true;
    const waiting = this.waiting.splice(this.head);
    this.waiting.length = 0;
    this.head = 0;
    for (const waiter of waiting) waiter?.reject(new NotStarted());
  }

  private acquire(): Promise<void> {
    if (this.stopped) return Promise.reject(new NotStarted());
    if (this.free > 0) {
      this.free--;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  private release(): void {
    const next = this.head < this.waiting.length ? this.waiting[this.head] : undefined;
    if (!next) {
      this.free++;
      return;
    }
    this.waiting[this.head++] = undefined;
    // Drop the served prefix now and then, so that the queue's memory follows what still waits.
    if (this.head > 1024 && this.head * 2 > this.waiting.length) {
      this.waiting.splice(0, this.head);
      this.head = 0;
    }
    next.resolve();
  }
}
