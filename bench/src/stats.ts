/** Median of a non-empty sample. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error("median of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Runs `fn` `runs` times after `warmup` unmeasured runs; returns each run's milliseconds. */
export async function sample(fn: () => unknown, runs: number, warmup = 1): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return times;
}

/** How many times faster we are than a baseline (> 1 means faster). */
export function speedup(oursMs: number, baselineMs: number | undefined): string {
  if (baselineMs === undefined) return "—";
  return `${(baselineMs / oursMs).toFixed(1)}×`;
}

export interface Row {
  what: string;
  /** The measurement: milliseconds unless `unit` says otherwise. */
  ms: number;
  /** For rows that measure something other than time, e.g. "B/node" or "MB". */
  unit?: string;
  /** flytekit's figure for the same work, from shared/golden/flytekit/PERF.md, where one exists. */
  flytekitMs?: number;
  note?: string;
}

export function printTable(title: string, rows: readonly Row[]): void {
  console.log(`\n## ${title}\n`);
  console.log("| what | median | flytekit | speed-up | note |");
  console.log("| --- | ---: | ---: | ---: | --- |");
  for (const r of rows) {
    const flytekit = r.flytekitMs === undefined ? "—" : `${r.flytekitMs.toFixed(0)} ms`;
    const flytekitCell = r.unit && r.flytekitMs !== undefined ? `${r.flytekitMs.toFixed(1)} ${r.unit}` : flytekit;
    const ratio = r.unit ? "—" : speedup(r.ms, r.flytekitMs);
    console.log(`| ${r.what} | ${r.ms.toFixed(2)} ${r.unit ?? "ms"} | ${flytekitCell} | ${ratio} | ${r.note ?? ""} |`);
  }
}
