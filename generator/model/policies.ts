// The spec's resilience policies, from spec to model: the built-in defaults fill in what a policy leaves
// out, units are converted once, and each call gets the policy it names, else the mesh's `default`,
// else the built-in one.
import { parseDuration, parsePercent } from '../../common/units.js';
import {
  BALANCE_STRATEGIES, DEFAULT_BALANCE, DEFAULT_DNS_REFRESH, DEFAULT_FALLBACK_ON, DEFAULT_POLICY_NAME, POLICY_DEFAULTS, type FallbackFailure,
} from '../language/policy-defaults.js';
import type { RawCall, RawPolicy } from '../language/raw.js';
import { compare } from './order.js';
import type { CallModel, PolicyModel, ResiliencePolicyModel } from './types.js';

/**
 * A policy with every default filled in. A policy without `retry` retries as the built-in one does;
 * `attempts: 1` means no retry at all, and leaves `retry` out of the result.
 *
 * @param raw The spec's policy; undefined for the built-in default.
 * @example
 * resolvePolicy({ timeout: '2s' }).timeoutMs // 2000
 */
export function resolvePolicy(raw: RawPolicy | undefined): ResiliencePolicyModel {
  const retry = { ...POLICY_DEFAULTS.retry, ...raw?.retry };
  const policy: ResiliencePolicyModel = { timeoutMs: ms(raw?.timeout ?? POLICY_DEFAULTS.timeout) };
  if (raw?.attemptTimeout !== undefined) policy.attemptTimeoutMs = ms(raw.attemptTimeout);
  if (retry.attempts > 1) {
    policy.retry = {
      attempts: retry.attempts,
      initialMs: ms(retry.initial),
      maxMs: ms(retry.max),
      jitter: retry.jitter,
      budget: { ratio: ratio(retry.budget), minPerSecond: POLICY_DEFAULTS.retryBudget.minPerSecond, windowMs: ms(POLICY_DEFAULTS.retryBudget.window) },
    };
  }
  const breaker = raw?.circuitBreaker;
  if (breaker) {
    const defaults = POLICY_DEFAULTS.circuitBreaker;
    policy.circuitBreaker = {
      ...(breaker.consecutiveFailures !== undefined && { consecutiveFailures: breaker.consecutiveFailures }),
      ...(breaker.failureRatio !== undefined && { failureRatio: ratio(breaker.failureRatio) }),
      minimumCalls: breaker.minimumCalls ?? defaults.minimumCalls,
      windowMs: ms(breaker.window ?? defaults.window),
      openForMs: ms(breaker.openFor ?? defaults.openFor),
      halfOpenCalls: breaker.halfOpenCalls ?? defaults.halfOpenCalls,
      ...(breaker.countedFailures !== undefined && { countedFailures: [...breaker.countedFailures] }),
    };
  }
  if (raw?.bulkhead) policy.bulkhead = { maxConcurrent: raw.bulkhead.maxConcurrent, maxQueue: raw.bulkhead.maxQueue ?? POLICY_DEFAULTS.bulkhead.maxQueue };
  // Left out when the spec says nothing: the runtime's own default then applies (DEFAULT_FALLBACK_ON).
  if (raw?.fallback) policy.fallback = { on: [...raw.fallback.on] };
  return policy;
}

/**
 * The failures a fallback answers under `policy`: its `fallback.on`, else the runtime's default
 * (DEFAULT_FALLBACK_ON: the dependency's own unavailability, never a 4xx or a 500).
 *
 * @param policy A resolved policy (resolvePolicy).
 * @example
 * fallbackFailures(resolvePolicy({ fallback: { on: ['failed'] } })) // ['failed']
 */
export function fallbackFailures(policy: ResiliencePolicyModel): readonly FallbackFailure[] {
  return policy.fallback?.on ?? DEFAULT_FALLBACK_ON;
}

/**
 * The policy that governs calls to one endpoint of a call: its endpoint override, else the call's.
 *
 * @param call A built call (buildCall).
 * @param endpoint The callee's endpoint.
 * @example
 * endpointPolicy(call, 'getUser') // { policyName: 'reads', policy: { timeoutMs: 2000, ... } }
 */
export function endpointPolicy(call: CallModel, endpoint: string): { policyName: string | null; policy: ResiliencePolicyModel } {
  const override = call.endpointPolicies.find((e) => e.endpoint === endpoint);
  return override ?? { policyName: call.policyName, policy: call.policy };
}

/**
 * The mesh's policies, resolved and sorted by name.
 *
 * @param raw The mesh file's `policies`.
 * @example
 * buildPolicies({ money: { timeout: '5s' } }) // [{ name: 'money', policy: { timeoutMs: 5000, retry: {...} } }]
 */
export function buildPolicies(raw: Record<string, RawPolicy> | undefined): PolicyModel[] {
  return Object.entries(raw ?? {})
    .map(([name, policy]) => ({ name, policy: resolvePolicy(policy) }))
    .sort((a, b) => compare(a.name, b.name));
}

/**
 * A `calls` entry: its transport, the policy it names (else the mesh's `default`, else the built-in
 * one), its per-endpoint policies, its balancing strategy, its DNS source and the fallback functions
 * it names per endpoint (an endpoint entry may name a policy, a fallback or both).
 *
 * @param service The callee.
 * @param raw The spec's entry.
 * @param policies The mesh's policies (buildPolicies).
 * @example
 * buildCall('users', { policy: 'reads', balance: 'leastOutstanding' }, policies).balance // 'least-outstanding'
 */
export function buildCall(service: string, raw: RawCall, policies: PolicyModel[]): CallModel {
  const named = (name: string) => {
    const found = policies.find((p) => p.name === name);
    if (!found) throw new Error(`internal: policy ${name} passed the checks but is not declared`);
    return found.policy;
  };
  const hasDefault = policies.some((p) => p.name === DEFAULT_POLICY_NAME);
  const policyName = raw.policy ?? (hasDefault ? DEFAULT_POLICY_NAME : null);
  return {
    service,
    transport: raw.transport ?? 'http',
    policyName,
    policy: policyName === null ? resolvePolicy(undefined) : named(policyName),
    endpointPolicies: Object.entries(raw.endpoints ?? {})
      .flatMap(([endpoint, o]) => (o.policy === undefined ? [] : [{ endpoint, policyName: o.policy, policy: named(o.policy) }]))
      .sort((a, b) => compare(a.endpoint, b.endpoint)),
    balance: BALANCE_STRATEGIES[raw.balance ?? DEFAULT_BALANCE],
    dns: raw.dns ? { name: raw.dns.name, refreshMs: ms(raw.dns.refresh ?? DEFAULT_DNS_REFRESH) } : null,
    fallbacks: Object.entries(raw.endpoints ?? {})
      .flatMap(([endpoint, o]) => (o.fallback === undefined ? [] : [{ endpoint, handler: o.fallback }]))
      .sort((a, b) => compare(a.endpoint, b.endpoint)),
  };
}

function ms(text: string): number {
  const value = parseDuration(text);
  if (value === undefined) throw new Error(`internal: ${text} passed the schema but is not a duration`);
  return value;
}

function ratio(text: string): number {
  const value = parsePercent(text);
  if (value === undefined) throw new Error(`internal: ${text} passed the schema but is not a percentage`);
  return value;
}
