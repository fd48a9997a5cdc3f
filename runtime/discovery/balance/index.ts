// Load-balancing strategies by name, outlier ejection and active readiness checks.
import { leastOutstanding } from './least-outstanding.js';
import { powerOfTwoChoices } from './p2c.js';
import { randomChoice } from './random.js';
import { roundRobin } from './round-robin.js';
import { STRATEGY_NAMES, type BalanceStrategy, type RandomSource, type StrategyName } from './strategy.js';

export { leastOutstanding } from './least-outstanding.js';
export { p2cCost, powerOfTwoChoices } from './p2c.js';
export { randomChoice } from './random.js';
export { roundRobin } from './round-robin.js';
export { STRATEGY_NAMES, randomIndex, type BalanceStrategy, type Candidate, type RandomSource, type StrategyName } from './strategy.js';
export * from './outlier.js';
export * from './readiness.js';

/**
 * The strategy a dependency names.
 *
 * @param name One of {@link STRATEGY_NAMES}.
 * @param random Uniform source in [0, 1) for the strategies that draw. Default `Math.random`.
 * @throws Error listing the known names for an unknown one.
 * @example
 * createStrategy('p2c');
 */
export function createStrategy(name: StrategyName, random: RandomSource = Math.random): BalanceStrategy {
  switch (name) {
    case 'round-robin':
      return roundRobin();
    case 'random':
      return randomChoice(random);
    case 'least-outstanding':
      return leastOutstanding(random);
    case 'p2c':
      return powerOfTwoChoices(random);
    default:
      throw new Error(`unknown load-balancing strategy '${String(name)}' (expected one of ${STRATEGY_NAMES.join(', ')})`);
  }
}
