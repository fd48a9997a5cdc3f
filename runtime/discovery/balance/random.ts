// A uniformly random available instance.
import { randomIndex, type BalanceStrategy, type RandomSource } from './strategy.js';

/**
 * Random: each candidate with probability 1/n.
 *
 * @param random Uniform source in [0, 1). Default `Math.random`.
 * @example
 * const pick = randomChoice();
 * pick.choose(candidates);
 */
export function randomChoice(random: RandomSource = Math.random): BalanceStrategy {
  return { name: 'random', choose: (candidates) => randomIndex(random, candidates.length) };
}
