// What a balancing strategy sees and decides: given the instances available right now (never
// empty), the index of the one to call. Strategies keep only their own small state (a counter),
// the pool keeps the per-instance figures.

/** The pool's figures about one available instance. */
export interface Candidate {
  readonly address: string;
  /** Calls picked and not yet released. */
  readonly outstanding: number;
  /** Exponentially weighted moving average of observed latency, ms; `undefined` before the first release. */
  readonly latencyMs: number | undefined;
}

/** Chooses one of the candidates. */
export interface BalanceStrategy {
  readonly name: StrategyName;
  /** @param candidates Never empty. @returns An index into `candidates`. */
  choose(candidates: readonly Candidate[]): number;
}

/** The strategies a dependency can name. */
export const STRATEGY_NAMES = ['round-robin', 'random', 'least-outstanding', 'p2c'] as const;

/**
 * A strategy's name, as a dependency names it.
 *
 * @example
 * const name: StrategyName = 'least-outstanding';
 */
export type StrategyName = (typeof STRATEGY_NAMES)[number];

/** A source of uniform numbers in [0, 1), like `Math.random`; tests pass a seeded one. */
export type RandomSource = () => number;

/**
 * A uniform integer in [0, n).
 *
 * @param random The uniform source.
 * @param n The exclusive bound (positive).
 * @example
 * randomIndex(Math.random, 3); // 0, 1 or 2
 */
export function randomIndex(random: RandomSource, n: number): number {
  // min() guards a source that returns exactly 1.
  return Math.min(n - 1, Math.floor(random() * n));
}
