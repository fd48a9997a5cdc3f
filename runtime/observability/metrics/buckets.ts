// Histogram buckets, in seconds: from 1 ms (a co-located call, a cached answer) to 10 s (past any
// sensible timeout), roughly ×2.5 apart.

/** The buckets of every duration histogram of the runtime. */
export const DURATION_BUCKETS: readonly number[] = Object.freeze([0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]);

/** The label value of requests no endpoint or route matched: one value, whatever the path. */
export const UNMATCHED = '(unmatched)';
