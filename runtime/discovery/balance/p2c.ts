// Power of two choices on latency: compare two random instances and take the cheaper. Cheap to
// compute, and unlike "always the fastest" it never herds every caller onto one instance.
import { randomIndex, type BalanceStrategy, type Candidate, type RandomSource } from './strategy.js';

/**
 * The cost p2c compares: the latency average scaled by the calls already waiting on the instance
 * (`latency × (outstanding + 1)`), so a fast instance that is already busy loses to an idle one.
 * An instance without a measurement yet costs 0: it gets tried, which gives it one.
 *
 * @param candidate The pool's figures for one instance.
 * @example
 * p2cCost({ address: 'a', outstanding: 1, latencyMs: 10 }); // 20
 */
export function p2cCost(candidate: Candidate): number {
  return (candidate.latencyMs ?? 0) * (candidate.outstanding + 1);
}

/**
 * Power of two choices: two distinct random candidates, the one with the lower {@link p2cCost};
 * on equal cost the one with fewer outstanding calls, then the first drawn.
 *
 * @param random Uniform source in [0, 1). Default `Math.random`.
 * @example
 * const strategy = powerOfTwoChoices();
 * strategy.choose(candidates);
 */
export function powerOfTwoChoices(random: RandomSource = Math.random): BalanceStrategy {
  return {
    name: 'p2c',
    choose(candidates) {
      const n = candidates.length;
      if (n === 1) return 0;
      const first = randomIndex(random, n);
      // A second index drawn from the other n - 1, so the two always differ.
      const second = (first + 1 + randomIndex(random, n - 1)) % n;
      const a = candidates[first]!;
      const b = candidates[second]!;
      const costA = p2cCost(a);
      const costB = p2cCost(b);
      if (costA !== costB) return costA < costB ? first : second;
      return b.outstanding < a.outstanding ? second : first;
    },
  };
}
