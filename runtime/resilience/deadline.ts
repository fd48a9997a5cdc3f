// A call's deadline: the sooner of the caller's (propagated from upstream) and now + the policy's
// timeout. A call whose deadline has passed is not started; a started one carries an AbortSignal that
// fires at the deadline, or as soon as the caller's own signal does, so nothing outlives it.
import type { Clock } from './clock.js';
import { DeadlineExceeded } from './errors.js';

/**
 * The epoch ms by which a call must be done.
 *
 * @param now The current time, epoch ms.
 * @param timeoutMs The policy's overall timeout, ms.
 * @param callerDeadline The caller's deadline, epoch ms; null or undefined when it has none. Default none.
 * @example
 * effectiveDeadline(1_000, 10_000, 5_000); // 5_000: the caller's is sooner
 */
export function effectiveDeadline(now: number, timeoutMs: number, callerDeadline?: number | null): number {
  const own = now + timeoutMs;
  return callerDeadline == null ? own : Math.min(own, callerDeadline);
}

/**
 * Throws when the deadline has passed, so that a call that cannot finish in time is not started.
 *
 * @param deadline Epoch ms.
 * @param now The current time, epoch ms.
 * @param label What was about to be called, for the message (e.g. `users.getUser`).
 * @throws DeadlineExceeded with `beforeStart` set.
 * @example
 * assertNotPassed(deadline, clock.now(), 'users.getUser');
 */
export function assertNotPassed(deadline: number, now: number, label: string): void {
  if (deadline <= now) throw new DeadlineExceeded(`${label}: deadline passed before the call started`, true);
}

/** A running deadline: its signal, and whether it was the deadline (rather than the parent) that fired. */
export interface DeadlineScope {
  readonly deadline: number;
  /** Aborts at the deadline (reason: the scope's error), or with the parent's reason when the parent aborts. */
  readonly signal: AbortSignal;
  /** True once the deadline itself fired. */
  readonly expired: boolean;
  /** True once the scope aborted (deadline or parent); read without making the signal. */
  readonly aborted: boolean;
  /** The abort reason once aborted. */
  readonly reason: unknown;
  /**
   * Settles like `work`, or rejects with the abort reason as soon as the scope aborts, whichever
   * comes first: a piece of work deaf to the signal still ends with the scope.
   */
  race<T>(work: Promise<T>): Promise<T>;
  /** Calls `listener` with the reason when the scope aborts; returns the unsubscribe. Cheaper than a signal listener. */
  onAbort(listener: (reason: unknown) => void): () => void;
  /** Stops the timer and stops listening to the parent; the signal stays as it is. */
  dispose(): void;
}

/** What a scope needs besides its deadline. */
export interface DeadlineScopeOptions {
  clock: Clock;
  /**
   * The caller's signal, or an outer scope (cheaper to follow: no EventTarget listener, which costs
   * microseconds per call on Node 20); its abort aborts this scope with the same reason.
   */
  parent?: AbortSignal | DeadlineScope | undefined;
  /** The abort reason when the deadline fires, made only then (an Error's stack is not free). */
  reason: () => unknown;
}

const noop = () => {};

class Scope implements DeadlineScope {
  readonly deadline: number;
  expired = false;
  // The AbortController is made on first use of `signal`: creating an AbortSignal is the dearest
  // part of a scope on Node 20, and a call scope whose attempts run under their own timeouts never
  // hands its signal out unless the call waits (bulkhead queue, backoff).
  #controller: AbortController | undefined;
  #aborted = false;
  #reason: unknown;
  readonly #clock: Clock;
  readonly #timer: unknown;
  #listeners: ((reason: unknown) => void)[] | undefined;
  #unfollow: (() => void) | undefined;

  constructor(deadline: number, { clock, parent, reason }: DeadlineScopeOptions) {
    this.deadline = deadline;
    this.#clock = clock;
    this.#timer = clock.setTimer(() => {
      this.expired = true;
      this.#abort(reason());
    }, deadline - clock.now());
    if (parent instanceof Scope) this.#unfollow = parent.onAbort((why) => this.#abort(why));
    else if (parent) {
      const signal = parent as AbortSignal;
      if (signal.aborted) this.#abort(signal.reason);
      else {
        const onAbort = () => this.#abort(signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
        this.#unfollow = () => signal.removeEventListener('abort', onAbort);
      }
    }
  }

  get aborted(): boolean {
    return this.#aborted;
  }

  get reason(): unknown {
    return this.#reason;
  }

  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  #abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    this.#controller?.abort(reason);
    const listeners = this.#listeners;
    this.#listeners = undefined;
    if (listeners) for (const listener of listeners) listener(reason);
  }

  onAbort(listener: (reason: unknown) => void): () => void {
    if (this.#aborted) {
      listener(this.#reason);
      return noop;
    }
    (this.#listeners ??= []).push(listener);
    return () => {
      const at = this.#listeners?.indexOf(listener) ?? -1;
      if (at >= 0) this.#listeners!.splice(at, 1);
    };
  }

  race<T>(work: Promise<T>): Promise<T> {
    if (this.#aborted) {
      work.catch(noop);
      return Promise.reject(this.#reason);
    }
    return new Promise<T>((resolve, reject) => {
      const unsubscribe = this.onAbort(reject);
      work.then(
        (value) => {
          unsubscribe();
          resolve(value);
        },
        (error: unknown) => {
          unsubscribe();
          reject(error);
        },
      );
    });
  }

  dispose(): void {
    this.#clock.clearTimer(this.#timer);
    this.#unfollow?.();
  }
}

/**
 * Starts a deadline: a signal that aborts at `deadline` or with `parent`. Call `dispose()` when the
 * work is done, or the timer keeps running until the deadline.
 *
 * @param deadline Epoch ms, in the future (check with {@link assertNotPassed} first).
 * @param options clock, parent (default none), reason.
 * @example
 * const scope = startDeadline(deadline, { clock: systemClock, parent: callerSignal, reason: () => new DeadlineExceeded('users.getUser: deadline exceeded') });
 * try { return await fetchSomething(scope.signal); } finally { scope.dispose(); }
 */
export function startDeadline(deadline: number, options: DeadlineScopeOptions): DeadlineScope {
  return new Scope(deadline, options);
}
