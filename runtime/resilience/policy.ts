// The resolved policy of one dependency (or one endpoint of it): every number in milliseconds or as a
// ratio in [0, 1], every default filled in. The spec's named policies resolve to this shape; the
// runtime never reads the spec.
import { BREAKER_COUNTABLE, FAILURE_KINDS, type FailureKind } from './classify.js';

/** Retry with exponential backoff, under a retry budget. */
export interface RetryPolicy {
  /** Attempts in all, the first included: 3 means at most 2 retries. At least 1. */
  readonly attempts: number;
  /** Backoff ceiling before the first retry, ms; doubles per retry. */
  readonly initialMs: number;
  /** Cap of any single backoff wait, ms (a `Retry-After` may ask for longer, within the deadline). */
  readonly maxMs: number;
  /** `full`: each wait is uniform in [0, ceiling]; `none`: each wait is the ceiling. */
  readonly jitter: 'full' | 'none';
  readonly budget: RetryBudgetPolicy;
}

/** Retries allowed per client: at most `ratio` of the calls in the last `windowMs`, plus a small reserve. */
export interface RetryBudgetPolicy {
  /** Retries per call over the window, in [0, 1]: 0.2 lets one call in five be retried once. */
  readonly ratio: number;
  /** Retries per second allowed whatever the traffic, so a quiet client still retries. */
  readonly minPerSecond: number;
  /** The window calls and retries are counted over, ms. */
  readonly windowMs: number;
}

/** A circuit breaker, kept per instance of the dependency. At least one trip rule is set. */
export interface CircuitBreakerPolicy {
  /** Trips after this many counted failures in a row. */
  readonly consecutiveFailures?: number;
  /** Trips when counted failures reach this share of the calls in the window, in (0, 1]. */
  readonly failureRatio?: number;
  /** `failureRatio` is only judged over at least this many calls in the window. */
  readonly minimumCalls: number;
  /** The window `failureRatio` is measured over, ms. */
  readonly windowMs: number;
  /** How long an open breaker refuses calls before it lets probes through, ms. */
  readonly openForMs: number;
  /** Probe calls let through while half-open; that many successes close the breaker, one failure opens it. */
  readonly halfOpenCalls: number;
  /** The failures counted, among the retryable kinds. Default all of them: unavailable, timeout, badGateway, rateLimited. */
  readonly countedFailures?: readonly FailureKind[];
}

/** A cap on the calls in flight to the dependency, with a bounded queue behind it. */
export interface BulkheadPolicy {
  readonly maxConcurrent: number;
  /** Calls that may wait for a slot; 0 rejects at once when all slots are taken. */
  readonly maxQueue: number;
}

/** Which failures a call's fallback function answers. */
export interface FallbackPolicy {
  readonly on: readonly FailureKind[];
}

/** Everything the pipeline applies to one call. */
export interface ResiliencePolicy {
  /** The whole call's budget, ms, retries and waits included; a sooner caller deadline wins. */
  readonly timeoutMs: number;
  /** Each attempt's own budget, ms, at most `timeoutMs`. Absent: an attempt may use what is left of the call's. */
  readonly attemptTimeoutMs?: number;
  readonly retry?: RetryPolicy;
  readonly circuitBreaker?: CircuitBreakerPolicy;
  readonly bulkhead?: BulkheadPolicy;
  readonly fallback?: FallbackPolicy;
}

/**
 * What applies when a spec says nothing: a 10 s timeout always; up to 2 retries (3 attempts) with
 * full-jitter backoff from 50 ms capped at 1 s, but only for idempotent calls or calls that carry an
 * idempotency key (the pipeline's rule, whatever the policy); retries at most 20% of the calls of the
 * last 10 s plus 1 per second. No breaker and no bulkhead: those depend on the dependency, and the
 * balancer's outlier ejection already takes a failing instance out.
 *
 * @example
 * createPipeline(DEFAULT_POLICY, { dependency: 'users' });
 */
export const DEFAULT_POLICY: ResiliencePolicy = Object.freeze({
  timeoutMs: 10_000,
  retry: Object.freeze({
    attempts: 3,
    initialMs: 50,
    maxMs: 1_000,
    jitter: 'full',
    budget: Object.freeze({ ratio: 0.2, minPerSecond: 1, windowMs: 10_000 }),
  }),
} as const);

/**
 * The problems of a resolved policy, one sentence each; empty when it is usable. The spec's semantic
 * checks report these with positions; this guards policies built in code.
 *
 * @param policy The policy to check.
 * @example
 * policyProblems({ timeoutMs: 0 }); // ['timeoutMs must be a positive number of ms (got 0)']
 */
export function policyProblems(policy: ResiliencePolicy): string[] {
  const problems: string[] = [];
  const positive = (name: string, value: number) => {
    if (!(Number.isFinite(value) && value > 0)) problems.push(`${name} must be a positive number of ms (got ${value})`);
  };
  const atLeast = (name: string, value: number, min: number) => {
    if (!(Number.isInteger(value) && value >= min)) problems.push(`${name} must be an integer of at least ${min} (got ${value})`);
  };
  const ratio = (name: string, value: number, zeroAllowed: boolean) => {
    if (!(Number.isFinite(value) && value <= 1 && (zeroAllowed ? value >= 0 : value > 0))) {
      problems.push(`${name} must be a ratio in ${zeroAllowed ? '[0, 1]' : '(0, 1]'} (got ${value})`);
    }
  };
  positive('timeoutMs', policy.timeoutMs);
  if (policy.attemptTimeoutMs !== undefined) {
    positive('attemptTimeoutMs', policy.attemptTimeoutMs);
    if (policy.attemptTimeoutMs > policy.timeoutMs) {
      problems.push(`attemptTimeoutMs (${policy.attemptTimeoutMs}) must not exceed timeoutMs (${policy.timeoutMs})`);
    }
  }
  const { retry, circuitBreaker: breaker, bulkhead, fallback } = policy;
  if (retry) {
    atLeast('retry.attempts', retry.attempts, 1);
    if (!(Number.isFinite(retry.initialMs) && retry.initialMs >= 0)) problems.push(`retry.initialMs must be 0 or more ms (got ${retry.initialMs})`);
    if (!(Number.isFinite(retry.maxMs) && retry.maxMs >= retry.initialMs)) {
      problems.push(`retry.maxMs (${retry.maxMs}) must be at least retry.initialMs (${retry.initialMs})`);
    }
    ratio('retry.budget.ratio', retry.budget.ratio, true);
    if (!(Number.isFinite(retry.budget.minPerSecond) && retry.budget.minPerSecond >= 0)) {
      problems.push(`retry.budget.minPerSecond must be 0 or more (got ${retry.budget.minPerSecond})`);
    }
    positive('retry.budget.windowMs', retry.budget.windowMs);
  }
  if (breaker) {
    if (breaker.consecutiveFailures === undefined && breaker.failureRatio === undefined) {
      problems.push('circuitBreaker needs consecutiveFailures or failureRatio to know when to trip');
    }
    if (breaker.consecutiveFailures !== undefined) atLeast('circuitBreaker.consecutiveFailures', breaker.consecutiveFailures, 1);
    if (breaker.failureRatio !== undefined) ratio('circuitBreaker.failureRatio', breaker.failureRatio, false);
    atLeast('circuitBreaker.minimumCalls', breaker.minimumCalls, 1);
    positive('circuitBreaker.windowMs', breaker.windowMs);
    positive('circuitBreaker.openForMs', breaker.openForMs);
    atLeast('circuitBreaker.halfOpenCalls', breaker.halfOpenCalls, 1);
    for (const kind of breaker.countedFailures ?? []) {
      if (!BREAKER_COUNTABLE.includes(kind)) problems.push(`circuitBreaker.countedFailures: '${kind}' cannot be counted (only ${BREAKER_COUNTABLE.join(', ')})`);
    }
  }
  if (bulkhead) {
    atLeast('bulkhead.maxConcurrent', bulkhead.maxConcurrent, 1);
    atLeast('bulkhead.maxQueue', bulkhead.maxQueue, 0);
  }
  if (fallback) {
    if (fallback.on.length === 0) problems.push('fallback.on must name at least one failure');
    for (const kind of fallback.on) {
      if (!FAILURE_KINDS.includes(kind)) problems.push(`fallback.on: unknown failure '${kind}' (known: ${FAILURE_KINDS.join(', ')})`);
    }
  }
  return problems;
}
