// Ranking existing names against a wanted one, so a fix offers `app_mode` for a missing `mode`
// before it offers `log_level`. Keys typically differ by case, `_` versus `-` or `.`, or a prefix.

function normalize(name: string): string {
  return name.toLowerCase().replace(/[-_.]/g, '');
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

function distance(wanted: string, candidate: string): number {
  const a = normalize(wanted);
  const b = normalize(candidate);
  if (a === b) return 0;
  if (a !== '' && b !== '' && (a.includes(b) || b.includes(a))) return 1;
  return 1 + editDistance(a, b);
}

/** Candidates ordered from most to least similar to `wanted` (ties keep their order), `wanted` itself excluded. */
export function rankBySimilarity(wanted: string, candidates: readonly string[]): string[] {
  return candidates
    .filter((c) => c !== wanted)
    .map((c, index) => ({ c, index, d: distance(wanted, c) }))
    .sort((x, y) => x.d - y.d || x.index - y.index)
    .map((x) => x.c);
}

/** Candidates close enough to be a plausible typo of `wanted`, most similar first. */
export function similarNames(wanted: string, candidates: readonly string[]): string[] {
  const limit = Math.max(2, Math.floor(normalize(wanted).length / 3)) + 1;
  return rankBySimilarity(wanted, candidates).filter((c) => distance(wanted, c) <= limit);
}
