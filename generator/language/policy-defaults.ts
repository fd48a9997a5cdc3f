// What the spec's resilience policies mean where a spec leaves a key out, and the runtime's names the
// language maps to. These equal the runtime's DEFAULT_POLICY (runtime/resilience/policy.ts), its
// breaker-countable failure kinds (runtime/resilience/classify.ts), the failures a fallback answers
// by default (DEFAULT_FALLBACK_ON, runtime/resilience/fallback.ts) and its balancing strategies
// (runtime/discovery/balance/strategy.ts), which the generator may not import
// (test/unit/model/policies.test.ts holds them together).

/**
 * The built-in policy, written as the spec writes it: what a call gets when the mesh has no
 * `policies.default`, and what each key a policy leaves out means.
 *
 * @example
 * parseDuration(POLICY_DEFAULTS.timeout) // 10000
 */
export const POLICY_DEFAULTS = {
  timeout: '10s',
  retry: { attempts: 3, backoff: 'exponential', initial: '50ms', max: '1s', jitter: 'full', budget: '20%' },
  /** Not in the spec: retries allowed per second whatever the traffic, and the window the budget counts over. */
  retryBudget: { minPerSecond: 1, window: '10s' },
  circuitBreaker: { window: '10s', minimumCalls: 20, openFor: '15s', halfOpenCalls: 3 },
  bulkhead: { maxQueue: 0 },
} as const;

/** The name of the mesh policy that applies to every call that names none. */
export const DEFAULT_POLICY_NAME = 'default';

/**
 * The failures a circuit breaker may count, as the spec and the runtime name them (never a 4xx).
 *
 * @example
 * COUNTABLE_FAILURES.includes('timeout') // true
 */
export const COUNTABLE_FAILURES = ['unavailable', 'timeout', 'badGateway', 'rateLimited'] as const;

/** A failure a circuit breaker may count. */
export type CountableFailure = (typeof COUNTABLE_FAILURES)[number];

/**
 * The failures a call's fallback may answer (`fallback.on`), as the spec and the runtime name them:
 * every failure kind but `rejected` (a 4xx, the request's own fault) and `unknown` (a bug on this side).
 *
 * @example
 * FALLBACK_FAILURES.includes('rejected') // false
 */
export const FALLBACK_FAILURES = [
  'unavailable', 'timeout', 'badGateway', 'rateLimited', 'deadline', 'circuitOpen', 'bulkheadFull', 'failed',
] as const;

/** A failure a fallback may answer. */
export type FallbackFailure = (typeof FALLBACK_FAILURES)[number];

/**
 * What a fallback answers when its policy has no `fallback`: the runtime's DEFAULT_FALLBACK_ON, the
 * dependency's own unavailability, never `failed` (a 500: a bug answers the same the second time).
 *
 * @example
 * DEFAULT_FALLBACK_ON.includes('failed') // false
 */
export const DEFAULT_FALLBACK_ON: readonly FallbackFailure[] = [
  'unavailable', 'timeout', 'badGateway', 'rateLimited', 'deadline', 'circuitOpen', 'bulkheadFull',
];

/**
 * The balancing strategies, spec name (camelCase, like every value of the language) -> the runtime's name.
 *
 * @example
 * BALANCE_STRATEGIES.leastOutstanding // 'least-outstanding'
 */
export const BALANCE_STRATEGIES = {
  roundRobin: 'round-robin',
  random: 'random',
  leastOutstanding: 'least-outstanding',
  powerOfTwoChoices: 'p2c',
} as const;

/** A strategy as the spec names it. */
export type BalanceName = keyof typeof BALANCE_STRATEGIES;

/** A strategy as the runtime names it (`StrategyName` in runtime/discovery/balance/strategy.ts). */
export type BalanceStrategyName = (typeof BALANCE_STRATEGIES)[BalanceName];

/** The strategy of a call that names none. */
export const DEFAULT_BALANCE: BalanceName = 'roundRobin';

/** How often a call's `dns` name is resolved again when the spec gives no `refresh`. */
export const DEFAULT_DNS_REFRESH = '5s';

/**
 * Whether an endpoint of this method may be repeated with the effect of one call when the spec does
 * not say (`idempotent:`): GET, PUT and DELETE are, POST and PATCH are not.
 *
 * @param method The endpoint's HTTP method.
 * @example
 * idempotentByDefault('PUT') // true
 */
export function idempotentByDefault(method: string): boolean {
  return method === 'GET' || method === 'PUT' || method === 'DELETE';
}
