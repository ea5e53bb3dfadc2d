import { distance } from "fastest-levenshtein";

/** The candidate closest to `name`, if it is close enough to be a likely misspelling (case ignored). */
export function didYouMean(name: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; d: number } | undefined;
  for (const candidate of candidates) {
    const d = distance(name.toLowerCase(), candidate.toLowerCase());
    if (!best || d < best.d) best = { candidate, d };
  }
  // Close enough: a third of the name's letters at most (one for short names), and not a whole rewrite.
  return best && best.d <= Math.max(1, Math.floor(name.length / 3)) && best.d < name.length ? best.candidate : undefined;
}

/** ` (did you mean "x"?)`, or nothing. */
export function hint(name: string, candidates: readonly string[]): string {
  const guess = didYouMean(name, candidates);
  return guess === undefined ? "" : ` (did you mean "${guess}"?)`;
}
