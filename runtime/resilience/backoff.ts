// How long to wait before a retry: exponential, capped per wait, with full jitter (a uniform draw
// between 0 and the ceiling) so that clients failing together do not retry together.
import type { RetryPolicy } from './policy.js';

/** The backoff part of a retry policy. */
export type BackoffPolicy = Pick<RetryPolicy, 'initialMs' | 'maxMs' | 'jitter'>;

/**
 * The most a wait before retry number `retry` can be: `initialMs * 2^(retry - 1)`, capped at `maxMs`.
 *
 * @param policy initialMs, maxMs.
 * @param retry 1 for the first retry (the wait after attempt 1).
 * @example
 * backoffCeiling({ initialMs: 50, maxMs: 1000, jitter: 'full' }, 3); // 200
 */
export function backoffCeiling(policy: BackoffPolicy, retry: number): number {
  // 2^1023 is still finite, so 0 * it stays 0 rather than NaN.
  const growth = 2 ** Math.min(Math.max(retry - 1, 0), 1023);
  return Math.min(policy.maxMs, policy.initialMs * growth);
}

/**
 * The wait before retry number `retry`, ms: with `jitter: 'full'` uniform in [0, ceiling], with
 * `'none'` the ceiling itself.
 *
 * @param policy initialMs, maxMs, jitter.
 * @param retry 1 for the first retry.
 * @param random Uniform source in [0, 1). Default `Math.random`.
 * @example
 * backoffWait({ initialMs: 100, maxMs: 2000, jitter: 'full' }, 2); // somewhere in [0, 200]
 */
export function backoffWait(policy: BackoffPolicy, retry: number, random: () => number = Math.random): number {
  const ceiling = backoffCeiling(policy, retry);
  if (policy.jitter === 'none') return ceiling;
  // min() guards a source that returns exactly 1.
  return Math.min(ceiling, random() * ceiling);
}
