// What `meshspec diff` reports: one change between two specs, judged for clients already deployed and
// events already in flight, positioned in the new spec.

/** `breaking`: a deployed client or an event in flight fails; `warning`: some clients may; `safe`: none. */
export type Classification = 'breaking' | 'warning' | 'safe';

export interface Position {
  /** Spec file as the diagnostics show it (relative to the working folder). */
  file: string;
  line: number;
  col: number;
}

export interface Finding extends Position {
  classification: Classification;
  /** Stable kebab-case code, e.g. `field-removed`; tests and docs refer to it. */
  code: string;
  message: string;
  /** What to do instead; absent for a safe change. */
  hint?: string;
}

const rank: Record<Classification, number> = { safe: 0, warning: 1, breaking: 2 };

/** The stricter of two classifications. */
export function worst(a: Classification, b: Classification): Classification {
  return rank[a] >= rank[b] ? a : b;
}

/** Breaking first, then by file and position: the order does not depend on which check ran first. */
export function sortFindings(list: Finding[]): Finding[] {
  return [...list].sort(
    (a, b) =>
      rank[b.classification] - rank[a.classification] ||
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.line - b.line ||
      a.col - b.col ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0) ||
      (a.message < b.message ? -1 : a.message > b.message ? 1 : 0),
  );
}
