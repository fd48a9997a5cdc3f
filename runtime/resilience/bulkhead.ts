// A cap on the calls in flight to one dependency, with a bounded FIFO queue behind it. Over both, a
// call is rejected at once (BulkheadFull), so a slow dependency ties up at most `maxConcurrent +
// maxQueue` of this service's requests. A queued call leaves the queue when its signal aborts (its
// deadline passed or its caller gave up).
import { BulkheadFull } from './errors.js';
import type { BulkheadPolicy } from './policy.js';

interface Waiter {
  resolve(): void;
  reject(reason: unknown): void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

/** Slots for concurrent calls to one dependency. */
export class Bulkhead {
  readonly #policy: BulkheadPolicy;
  readonly #dependency: string;
  readonly #queue: Waiter[] = [];
  #active = 0;

  /**
   * @param policy maxConcurrent, maxQueue.
   * @param dependency The service called, for the rejection's message.
   * @example
   * const bulkhead = new Bulkhead({ maxConcurrent: 10, maxQueue: 20 }, 'payments');
   */
  constructor(policy: BulkheadPolicy, dependency: string) {
    this.#policy = policy;
    this.#dependency = dependency;
  }

  /** Calls holding a slot. */
  get active(): number {
    return this.#active;
  }

  /** Calls waiting for a slot. */
  get queued(): number {
    return this.#queue.length;
  }

  /**
   * Takes a slot when one is free, without waiting.
   *
   * @example
   * if (!bulkhead.tryEnter()) await bulkhead.enter(signal);
   */
  tryEnter(): boolean {
    if (this.#active >= this.#policy.maxConcurrent) return false;
    this.#active++;
    return true;
  }

  /**
   * Takes a slot, waiting in the queue when none is free. Every resolved `enter` (and every true
   * `tryEnter`) must be followed by exactly one {@link Bulkhead.release}.
   *
   * @param signal Takes the call out of the queue when it aborts (rejects with its reason). Default none.
   * @throws BulkheadFull at once when the queue is full too.
   * @example
   * await bulkhead.enter(scope.signal);
   * try { return await call(); } finally { bulkhead.release(); }
   */
  enter(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.tryEnter()) return Promise.resolve();
    if (this.#queue.length >= this.#policy.maxQueue) {
      return Promise.reject(new BulkheadFull(this.#dependency, this.#policy.maxConcurrent, this.#policy.maxQueue));
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, signal, onAbort: undefined };
      if (signal) {
        waiter.onAbort = () => {
          const at = this.#queue.indexOf(waiter);
          if (at >= 0) this.#queue.splice(at, 1);
          reject(signal.reason);
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.#queue.push(waiter);
    });
  }

  /**
   * Gives a slot back: to the first queued call when there is one.
   *
   * @example
   * bulkhead.release();
   */
  release(): void {
    const next = this.#queue.shift();
    if (!next) {
      this.#active--;
      return;
    }
    // The slot passes straight to the next call: `active` stays as it is.
    if (next.onAbort) next.signal!.removeEventListener('abort', next.onAbort);
    next.resolve();
  }
}
