// Resilience policies now and then: a few valid mesh policies, calls that name one (or an endpoint
// override of one), a balancing strategy, and endpoints that declare their idempotency. Drawn after the
// rest of the spec, so the specs drawn before stay as they were for the same seed.
import type { Choose } from './choose.js';
import type { MeshPlan, PolicyPlan, ServicePlan } from './plan.js';

/** Valid policies, each within the checks' rules (attemptTimeout <= timeout, max >= initial, shares in range). */
const POLICIES: readonly [string, PolicyPlan][] = [
  ['default', { timeout: '2s', attemptTimeout: '500ms', retry: { attempts: 3, backoff: 'exponential', initial: '50ms', max: '1s', jitter: 'full', budget: '20%' } }],
  ['reads', { retry: { max: '500ms' }, circuitBreaker: { failureRatio: '50%', window: '10s', minimumCalls: 20, openFor: '15s', halfOpenCalls: 3 } }],
  ['writes', { timeout: '5s', retry: { attempts: 1 }, circuitBreaker: { consecutiveFailures: 5, countedFailures: ['unavailable', 'timeout'] }, bulkhead: { maxConcurrent: 20, maxQueue: 40 } }],
  ['lean', { timeout: '10ms', attemptTimeout: '10ms', retry: { initial: '0ms', max: '0ms', jitter: 'none', budget: '0%' } }],
  ['edge', { retry: { attempts: 10, initial: '1h', max: '596h', budget: '100%' }, circuitBreaker: { failureRatio: '100%', window: '1ms', openFor: '1ms' } }],
];

const BALANCES = ['roundRobin', 'random', 'leastOutstanding', 'powerOfTwoChoices'] as const;

/**
 * Adds policies to the mesh and references to them in the services' calls, in place.
 *
 * @param choose the draw
 * @param mesh the mesh plan (gets `policies`)
 * @param services the service plans (their calls and endpoints may change)
 */
export function declarePolicies(choose: Choose, mesh: MeshPlan, services: ServicePlan[]): void {
  if (!choose.chance(0.3)) return;
  const policies = choose.some(POLICIES, 3);
  if (policies.length === 0) return;
  mesh.policies = Object.fromEntries(policies);
  const names = policies.map(([name]) => name);
  const byName = new Map(services.map((s) => [s.service, s]));
  for (const service of services) {
    for (const [callee, call] of Object.entries(service.calls ?? {})) {
      if (choose.chance(0.5)) call.policy = choose.pick(names);
      if (choose.chance(0.3)) call.balance = choose.pick(BALANCES);
      const endpoints = byName.get(callee)?.endpoints ?? [];
      if (endpoints.length > 0 && choose.chance(0.3)) call.endpoints = { [choose.pick(endpoints).name]: { policy: choose.pick(names) } };
    }
    for (const endpoint of service.endpoints ?? []) {
      if (choose.chance(0.2)) endpoint.idempotent = choose.chance(0.5);
    }
  }
}
