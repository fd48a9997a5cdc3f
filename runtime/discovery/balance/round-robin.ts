// Each available instance in turn.
import type { BalanceStrategy } from './strategy.js';

/**
 * Round-robin: with a stable set of n candidates, every n picks call each exactly once.
 * When the set changes (an ejection, a DNS change) the turn continues from the same counter.
 *
 * @example
 * const rr = roundRobin();
 * rr.choose(candidates); // 0, then 1, then 2, then 0 ...
 */
export function roundRobin(): BalanceStrategy {
  let turn = 0;
  return {
    name: 'round-robin',
    choose(candidates) {
      const index = turn % candidates.length;
      // Wrapped so it never loses precision in a long-running process.
      turn = (turn + 1) % Number.MAX_SAFE_INTEGER;
      return index;
    },
  };
}
