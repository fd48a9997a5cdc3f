// Two counters over a rolling time window, kept in a fixed ring of buckets: constant memory whatever
// the traffic, and a count that forgets what happened more than a window ago. The retry budget counts
// calls and retries in one, the circuit breaker calls and failures.
import type { Clock } from './clock.js';

const BUCKETS = 10;

/** Counts `a` and `b` over the last `windowMs`, to a precision of a tenth of the window. */
export class RollingWindow {
  readonly #clock: Clock;
  readonly #bucketMs: number;
  readonly #epochs = new Float64Array(BUCKETS).fill(-1);
  readonly #a = new Float64Array(BUCKETS);
  readonly #b = new Float64Array(BUCKETS);

  /**
   * @param windowMs The window's length (positive).
   * @param clock Time source.
   * @example
   * const window = new RollingWindow(10_000, systemClock);
   */
  constructor(windowMs: number, clock: Clock) {
    this.#clock = clock;
    this.#bucketMs = windowMs / BUCKETS;
  }

  /**
   * Adds to the current bucket.
   *
   * @param a Added to the first counter. Default 0.
   * @param b Added to the second counter. Default 0.
   * @example
   * window.add(1, 0); // one call
   */
  add(a = 0, b = 0): void {
    const epoch = Math.floor(this.#clock.now() / this.#bucketMs);
    const slot = epoch % BUCKETS;
    if (this.#epochs[slot] !== epoch) {
      this.#epochs[slot] = epoch;
      this.#a[slot] = 0;
      this.#b[slot] = 0;
    }
    this.#a[slot]! += a;
    this.#b[slot]! += b;
  }

  /**
   * The two counters summed over the buckets still inside the window.
   *
   * @example
   * const [calls, retries] = window.totals();
   */
  totals(): [number, number] {
    const oldest = Math.floor(this.#clock.now() / this.#bucketMs) - BUCKETS + 1;
    let a = 0;
    let b = 0;
    for (let slot = 0; slot < BUCKETS; slot++) {
      if (this.#epochs[slot]! >= oldest) {
        a += this.#a[slot]!;
        b += this.#b[slot]!;
      }
    }
    return [a, b];
  }

  /**
   * Forgets everything counted.
   *
   * @example
   * window.reset();
   */
  reset(): void {
    this.#epochs.fill(-1);
  }
}
