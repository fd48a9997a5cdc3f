// "Did you mean": the candidate nearest to a mistyped name. Shared by the generator's diagnostics
// and the runtime's own answers (the dev dashboard's unknown endpoint), so both suggest alike.

/**
 * The candidate nearest to `name` (case ignored; ties go to the one that sorts first), when it is
 * near enough to be a typo: at most `allowed` edits, by default a third of the name (at least 1, at
 * most 3).
 *
 * @param name - what was written
 * @param candidates - what exists
 * @param allowed - the most edits a typo may have (default: the rule above)
 * @example
 * closest('usres', ['users', 'orders']); // 'users'
 * closest('users.createUsr', ids, 3); // 'users.createUser'
 */
export function closest(name: string, candidates: Iterable<string>, allowed: number = Math.min(3, Math.max(1, Math.floor(name.length / 3)))): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const lower = name.toLowerCase();
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance || (distance === bestDistance && best !== undefined && candidate < best)) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= allowed ? best : undefined;
}

/**
 * Levenshtein distance with adjacent transpositions counted as one edit.
 *
 * @param a - one string
 * @param b - the other
 * @example
 * editDistance('recieve', 'receive'); // 1
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, d[i - 2]![j - 2]! + 1);
      d[i]![j] = value;
    }
  }
  return d[a.length]![b.length]!;
}
