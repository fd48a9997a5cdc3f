// The errors the pipeline itself throws. Each extends a built-in the rest of the runtime already knows,
// so a hook that catches `Unavailable` or `Timeout` catches these too, and an endpoint that does not
// declare them passes them on as 503 / 504 (common/errors.ts passthroughErrorCodes).
import { Timeout, Unavailable } from '../errors/index.js';

/**
 * The whole call's deadline passed: before the call started, while it waited in the bulkhead queue or
 * for a retry, or during an attempt. Never retried: no time is left to retry in.
 *
 * @example
 * throw new DeadlineExceeded('users.getUser: deadline passed before the call started', true);
 */
export class DeadlineExceeded extends Timeout {
  /** True when the call never started (its deadline had passed already). */
  readonly beforeStart: boolean;

  /**
   * @param message What passed and where.
   * @param beforeStart The call never started. Default false.
   */
  constructor(message: string, beforeStart = false) {
    super(message);
    this.beforeStart = beforeStart;
  }
}

/**
 * One attempt ran out of its own timeout (`attemptTimeoutMs`) while the whole call still had time:
 * retryable, like a 504 from the callee.
 *
 * @example
 * throw new AttemptTimedOut('users.getUser: attempt 1 did not answer within 2000 ms');
 */
export class AttemptTimedOut extends Timeout {}

/**
 * No instance of the dependency admits a call: its circuit breaker (each instance's, when the
 * dependency has several) is open. Thrown at once, never retried.
 *
 * @example
 * try { await users.getUser({ id }); } catch (err) { if (err instanceof CircuitOpen) return cached(id); throw err; }
 */
export class CircuitOpen extends Unavailable {
  /**
   * @param dependency The service called.
   * @param instance The instance whose breaker refused, or undefined when every instance's did.
   */
  constructor(dependency: string, instance?: string) {
    super(
      instance ? `${dependency} is unavailable: circuit open for ${instance}` : `${dependency} is unavailable: circuit open`,
      instance ? { reason: 'circuit-open', dependency, instance } : { reason: 'circuit-open', dependency },
    );
  }
}

/**
 * The dependency's bulkhead is full: `maxConcurrent` calls run and `maxQueue` wait. Thrown at once.
 * An `Unavailable` (503), not a `TooManyRequests` (429): the limit protects this service from a slow
 * dependency, it says nothing about the rate of whoever called this service; and 503 passes through
 * endpoints that do not declare it, where a 429 would become a 500.
 *
 * @example
 * try { await payments.charge(input); } catch (err) { if (err instanceof BulkheadFull) return queueForLater(input); throw err; }
 */
export class BulkheadFull extends Unavailable {
  /**
   * @param dependency The service called.
   * @param maxConcurrent The bulkhead's concurrency cap.
   * @param maxQueue The bulkhead's queue bound.
   */
  constructor(dependency: string, maxConcurrent: number, maxQueue: number) {
    super(`${dependency} is unavailable: ${maxConcurrent} calls in flight and ${maxQueue} waiting (bulkhead full)`, {
      reason: 'bulkhead-full',
      dependency,
    });
  }
}
