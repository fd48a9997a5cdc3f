// A clock that moves only when a test says so, for the resilience policies (runtime/resilience/clock.ts):
// timers fire in time order as the test advances it, with pending promise callbacks run in between,
// so backoff waits, breaker windows and deadlines are exact and no test waits on wall time.
import type { Clock } from '../../runtime/resilience/clock.js';

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
}

/** Lets every callback of settled promises run (one macrotask turn drains the microtask queue). */
export function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export class ManualClock implements Clock {
  #now: number;
  #seq = 0;
  readonly #timers = new Set<Timer>();

  /** @param start The epoch ms the clock starts at. Default 1_000_000. */
  constructor(start = 1_000_000) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimer(fn: () => void, ms: number): unknown {
    const timer = { at: this.#now + Math.max(0, ms), seq: this.#seq++, fn };
    this.#timers.add(timer);
    return timer;
  }

  clearTimer(handle: unknown): void {
    this.#timers.delete(handle as Timer);
  }

  /** Timers still pending. */
  get pending(): number {
    return this.#timers.size;
  }

  #next(limit: number): Timer | undefined {
    let next: Timer | undefined;
    for (const timer of this.#timers) {
      if (timer.at <= limit && (!next || timer.at < next.at || (timer.at === next.at && timer.seq < next.seq))) next = timer;
    }
    return next;
  }

  /** Moves the clock `ms` forward without firing timers: for code that only reads the time (breakers, budgets). */
  skip(ms: number): void {
    this.#now += ms;
  }

  /** Moves the clock `ms` forward, firing the timers due on the way, in order. */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    await flush();
    for (let timer = this.#next(target); timer; timer = this.#next(target)) {
      this.#timers.delete(timer);
      this.#now = Math.max(this.#now, timer.at);
      timer.fn();
      await flush();
    }
    this.#now = target;
    await flush();
  }

  /**
   * Fires timers in order (moving the clock to each) until `promise` settles; returns its outcome.
   * Throws when it cannot settle: no timer left and still pending.
   */
  async settle<T>(promise: Promise<T>): Promise<{ value?: T; error?: unknown }> {
    let outcome: { value?: T; error?: unknown } | undefined;
    promise.then(
      (value) => (outcome = { value }),
      (error: unknown) => (outcome = { error }),
    );
    await flush();
    while (!outcome) {
      const timer = this.#next(Infinity);
      if (!timer) throw new Error('the promise cannot settle: no timer is pending');
      this.#timers.delete(timer);
      this.#now = Math.max(this.#now, timer.at);
      timer.fn();
      await flush();
    }
    return outcome;
  }
}
