// Time as the policies see it. Every policy reads the time and sets its timers through a Clock, so
// tests drive breakers, budgets, backoff waits and deadlines with a manual clock instead of wall time.

/** The time source and timer of the resilience policies. */
export interface Clock {
  /** Epoch milliseconds, like `Date.now()`. */
  now(): number;
  /** Runs `fn` once after `ms`; returns a handle for {@link Clock.clearTimer}. */
  setTimer(fn: () => void, ms: number): unknown;
  /** Cancels a timer set by {@link Clock.setTimer}; a handle that already fired is ignored. */
  clearTimer(handle: unknown): void;
}

/**
 * The process clock: `Date.now` and Node's timers.
 *
 * @example
 * const started = systemClock.now();
 */
export const systemClock: Clock = Object.freeze({
  now: () => Date.now(),
  setTimer: (fn: () => void, ms: number) => setTimeout(fn, ms),
  clearTimer: (handle: unknown) => clearTimeout(handle as NodeJS.Timeout),
});

/**
 * Waits `ms` on `clock`; rejects with the signal's reason when it aborts first.
 *
 * @param clock The clock whose timer waits.
 * @param ms How long to wait; 0 or less resolves on the next turn of the clock's timer.
 * @param signal Cuts the wait short. Default none.
 * @example
 * await sleep(systemClock, 100, AbortSignal.timeout(50)); // rejects with a TimeoutError
 */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clock.clearTimer(handle);
      reject(signal!.reason);
    };
    const handle = clock.setTimer(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
