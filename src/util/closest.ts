/** Levenshtein distance, two rows; inputs are short (model ids, aliases, profile ids). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  let cur = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length] ?? 0;
}

/**
 * The candidates nearest to `input` (case-insensitive), best first. A candidate that contains the
 * input, or whose last path segment is near it, counts as near: people type `sonet` and `opus-5`.
 */
export function closestMatches(input: string, candidates: Iterable<string>, max = 3): string[] {
  const needle = input.toLowerCase();
  const scored: { c: string; d: number }[] = [];
  for (const c of candidates) {
    const hay = c.toLowerCase();
    const tail = hay.slice(hay.lastIndexOf("/") + 1);
    let d = Math.min(editDistance(needle, hay), editDistance(needle, tail));
    if (needle.length >= 3 && hay.includes(needle)) d = Math.min(d, 1);
    if (d <= Math.max(2, Math.floor(needle.length / 3))) scored.push({ c, d });
  }
  scored.sort((x, y) => x.d - y.d || x.c.localeCompare(y.c));
  return scored.slice(0, max).map((s) => s.c);
}
