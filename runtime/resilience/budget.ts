// A retry budget per client: retries may be at most `ratio` of the calls made in the last window,
// plus a reserve of `minPerSecond` per second of window so that a client with little traffic still
// retries. When a dependency fails everything, its callers add at most that share of extra calls
// instead of multiplying their traffic by the number of attempts.
import type { Clock } from './clock.js';
import type { RetryBudgetPolicy } from './policy.js';
import { RollingWindow } from './window.js';

// Products such as 0.1 * 30 land a hair above or below the integer they mean.
const EPSILON = 1e-9;

/** Counts calls and retries over a rolling window and says whether one more retry fits. */
export class RetryBudget {
  readonly #policy: RetryBudgetPolicy;
  readonly #window: RollingWindow;
  readonly #reserve: number;

  /**
   * @param policy ratio, minPerSecond, windowMs.
   * @param clock Time source.
   * @example
   * const budget = new RetryBudget({ ratio: 0.2, minPerSecond: 1, windowMs: 10_000 }, systemClock);
   */
  constructor(policy: RetryBudgetPolicy, clock: Clock) {
    this.#policy = policy;
    this.#window = new RollingWindow(policy.windowMs, clock);
    this.#reserve = (policy.minPerSecond * policy.windowMs) / 1000;
  }

  /**
   * Counts one call (its first attempt), which earns `ratio` of a retry.
   *
   * @example
   * budget.recordCall();
   */
  recordCall(): void {
    this.#window.add(1, 0);
  }

  /**
   * Takes one retry from the budget when it has one: true when the retry may go ahead.
   *
   * @example
   * if (!budget.tryRetry()) throw lastError;
   */
  tryRetry(): boolean {
    if (this.available() < 1 - EPSILON) return false;
    this.#window.add(0, 1);
    return true;
  }

  /**
   * Retries left in the window right now (may be fractional).
   *
   * @example
   * budget.available(); // 10 on a fresh budget of 1 per second over 10 s
   */
  available(): number {
    const [calls, retries] = this.#window.totals();
    return this.#policy.ratio * calls + this.#reserve - retries;
  }
}
