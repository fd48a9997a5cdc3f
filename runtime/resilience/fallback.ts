// A call's fallback: a function (in the hook file) that answers instead of the dependency when the
// pipeline fails with one of the failures the policy names, e.g. a cached value when the circuit is
// open. Other failures, a 4xx above all, still reach the caller: a fallback must not hide a bug.
import { kindOf, type FailureKind } from './classify.js';
import type { FallbackPolicy } from './policy.js';

/** Answers instead of the dependency; may throw (its error then reaches the caller). */
export type FallbackFunction<T> = (error: unknown, kind: FailureKind) => T | Promise<T>;

/**
 * Runs `call`; when it fails with a failure `policy.on` names, returns what `fallback` answers.
 *
 * @param call The guarded call.
 * @param policy Which failures the fallback answers.
 * @param fallback The function that answers instead.
 * @param onUse Told each time the fallback is used (for logs and counters). Default none.
 * @example
 * const user = await withFallback(() => pipeline.run(attempt, options), { on: ['circuitOpen', 'unavailable'] }, () => anonymousUser);
 */
export async function withFallback<T>(
  call: () => Promise<T>,
  policy: FallbackPolicy,
  fallback: FallbackFunction<T>,
  onUse?: (kind: FailureKind, error: unknown) => void,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const kind = kindOf(error);
    if (!policy.on.includes(kind)) throw error;
    onUse?.(kind, error);
    return await fallback(error, kind);
  }
}

/**
 * What a fallback answers when its policy names no failures: the dependency's own unavailability
 * (refused or reset, an attempt's timeout, 502, 429, the call's deadline, an open breaker, a full
 * bulkhead), never a 4xx or a 500 (a bug answers the same the second time, and a fallback must not
 * hide it).
 *
 * @example
 * DEFAULT_FALLBACK_ON.includes('circuitOpen'); // true
 */
export const DEFAULT_FALLBACK_ON: readonly FailureKind[] = Object.freeze([
  'unavailable',
  'timeout',
  'badGateway',
  'rateLimited',
  'deadline',
  'circuitOpen',
  'bulkheadFull',
]);
