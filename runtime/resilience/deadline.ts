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
  /** Stops the timer and stops listening to the parent; the signal stays as it is. */
  dispose(): void;
}

/** What a scope needs besides its deadline. */
export interface DeadlineScopeOptions {
  clock: Clock;
  /** The caller's signal (or an outer scope's); its abort aborts this scope with the same reason. */
  parent?: AbortSignal | undefined;
  /** The abort reason when the deadline fires, made only then (an Error's stack is not free). */
  reason: () => unknown;
}

class Scope implements DeadlineScope {
  readonly deadline: number;
  expired = false;
  readonly #controller = new AbortController();
  readonly #clock: Clock;
  readonly #timer: unknown;
  readonly #parent: AbortSignal | undefined;
  readonly #onParentAbort: (() => void) | undefined;

  constructor(deadline: number, { clock, parent, reason }: DeadlineScopeOptions) {
    this.deadline = deadline;
    this.#clock = clock;
    this.#parent = parent;
    this.#timer = clock.setTimer(() => {
      this.expired = true;
      this.#controller.abort(reason());
    }, deadline - clock.now());
    if (parent) {
      if (parent.aborted) this.#controller.abort(parent.reason);
      else {
        this.#onParentAbort = () => this.#controller.abort(parent.reason);
        parent.addEventListener('abort', this.#onParentAbort, { once: true });
      }
    }
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  dispose(): void {
    this.#clock.clearTimer(this.#timer);
    if (this.#onParentAbort) this.#parent!.removeEventListener('abort', this.#onParentAbort);
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
