import { describe, expect, it } from 'vitest';
import { buildCall, resolvePolicy } from '../../../generator/model/policies.js';
import { emitted, fixtureModel } from './fixture.js';

describe('<svc>/definition.ts', () => {
  const users = emitted('users/definition.ts');
  const orders = emitted('orders/definition.ts');

  it('names the constant after the service and checks it against ServiceDefinition', () => {
    expect(users).toContain('/** Accounts. */\nexport const usersDefinition = {\n');
    expect(users).toContain('} as const satisfies ServiceDefinition;\n');
    expect(users).toContain("  mesh: 'shop',\n  name: 'users',\n  version: '1.2.3',\n");
  });

  it('lists endpoints with the spec path, params, statuses and each error\'s HTTP status and gRPC code', () => {
    expect(users).toContain(
      [
        '    {',
        "      name: 'getUser',",
        "      method: 'GET',",
        "      path: '/users/{id}',",
        "      pathParams: ['id'],",
        "      inputSource: 'none',",
        '      successStatus: 200,',
        "      input: 'users.GetUserInput',",
        "      output: { type: 'users.User', list: false },",
        "      errors: { NotFound: { status: 404, grpc: 'NOT_FOUND' } },",
        "      grpc: { method: 'GetUser', request: null, response: 'user' },",
        '      idempotent: true,',
        '    },',
      ].join('\n'),
    );
    expect(users).toContain("      output: { type: 'users.User', list: true },\n      errors: {},\n");
    expect(users).toContain("      grpc: { method: 'CreateUser', request: 'createUser', response: 'user' },\n");
    expect(users).toContain("      grpc: { method: 'ListUsers', request: null, response: 'items' },\n");
    expect(users).toContain('      successStatus: 204,\n');
    expect(users).toContain('      output: null,\n');
    // Defaults per HTTP status (Conflict is ABORTED), or the code the declaration names.
    expect(orders).toContain("      errors: {\n        Conflict: { status: 409, grpc: 'ABORTED' },\n        NotFound: { status: 404, grpc: 'NOT_FOUND' },\n      },\n");
    expect(orders).toContain("      errors: { UserNotFound: { status: 422, grpc: 'FAILED_PRECONDITION' } },\n");
    expect(users).toContain("      errors: { EmailTaken: { status: 409, grpc: 'ALREADY_EXISTS' } },\n");
  });

  it('resolves the proto next to the generated code when there is a gRPC port', () => {
    expect(users).toContain("import { fileURLToPath } from 'node:url';\n");
    expect(users).toContain(
      [
        '  proto: {',
        "    root: fileURLToPath(new URL('../proto', import.meta.url)),",
        "    file: 'shop/users/v1/users.proto',",
        "    service: 'shop.users.v1.UsersService',",
        "    packages: { 'shop.users.v1': 'users', 'shop.types.v1': null },",
        '  },',
      ].join('\n'),
    );
  });

  it('has no proto (and no url import) without a gRPC port', () => {
    expect(orders).toContain('  proto: null,\n');
    expect(orders).toContain('  ports: { http: 3000, grpc: null },\n');
    expect(orders).not.toContain('node:url');
  });

  it('carries subscriptions, publishes and calls', () => {
    expect(orders).toContain("  subscriptions: [{ event: 'user.created', handler: 'welcomeUser' }],\n");
    expect(orders).toContain("      service: 'users',\n      transport: 'grpc',\n      policy: {\n        timeoutMs: 10000,\n        retry: {\n");
    expect(orders).toContain("      balance: 'round-robin',\n    },\n  ],\n");
    expect(users).toContain("  publishes: ['user.created'],\n");
  });

  it('writes whether each endpoint is idempotent, explicitly', () => {
    // createOrder and cancelOrder are POSTs: not idempotent, so never retried without a key.
    expect(orders.match(/idempotent: false,/g)).toHaveLength(2);
    expect(users).toContain("      grpc: { method: 'GetUser', request: null, response: 'user' },\n      idempotent: true,\n");
  });

  it("writes a call's resolved policy, per-endpoint policies, balance and DNS, in a fixed key order", () => {
    const model = fixtureModel();
    const policies = [
      { name: 'money', policy: resolvePolicy({ timeout: '5s', attemptTimeout: '1s', retry: { attempts: 1 }, bulkhead: { maxConcurrent: 20, maxQueue: 40 } }) },
      { name: 'reads', policy: resolvePolicy({ circuitBreaker: { failureRatio: '50%', countedFailures: ['timeout'] } }) },
    ];
    const call = buildCall('users', { transport: 'grpc', policy: 'reads', endpoints: { createUser: { policy: 'money' } }, balance: 'leastOutstanding', dns: { name: 'users-headless.shop.svc.cluster.local' } }, policies);
    model.services = model.services.map((s) => (s.name === 'orders' ? { ...s, calls: [call] } : s));
    expect(emitted('orders/definition.ts', model)).toContain(
      [
        '  calls: [',
        '    {',
        "      service: 'users',",
        "      transport: 'grpc',",
        '      policy: {',
        '        timeoutMs: 10000,',
        '        retry: {',
        '          attempts: 3,',
        '          initialMs: 50,',
        '          maxMs: 1000,',
        "          jitter: 'full',",
        '          budget: { ratio: 0.2, minPerSecond: 1, windowMs: 10000 },',
        '        },',
        '        circuitBreaker: {',
        '          failureRatio: 0.5,',
        '          minimumCalls: 20,',
        '          windowMs: 10000,',
        '          openForMs: 15000,',
        '          halfOpenCalls: 3,',
        "          countedFailures: ['timeout'],",
        '        },',
        '      },',
        '      endpointPolicies: {',
        '        createUser: {',
        '          timeoutMs: 5000,',
        '          attemptTimeoutMs: 1000,',
        '          bulkhead: { maxConcurrent: 20, maxQueue: 40 },',
        '        },',
        '      },',
        "      balance: 'least-outstanding',",
        "      dns: { name: 'users-headless.shop.svc.cluster.local', refreshMs: 5000 },",
        '    },',
        '  ],',
      ].join('\n'),
    );
  });

  it("carries a subscription's maxAttempts only when the spec overrides it", () => {
    const model = fixtureModel();
    // The fixture's services are shared objects: replace the one changed, never mutate it.
    model.services = model.services.map((s) => (s.name === 'orders' ? { ...s, subscribes: [{ event: 'user.created', handler: 'welcomeUser', maxAttempts: 10 }] } : s));
    expect(emitted('orders/definition.ts', model)).toContain("  subscriptions: [{ event: 'user.created', handler: 'welcomeUser', maxAttempts: 10 }],\n");
    expect(orders).toContain("  subscriptions: [{ event: 'user.created', handler: 'welcomeUser' }],\n");
  });
});
