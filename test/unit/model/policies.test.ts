// Resilience policies, balancing and idempotency from spec to model: the language's defaults are the
// runtime's (which the generator may not import), names resolve to the mesh's policies, a call that
// names none gets the mesh's `default` or the built-in one, and endpoints say whether they may be retried.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BALANCE_STRATEGIES, COUNTABLE_FAILURES, DEFAULT_BALANCE, DEFAULT_FALLBACK_ON, FALLBACK_FAILURES, idempotentByDefault,
} from '../../../generator/language/policy-defaults.js';
import { endpointPolicy, fallbackFailures, resolvePolicy } from '../../../generator/model/policies.js';
import type { MeshModel, ServiceModel } from '../../../generator/model/types.js';
import { compileSpec } from '../../../generator/pipeline.js';
import { STRATEGY_NAMES } from '../../../runtime/discovery/balance/strategy.js';
import { BREAKER_COUNTABLE, FAILURE_KINDS } from '../../../runtime/resilience/classify.js';
import { DEFAULT_FALLBACK_ON as RUNTIME_DEFAULT_FALLBACK_ON } from '../../../runtime/resilience/fallback.js';
import { DEFAULT_POLICY, policyProblems } from '../../../runtime/resilience/policy.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'meshspec-policies-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const PAYMENTS = `service: payments
ports: { http: 3003 }
endpoints:
  createPayment: { http: POST /payments }
  getPayment:
    http: GET /payments/{id}
  replacePayment:
    http: PUT /payments/{id}
  voidPayment:
    http: DELETE /payments/{id}
  amendPayment:
    http: PATCH /payments/{id}
  capturePayment:
    http: POST /payments/{id}/capture
    idempotent: true
  refreshPayment:
    http: GET /payments/{id}/refresh
    idempotent: false
`;

let cases = 0;
/** Compiles a mesh with `policies` (YAML lines under `policies:`, or none) and orders calling payments with `calls` (lines under `calls:`). */
async function compile(policies: string | null, calls: string): Promise<MeshModel> {
  const dir = path.join(root, `case${cases++}`);
  await mkdir(path.join(dir, 'spec/services'), { recursive: true });
  const indent = (text: string) => text.split('\n').map((l) => `  ${l}`);
  const mesh = ['mesh: shop', 'version: 1.0.0', ...(policies === null ? [] : ['policies:', ...indent(policies)])].join('\n');
  await writeFile(path.join(dir, 'spec/mesh.yaml'), `${mesh}\n`);
  await writeFile(path.join(dir, 'spec/services/orders.yaml'), ['service: orders', 'ports: { http: 3001 }', 'calls:', ...indent(calls)].join('\n') + '\n');
  await writeFile(path.join(dir, 'spec/services/payments.yaml'), PAYMENTS);
  const result = await compileSpec('spec', dir);
  expect(result.diagnostics).toEqual([]);
  return result.model!;
}

const orders = (model: MeshModel): ServiceModel => model.services.find((s) => s.name === 'orders')!;

describe("the language's constants equal the runtime's", () => {
  it('the built-in policy is DEFAULT_POLICY', () => {
    expect(resolvePolicy(undefined)).toEqual(DEFAULT_POLICY);
  });

  it('every balancing strategy maps to a runtime strategy, one to one', () => {
    expect(Object.values(BALANCE_STRATEGIES).sort()).toEqual([...STRATEGY_NAMES].sort());
    expect(Object.keys(BALANCE_STRATEGIES)).toContain(DEFAULT_BALANCE);
  });

  it('the failures a breaker may count are the runtime\'s', () => {
    expect([...COUNTABLE_FAILURES]).toEqual([...BREAKER_COUNTABLE]);
  });

  it("a fallback answers the runtime's failure kinds but a 4xx and a bug here, and by default the runtime's DEFAULT_FALLBACK_ON", () => {
    expect([...FALLBACK_FAILURES]).toEqual(FAILURE_KINDS.filter((k) => k !== 'rejected' && k !== 'unknown'));
    expect([...DEFAULT_FALLBACK_ON]).toEqual([...RUNTIME_DEFAULT_FALLBACK_ON]);
  });
});

describe('policies in the model', () => {
  it('gives a call that names no policy the built-in default, with round-robin and no DNS', async () => {
    const [call] = orders(await compile(null, 'payments: { transport: http }')).calls;
    expect(call).toEqual({
      service: 'payments', transport: 'http', policyName: null, policy: DEFAULT_POLICY, endpointPolicies: [], balance: 'round-robin', dns: null, fallbacks: [],
    });
  });

  it("gives a call that names no policy the mesh's `default`", async () => {
    const [call] = orders(await compile('default: { timeout: 2s }', 'payments: {}')).calls;
    expect(call!.policyName).toBe('default');
    expect(call!.policy).toEqual({ ...DEFAULT_POLICY, timeoutMs: 2000 });
  });

  it('converts every key a policy writes, and the result is a usable runtime policy', async () => {
    const model = await compile(
      [
        'money:',
        '  timeout: 5s',
        '  attemptTimeout: 1500ms',
        '  retry: { attempts: 4, backoff: exponential, initial: 100ms, max: 2s, jitter: none, budget: 12.5% }',
        '  circuitBreaker: { failureRatio: 50%, consecutiveFailures: 7, window: 30s, minimumCalls: 10, openFor: 1m, halfOpenCalls: 2, countedFailures: [unavailable, timeout] }',
        '  bulkhead: { maxConcurrent: 20, maxQueue: 40 }',
      ].join('\n'),
      'payments: { transport: http, policy: money, balance: powerOfTwoChoices, dns: { name: payments-headless.shop.svc.cluster.local, refresh: 30s } }',
    );
    const [call] = orders(model).calls;
    const money = {
      timeoutMs: 5000,
      attemptTimeoutMs: 1500,
      retry: { attempts: 4, initialMs: 100, maxMs: 2000, jitter: 'none', budget: { ratio: 0.125, minPerSecond: 1, windowMs: 10_000 } },
      circuitBreaker: { consecutiveFailures: 7, failureRatio: 0.5, minimumCalls: 10, windowMs: 30_000, openForMs: 60_000, halfOpenCalls: 2, countedFailures: ['unavailable', 'timeout'] },
      bulkhead: { maxConcurrent: 20, maxQueue: 40 },
    };
    expect(call).toEqual({
      service: 'payments', transport: 'http', policyName: 'money', policy: money, endpointPolicies: [], balance: 'p2c',
      dns: { name: 'payments-headless.shop.svc.cluster.local', refreshMs: 30_000 }, fallbacks: [],
    });
    expect(model.policies).toEqual([{ name: 'money', policy: money }]);
    expect(policyProblems(call!.policy)).toEqual([]);
  });

  it('fills in what a policy leaves out: the retry, breaker and bulkhead defaults', async () => {
    const [call] = orders(await compile(
      'lean: { retry: { attempts: 2 }, circuitBreaker: { consecutiveFailures: 5 }, bulkhead: { maxConcurrent: 3 } }',
      'payments: { policy: lean }',
    )).calls;
    expect(call!.policy).toEqual({
      timeoutMs: 10_000,
      retry: { ...DEFAULT_POLICY.retry, attempts: 2 },
      circuitBreaker: { consecutiveFailures: 5, minimumCalls: 20, windowMs: 10_000, openForMs: 15_000, halfOpenCalls: 3 },
      bulkhead: { maxConcurrent: 3, maxQueue: 0 },
    });
  });

  it('leaves retry out for `attempts: 1`: a single attempt', async () => {
    const [call] = orders(await compile('once: { timeout: 3s, retry: { attempts: 1 } }', 'payments: { policy: once }')).calls;
    expect(call!.policy).toEqual({ timeoutMs: 3000 });
  });

  it('resolves per-endpoint overrides by name, sorted by endpoint, whatever the call itself names', async () => {
    const [call] = orders(await compile(
      'default: { timeout: 2s }\nmoney: { timeout: 5s, retry: { attempts: 1 } }',
      'payments:\n  policy: money\n  endpoints:\n    getPayment: { policy: default }\n    capturePayment: { policy: money }',
    )).calls;
    expect(call!.policyName).toBe('money');
    expect(call!.endpointPolicies).toEqual([
      { endpoint: 'capturePayment', policyName: 'money', policy: { timeoutMs: 5000 } },
      { endpoint: 'getPayment', policyName: 'default', policy: { ...DEFAULT_POLICY, timeoutMs: 2000 } },
    ]);
  });
});

describe('fallbacks in the model', () => {
  it("resolves a policy's `fallback.on` into the runtime's shape, a usable runtime policy", async () => {
    const model = await compile('reads: { timeout: 2s, fallback: { on: [circuitOpen, failed, unavailable] } }', 'payments: { policy: reads }');
    const [call] = orders(model).calls;
    expect(call!.policy).toEqual({ ...DEFAULT_POLICY, timeoutMs: 2000, fallback: { on: ['circuitOpen', 'failed', 'unavailable'] } });
    expect(policyProblems(call!.policy)).toEqual([]);
    expect(fallbackFailures(call!.policy)).toEqual(['circuitOpen', 'failed', 'unavailable']);
    // Without `fallback`, the policy says nothing and the default applies.
    expect(fallbackFailures(resolvePolicy({ timeout: '2s' }))).toEqual(DEFAULT_FALLBACK_ON);
    expect(resolvePolicy({ timeout: '2s' })).not.toHaveProperty('fallback');
  });

  it('lists the fallbacks a call names sorted by endpoint, and only the entries with a policy as endpoint policies', async () => {
    const [call] = orders(await compile(
      'reads: { timeout: 2s, fallback: { on: [unavailable] } }\nmoney: { timeout: 5s }',
      [
        'payments:',
        '  policy: money',
        '  endpoints:',
        '    refreshPayment: { fallback: staleRefresh }',
        '    getPayment: { policy: reads, fallback: cachedPayment }',
        '    capturePayment: { policy: money }',
        '    amendPayment: { fallback: amendLater }',
      ].join('\n'),
    )).calls;
    expect(call!.fallbacks).toEqual([
      { endpoint: 'amendPayment', handler: 'amendLater' },
      { endpoint: 'getPayment', handler: 'cachedPayment' },
      { endpoint: 'refreshPayment', handler: 'staleRefresh' },
    ]);
    expect(call!.endpointPolicies.map((e) => e.endpoint)).toEqual(['capturePayment', 'getPayment']);
    // A fallback answers under its endpoint's policy, else the call's.
    expect(endpointPolicy(call!, 'getPayment').policyName).toBe('reads');
    expect(fallbackFailures(endpointPolicy(call!, 'getPayment').policy)).toEqual(['unavailable']);
    expect(endpointPolicy(call!, 'amendPayment')).toEqual({ policyName: 'money', policy: call!.policy });
    expect(fallbackFailures(endpointPolicy(call!, 'amendPayment').policy)).toEqual(DEFAULT_FALLBACK_ON);
  });
});

describe('idempotency of endpoints', () => {
  it('is true for GET, PUT and DELETE and false for POST and PATCH, unless the endpoint says', async () => {
    const payments = (await compile(null, 'payments: {}')).services.find((s) => s.name === 'payments')!;
    expect(Object.fromEntries(payments.endpoints.map((e) => [e.name, e.idempotent]))).toEqual({
      amendPayment: false, // PATCH
      capturePayment: true, // POST, declared idempotent
      createPayment: false, // POST
      getPayment: true, // GET
      refreshPayment: false, // GET, declared not idempotent
      replacePayment: true, // PUT
      voidPayment: true, // DELETE
    });
    expect(['GET', 'PUT', 'DELETE', 'POST', 'PATCH'].map(idempotentByDefault)).toEqual([true, true, true, false, false]);
  });
});
