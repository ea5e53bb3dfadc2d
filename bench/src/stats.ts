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
  /** flytekit's figure for the same work, where one exists: measured in this run, or stored. */
  flytekitMs?: number;
  /**
   * Where `flytekitMs` comes from: "live" — the real flytekit measured in this run, interleaved with
   * ours on the same inputs; "stored" — shared/golden/flytekit/PERF.md, from a quiet machine (the
   * fallback when flytekit is not installed; a ratio to it is only indicative under load).
   */
  flytekitSource?: "live" | "stored";
  note?: string;
}

/**
 * Runs ours and theirs (flytekit) in alternating rounds on the same inputs — ours first in even
 * rounds, theirs first in odd ones — so that both see the same machine load; returns each side's
 * figures per round. Without `theirs` only ours runs. `warmup` rounds of each are not kept.
 */
export async function interleave<T>(rounds: number, ours: () => Promise<T> | T, theirs?: () => Promise<T>, warmup = 1): Promise<{ ours: T[]; theirs: T[] }> {
  const result: { ours: T[]; theirs: T[] } = { ours: [], theirs: [] };
  for (let i = 0; i < warmup + rounds; i++) {
    const keep = i >= warmup;
    const runOurs = async () => {
      const value = await ours();
      if (keep) result.ours.push(value);
    };
    const runTheirs = async () => {
      if (!theirs) return;
      const value = await theirs();
      if (keep) result.theirs.push(value);
    };
    if (i % 2 === 0) await runOurs().then(runTheirs);
    else await runTheirs().then(runOurs);
  }
  return result;
}

/** Times one call of `fn` in milliseconds. */
export async function time(fn: () => unknown): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** The median of one field over rounds of named figures. */
export const medianOf = <T>(rounds: readonly T[], key: { [K in keyof T]: T[K] extends number ? K : never }[keyof T]): number =>
  median(rounds.map((r) => r[key] as number));

/**
 * A target's note. When the figure a target allows lies below what bare Node.js itself takes (the
 * "node floor" row, `node -e ""` measured in the same run), the note says so: no Node.js process, with
 * or without the SDK, can meet it.
 */
export function targetNote(target: string, limit: number | undefined, floor: number | undefined, unit: string): string {
  if (limit === undefined) return target;
  const allowed = `${target} (≤ ${limit.toFixed(1)} ${unit})`;
  if (floor === undefined || limit >= floor) return allowed;
  return `${allowed}: below bare Node's own ${floor.toFixed(1)} ${unit} (node floor row), so no Node.js process can meet it`;
}

/** A row's flytekit figure: measured live when there are live rounds, else the stored one (if any). */
export function baseline(live: readonly number[], stored: number | undefined): Pick<Row, "flytekitMs" | "flytekitSource"> {
  if (live.length) return { flytekitMs: median(live), flytekitSource: "live" };
  return stored === undefined ? {} : { flytekitMs: stored, flytekitSource: "stored" };
}

export function printTable(title: string, rows: readonly Row[]): void {
  console.log(`\n## ${title}\n`);
  console.log("| what | median | flytekit | speed-up | note |");
  console.log("| --- | ---: | ---: | ---: | --- |");
  for (const r of rows) {
    const source = r.flytekitSource === "stored" ? " (PERF.md)" : r.flytekitSource === "live" ? " (live)" : "";
    const flytekit = r.flytekitMs === undefined ? "—" : `${r.flytekitMs.toFixed(0)} ms${source}`;
    const flytekitCell = r.unit && r.flytekitMs !== undefined ? `${r.flytekitMs.toFixed(1)} ${r.unit}${source}` : flytekit;
    const ratio = r.unit ? "—" : speedup(r.ms, r.flytekitMs);
    console.log(`| ${r.what} | ${r.ms.toFixed(2)} ${r.unit ?? "ms"} | ${flytekitCell} | ${ratio} | ${r.note ?? ""} |`);
  }
}
