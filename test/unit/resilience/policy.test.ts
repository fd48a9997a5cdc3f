import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, policyProblems, type ResiliencePolicy } from '../../../runtime/resilience/index.js';

describe('DEFAULT_POLICY', () => {
  it('always has a timeout, retries idempotent calls twice under a 20% budget, and cannot be changed', () => {
    expect(policyProblems(DEFAULT_POLICY)).toEqual([]);
    expect(DEFAULT_POLICY.timeoutMs).toBe(10_000);
    expect(DEFAULT_POLICY.retry).toMatchObject({ attempts: 3, jitter: 'full', budget: { ratio: 0.2 } });
    expect(Object.isFrozen(DEFAULT_POLICY)).toBe(true);
    expect(Object.isFrozen(DEFAULT_POLICY.retry)).toBe(true);
    expect(Object.isFrozen(DEFAULT_POLICY.retry!.budget)).toBe(true);
  });
});

describe('policyProblems', () => {
  const retry = { attempts: 3, initialMs: 100, maxMs: 1_000, jitter: 'full' as const, budget: { ratio: 0.2, minPerSecond: 1, windowMs: 10_000 } };
  const breaker = { consecutiveFailures: 5, minimumCalls: 10, windowMs: 10_000, openForMs: 5_000, halfOpenCalls: 1 };

  it.each<[string, ResiliencePolicy, string]>([
    ['a zero timeout', { timeoutMs: 0 }, 'timeoutMs must be a positive number of ms (got 0)'],
    ['an attempt timeout over the timeout', { timeoutMs: 100, attemptTimeoutMs: 200 }, 'attemptTimeoutMs (200) must not exceed timeoutMs (100)'],
    ['zero attempts', { timeoutMs: 100, retry: { ...retry, attempts: 0 } }, 'retry.attempts must be an integer of at least 1 (got 0)'],
    ['backoff max below initial', { timeoutMs: 100, retry: { ...retry, maxMs: 50 } }, 'retry.maxMs (50) must be at least retry.initialMs (100)'],
    ['a budget over 100%', { timeoutMs: 100, retry: { ...retry, budget: { ...retry.budget, ratio: 1.5 } } }, 'retry.budget.ratio must be a ratio in [0, 1] (got 1.5)'],
    ['a breaker without a trip rule', { timeoutMs: 100, circuitBreaker: { minimumCalls: 1, windowMs: 1, openForMs: 1, halfOpenCalls: 1 } }, 'circuitBreaker needs consecutiveFailures or failureRatio to know when to trip'],
    ['a breaker counting 4xx', { timeoutMs: 100, circuitBreaker: { ...breaker, countedFailures: ['rejected'] } }, "circuitBreaker.countedFailures: 'rejected' cannot be counted (only unavailable, timeout, badGateway, rateLimited)"],
    ['no half-open probe', { timeoutMs: 100, circuitBreaker: { ...breaker, halfOpenCalls: 0 } }, 'circuitBreaker.halfOpenCalls must be an integer of at least 1 (got 0)'],
    ['a bulkhead of 0', { timeoutMs: 100, bulkhead: { maxConcurrent: 0, maxQueue: 0 } }, 'bulkhead.maxConcurrent must be an integer of at least 1 (got 0)'],
    ['an empty fallback', { timeoutMs: 100, fallback: { on: [] } }, 'fallback.on must name at least one failure'],
  ])('reports %s', (_name, policy, problem) => {
    expect(policyProblems(policy)).toContain(problem);
  });

  it('accepts a full, sensible policy', () => {
    expect(policyProblems({ timeoutMs: 2_000, attemptTimeoutMs: 500, retry, circuitBreaker: breaker, bulkhead: { maxConcurrent: 10, maxQueue: 0 }, fallback: { on: ['circuitOpen'] } })).toEqual([]);
  });
});
