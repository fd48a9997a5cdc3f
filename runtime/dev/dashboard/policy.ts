// A call's resilience policy in one line, as the catalog and the topology's edges show it.
import { DEFAULT_POLICY, type ResiliencePolicy } from '../../resilience/policy.js';

/**
 * `timeout 5s, 2 attempts, breaker 50%/10s, bulkhead 20`: the timeout, the attempts (with the
 * per-attempt timeout when set), the breaker's trip rule and the bulkhead's cap; a missing policy is
 * the runtime's default.
 *
 * @param policy - the call's resolved policy (CallDescriptor.policy), undefined for DEFAULT_POLICY
 * @example
 * policyLine({ timeoutMs: 5000, retry: { attempts: 2, initialMs: 100, maxMs: 1000, jitter: 'full', budget: { ratio: 0.1, minPerSecond: 1, windowMs: 10000 } } });
 * // 'timeout 5s, 2 attempts'
 */
export function policyLine(policy: ResiliencePolicy | undefined): string {
  const p = policy ?? DEFAULT_POLICY;
  const parts = [`timeout ${duration(p.timeoutMs)}`];
  const attempts = p.retry?.attempts ?? 1;
  parts.push(`${attempts} attempt${attempts === 1 ? '' : 's'}${p.attemptTimeoutMs !== undefined ? ` of ${duration(p.attemptTimeoutMs)}` : ''}`);
  const breaker = p.circuitBreaker;
  if (breaker) {
    const rules = [
      ...(breaker.failureRatio !== undefined ? [`${Math.round(breaker.failureRatio * 100)}%/${duration(breaker.windowMs)}`] : []),
      ...(breaker.consecutiveFailures !== undefined ? [`${breaker.consecutiveFailures} in a row`] : []),
    ];
    parts.push(`breaker ${rules.join(' or ')}`);
  }
  if (p.bulkhead) parts.push(`bulkhead ${p.bulkhead.maxConcurrent}`);
  if (p.fallback) parts.push('fallback');
  return parts.join(', ');
}

/** 5000 -> `5s`, 1500 -> `1.5s`, 250 -> `250ms`, 120000 -> `2m`. */
function duration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${Math.round(ms / 100) / 10}s`;
}
