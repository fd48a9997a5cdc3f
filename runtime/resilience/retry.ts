// The retry loop: attempts up to `attempts`, waiting a backoff between them, and retries only when
// everything agrees: the failure is retryable (classify.ts: never a 4xx, never the whole call's
// deadline), the call may be repeated (idempotent, or it carries an idempotency key), the wait ends
// before the deadline, and the retry budget has a retry left. Each retry, and each retry refused by
// the budget or the deadline, is reported.
import { backoffWait } from './backoff.js';
import type { RetryBudget } from './budget.js';
import { classify } from './classify.js';
import { sleep, type Clock } from './clock.js';
import type { DeadlineScope } from './deadline.js';
import type { ResilienceObserver } from './events.js';
import type { RetryPolicy } from './policy.js';

/** What one call's retry loop works with. */
export interface RetryContext {
  /** The retry policy; undefined: a single attempt. */
  readonly policy: RetryPolicy | undefined;
  /** The client's budget; undefined: no budget (tests, or a policy without retries). */
  readonly budget: RetryBudget | undefined;
  /** False for a non-idempotent call without an idempotency key: never retried. */
  readonly mayRetry: boolean;
  /** The whole call's deadline, epoch ms. */
  readonly deadline: number;
  /**
   * The whole call's signal (deadline and caller), or its deadline scope (whose signal is then only
   * made when a backoff wait needs it): once aborted, no retry and no wait.
   */
  readonly signal: AbortSignal | DeadlineScope;
  readonly clock: Clock;
  /** Uniform source in [0, 1) for the jitter. */
  readonly random: () => number;
  readonly dependency: string;
  readonly observer: ResilienceObserver;
  /** The instance the latest attempt went to, for the retry event. Default: none known. */
  readonly instance?: () => string | undefined;
}

/**
 * Runs `attemptOnce(1)`, then retries as the context allows; resolves with the first success, rejects
 * with the last attempt's error (or the call signal's reason once it has aborted).
 *
 * @param attemptOnce One attempt; its argument counts from 1.
 * @param context Policy, budget, deadline, clock and observer.
 * @example
 * const user = await retryLoop((n) => transport.call(getUser, { id }, { signal: scope.signal }), {
 *   policy: DEFAULT_POLICY.retry, budget, mayRetry: true, deadline, signal: scope.signal,
 *   clock: systemClock, random: Math.random, dependency: 'users', observer: (e) => log.info(e),
 * });
 */
export async function retryLoop<T>(attemptOnce: (attempt: number) => Promise<T>, context: RetryContext): Promise<T> {
  const { policy, budget, signal, clock, observer, dependency } = context;
  for (let attempt = 1; ; attempt++) {
    try {
      return await attemptOnce(attempt);
    } catch (error) {
      // The whole call's deadline passed, or its caller gave up: nothing to retry for.
      if (signal.aborted) throw signal.reason;
      const { retryable, kind, retryAfterMs } = classify(error);
      if (!retryable || !context.mayRetry || policy === undefined || attempt >= policy.attempts) throw error;
      // A Retry-After longer than the backoff wins; one past the deadline means no retry.
      const waitMs = Math.max(backoffWait(policy, attempt, context.random), retryAfterMs ?? 0);
      if (clock.now() + waitMs >= context.deadline) {
        observer({ type: 'retry-denied', dependency, attempt, reason: kind, by: 'deadline' });
        throw error;
      }
      if (budget && !budget.tryRetry()) {
        observer({ type: 'retry-denied', dependency, attempt, reason: kind, by: 'budget' });
        throw error;
      }
      observer({ type: 'retry', dependency, instance: context.instance?.(), attempt, reason: kind, waitMs });
      await sleep(clock, waitMs, signal instanceof AbortSignal ? signal : signal.signal);
    }
  }
}
