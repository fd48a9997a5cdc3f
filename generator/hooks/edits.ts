// Changes to a user's hook file are insertions only: there is no way to express a deletion or a
// replacement here, so every character of the original survives, in order, by construction.

export interface Insertion {
  /** Offset in the ORIGINAL text. */
  at: number;
  text: string;
}

/** Applies insertions; ones at the same offset keep the order they were given in. */
export function applyInsertions(original: string, insertions: readonly Insertion[]): string {
  const sorted = insertions
    .map((ins, order) => ({ ...ins, order }))
    .sort((a, b) => a.at - b.at || a.order - b.order);
  let out = '';
  let cursor = 0;
  for (const { at, text } of sorted) {
    if (at < 0 || at > original.length) throw new RangeError(`insertion at ${at} is outside the file`);
    out += original.slice(cursor, at) + text;
    cursor = at;
  }
  return out + original.slice(cursor);
}
