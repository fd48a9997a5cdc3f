// The instance with the fewest calls in flight: a slow instance holds its calls longer, so new
// calls drift to the others without any latency measurement.
import { randomIndex, type BalanceStrategy, type RandomSource } from './strategy.js';

/**
 * Least outstanding requests; ties (e.g. all idle) are broken at random so idle instances share the load.
 *
 * @param random Uniform source in [0, 1) for ties. Default `Math.random`.
 * @example
 * leastOutstanding().choose([{ address: 'a', outstanding: 3, latencyMs: 5 }, { address: 'b', outstanding: 0, latencyMs: 9 }]); // 1
 */
export function leastOutstanding(random: RandomSource = Math.random): BalanceStrategy {
  return {
    name: 'least-outstanding',
    choose(candidates) {
      let least = Infinity;
      let tied: number[] = [];
      candidates.forEach((c, i) => {
        if (c.outstanding < least) {
          least = c.outstanding;
          tied = [i];
        } else if (c.outstanding === least) {
          tied.push(i);
        }
      });
      return tied.length === 1 ? tied[0]! : tied[randomIndex(random, tied.length)]!;
    },
  };
}
