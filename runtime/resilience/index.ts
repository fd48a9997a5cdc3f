// `meshspec/runtime/resilience`: the resilience policies of inter-service calls, one small file per
// policy, and the pipeline that composes them in one documented order (pipeline.ts):
//
//   deadline -> bulkhead -> retry loop -> per attempt: circuit breaker of the instance -> attempt timeout -> transport
//
//   deadline.ts  the call's deadline (caller's or timeoutMs, whichever is sooner), its AbortSignal, not started when passed
//   classify.ts  what is retryable and what a breaker counts (never a 4xx), Retry-After (withRetryAfter, parseRetryAfter)
//   backoff.ts   exponential backoff with full jitter and a cap per wait
//   budget.ts    the retry budget of a client: retries at most a share of recent calls
//   retry.ts     the retry loop: attempts, waits, idempotency rule, budget, deadline
//   breaker.ts   closed / open / half-open, per instance (CircuitBreakerSet, isAvailable for the balancer)
//   bulkhead.ts  concurrent calls capped, bounded queue, rejection at once
//   fallback.ts  a function that answers for the failures the policy names
//   stats.ts     counters and gauges of every dependency, for a metrics endpoint
//   policy.ts    ResiliencePolicy (ms and ratios) and DEFAULT_POLICY
//
// Where the breaker sits. Breakers are kept per instance, so one bad replica leaves load balancing
// while the others serve. A retry may go to another instance, so the pipeline consults the breaker
// inside the retry loop, per attempt, on the instance that attempt goes to: the call's `pick`
// (the balancer of runtime/discovery/balance) chooses among the instances for which
// `pipeline.isAvailable(address)` is true, and each attempt's outcome is counted on its own
// instance's breaker. When no instance admits a call the call fails fast with CircuitOpen (an
// Unavailable), and a retry never waits for or goes through an open breaker.
//
// Wiring a client (HTTP or gRPC) is one `run` per call, the transport call being the attempt:
//
//   const pipeline = createPipeline(policy, { dependency: 'users', observer, stats });
//   pipeline.run((signal, n, { deadline, instance }) => transport(instance).call(endpoint, input, { ...options, signal, deadline }),
//                { idempotent, idempotencyKey, deadline: options.deadline, signal: options.signal, pick, label: 'users.getUser' });
//
// The transports reject with AttemptTimedOut / DeadlineExceeded themselves when the signal aborts with
// one of them (they pass a MeshError abort reason through), and mark a Retry-After with withRetryAfter.
export { backoffCeiling, backoffWait, type BackoffPolicy } from './backoff.js';
export { CircuitBreaker, CircuitBreakerSet, DEFAULT_COUNTED_FAILURES, REFUSED, type BreakerState, type BreakerTransitionListener } from './breaker.js';
export { RetryBudget } from './budget.js';
export { Bulkhead } from './bulkhead.js';
export {
  BREAKER_COUNTABLE,
  FAILURE_KINDS,
  classify,
  kindOf,
  parseRetryAfter,
  retryAfterOf,
  withRetryAfter,
  type Classification,
  type FailureKind,
} from './classify.js';
export { sleep, systemClock, type Clock } from './clock.js';
export { assertNotPassed, effectiveDeadline, startDeadline, type DeadlineScope, type DeadlineScopeOptions } from './deadline.js';
export { AttemptTimedOut, BulkheadFull, CircuitOpen, DeadlineExceeded } from './errors.js';
export type { ResilienceEvent, ResilienceObserver } from './events.js';
export { DEFAULT_FALLBACK_ON, withFallback, type FallbackFunction } from './fallback.js';
export {
  createPipeline,
  type Attempt,
  type AttemptContext,
  type AttemptScope,
  type InstancePicker,
  type PipelineOptions,
  type ResiliencePipeline,
  type RunOptions,
} from './pipeline.js';
export {
  DEFAULT_POLICY,
  policyProblems,
  type BulkheadPolicy,
  type CircuitBreakerPolicy,
  type FallbackPolicy,
  type ResiliencePolicy,
  type RetryBudgetPolicy,
  type RetryPolicy,
} from './policy.js';
export { retryLoop, type RetryContext } from './retry.js';
export { ResilienceStats, type DependencyCounters, type DependencyGauges, type DependencySnapshot } from './stats.js';
