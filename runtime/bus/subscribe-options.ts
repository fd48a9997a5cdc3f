// Checking the per-subscription settings every adapter accepts, so they agree on what is valid.
import type { SubscribeOptions } from './types.js';

/** The largest `maxAttempts` a subscription may ask for: beyond it a poisoned event only wastes work. */
export const MAX_ATTEMPTS_LIMIT = 100;

/**
 * The attempts limit of one subscription: its own `maxAttempts`, else the bus's.
 *
 * @param options the subscription's options (default none)
 * @param fallback the bus's `maxAttempts`
 * @throws RangeError when `maxAttempts` is not an integer from 1 to 100
 * @example
 * subscriptionMaxAttempts({ maxAttempts: 3 }, 5) // 3
 * subscriptionMaxAttempts(undefined, 5) // 5
 */
export function subscriptionMaxAttempts(options: SubscribeOptions | undefined, fallback: number): number {
  const value = options?.maxAttempts;
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1 || value > MAX_ATTEMPTS_LIMIT) {
    throw new RangeError(`maxAttempts must be an integer from 1 to ${MAX_ATTEMPTS_LIMIT}, got ${String(value)}`);
  }
  return value;
}
