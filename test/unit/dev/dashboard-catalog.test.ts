// The catalog and the topology of the example shop, built from its generated stack as the dashboard
// builds them from a running one; the gateway paths and the policy line on their own.
import { beforeAll, describe, expect, it } from 'vitest';
import type { DevStack } from '../../../runtime/dev/index.js';
import type { ServiceHostOptions } from '../../../runtime/host/types.js';
import type { Catalog, EventsView } from '../../../runtime/dev/dashboard/api-types.js';
import { buildCatalog, gatewayPathOf } from '../../../runtime/dev/dashboard/catalog.js';
import { policyLine } from '../../../runtime/dev/dashboard/policy.js';
import { createRateMeter } from '../../../runtime/dev/dashboard/rates.js';
import { buildTopology, type TopologyCounters } from '../../../runtime/dev/dashboard/topology.js';
import type { GatewayRoute } from '../../../runtime/gateway/types.js';

let stack: DevStack;
let hosts: ServiceHostOptions[];
let catalog: Catalog;
const urls = {
  inventory: { http: 'http://127.0.0.1:3004', grpc: '127.0.0.1:50054' },
  orders: { http: 'http://127.0.0.1:3002', grpc: '127.0.0.1:50052' },
  payments: { http: 'http://127.0.0.1:3003', grpc: null },
  users: { http: 'http://127.0.0.1:3001', grpc: null },
};

beforeAll(async () => {
  ({ stack } = (await import('../../../generated/stack.js')) as { stack: DevStack });
  hosts = stack.services.map((make) => make());
  catalog = buildCatalog({ mesh: stack.mesh, hosts, urls, gateway: stack.gateway, gatewayUrl: 'http://127.0.0.1:8080', colocated: true });
});

describe('dashboard catalog of the shop', () => {
  it('lists the four services with their endpoints, through the gateway where a route reaches them', () => {
    expect(catalog.mesh).toBe('shop');
    expect(catalog.services.map((s) => s.name)).toEqual(['inventory', 'orders', 'payments', 'users']);
    const users = catalog.services.find((s) => s.name === 'users')!;
    expect(users.http).toBe('http://127.0.0.1:3001');
    const createUser = users.endpoints.find((e) => e.id === 'users.createUser')!;
    expect(createUser).toMatchObject({ method: 'POST', path: '/users', gatewayPath: '/api/v1/users', public: false, inputSource: 'body', input: 'users.CreateUser', successStatus: 201, idempotent: false, startsSaga: null });
    expect(users.endpoints.find((e) => e.id === 'users.getUser')).toMatchObject({ gatewayPath: '/api/v1/users/{id}', pathParams: ['id'], idempotent: true });
    // The products route is public and takes GET only.
    const inventory = catalog.services.find((s) => s.name === 'inventory')!;
    expect(inventory.endpoints.find((e) => e.name === 'listProducts')).toMatchObject({ gatewayPath: '/api/v1/products', public: true });
    // No route rewrites to /reservations: reached on the service only.
    expect(inventory.endpoints.find((e) => e.name === 'reserve')).toMatchObject({ gatewayPath: null, public: null });
  });

  it('gives each endpoint its declared errors and the saga it starts', () => {
    const orders = catalog.services.find((s) => s.name === 'orders')!;
    const placeOrder = orders.endpoints.find((e) => e.name === 'placeOrder')!;
    expect(placeOrder.startsSaga).toBe('placeOrder');
    expect(placeOrder.errors).toContainEqual({ code: 'PaymentDeclined', status: 402 });
    // The orders route takes GET and POST: PUT /placed-orders/{id} is not under /orders anyway.
    expect(orders.endpoints.find((e) => e.name === 'saveOrder')?.gatewayPath).toBeNull();
  });

  it('names each call with its transport, co-location and policy in one line', () => {
    const orders = catalog.services.find((s) => s.name === 'orders')!;
    expect(orders.calls).toContainEqual({ service: 'inventory', transport: 'grpc', inProcess: true, policy: 'timeout 5s, 2 attempts of 2s, breaker 5 in a row, bulkhead 20' });
    expect(orders.calls).toContainEqual({ service: 'users', transport: 'http', inProcess: true, policy: 'timeout 2s, 3 attempts of 500ms, breaker 50%/10s' });
    const apart = buildCatalog({ mesh: 'shop', hosts, urls, gateway: stack.gateway, gatewayUrl: null, colocated: false });
    expect(apart.services.flatMap((s) => s.calls).every((c) => !c.inProcess)).toBe(true);
  });

  it('lists every event with its publishers and its subscribers\' consumer groups', () => {
    const created = catalog.events.find((e) => e.name === 'order.created')!;
    expect(created.publishers).toEqual(['orders']);
    const completed = catalog.events.find((e) => e.name === 'payment.completed')!;
    expect(completed.publishers).toEqual(['payments']);
    expect(completed.subscribers).toContainEqual({ service: 'orders', group: 'orders', handler: 'confirmOrder' });
    expect(catalog.events.map((e) => e.name)).toEqual([...catalog.events.map((e) => e.name)].sort());
    const orders = catalog.services.find((s) => s.name === 'orders')!;
    expect(orders.subscribes).toContainEqual({ event: 'payment.completed', handler: 'confirmOrder', maxAttempts: null });
  });

  it('lists the orchestrated saga of orders with its steps, read without running it', () => {
    const saga = catalog.sagas.find((s) => s.name === 'placeOrder')!;
    expect(saga).toMatchObject({ owner: 'orders', kind: 'orchestrated' });
    expect(saga.steps.slice(0, 2)).toEqual(['validateUser', 'reserveInventory']);
  });

  it('carries the gateway\'s routes and auth, and the mesh\'s schemas', () => {
    expect(catalog.gateway).toMatchObject({ url: 'http://127.0.0.1:8080', auth: 'jwt' });
    expect(catalog.gateway!.routes).toContainEqual({ prefix: '/api/v1/products', service: 'inventory', rewrite: '/products', methods: ['GET', 'HEAD', 'OPTIONS'], public: true });
    expect(catalog.schemas['users.CreateUser']).toMatchObject({ type: 'object' });
  });
});

describe('dashboard gateway paths', () => {
  const route = (prefix: string, service: string, rewrite: string, extra: Partial<GatewayRoute> = {}): GatewayRoute => ({ prefix, service, rewrite, ...extra });

  it('replaces the rewrite by the prefix', () => {
    expect(gatewayPathOf('users', { method: 'GET', path: '/users/{id}' }, [route('/api/users', 'users', '/users')])?.path).toBe('/api/users/{id}');
    expect(gatewayPathOf('users', { method: 'GET', path: '/users' }, [route('/api/users', 'users', '/users')])?.path).toBe('/api/users');
  });

  it('puts the whole path under a prefix that strips to the root', () => {
    expect(gatewayPathOf('users', { method: 'GET', path: '/me' }, [route('/u', 'users', '/')])?.path).toBe('/u/me');
    expect(gatewayPathOf('users', { method: 'GET', path: '/me' }, [route('/u', 'users', '')])?.path).toBe('/u/me');
  });

  it('finds no path for another service, a method the route refuses, or a path outside the rewrite', () => {
    expect(gatewayPathOf('users', { method: 'GET', path: '/users' }, [route('/api/o', 'orders', '/users')])).toBeNull();
    expect(gatewayPathOf('users', { method: 'DELETE', path: '/users/{id}' }, [route('/api/users', 'users', '/users', { methods: ['GET'] })])).toBeNull();
    expect(gatewayPathOf('users', { method: 'GET', path: '/usersx' }, [route('/api/users', 'users', '/users')])).toBeNull();
  });

  it('finds no path that a longer prefix of another route would take', () => {
    const routes = [route('/api/users/admin', 'admin', '/'), route('/api/users', 'users', '/users')];
    expect(gatewayPathOf('users', { method: 'GET', path: '/users/admin' }, routes)).toBeNull();
    expect(gatewayPathOf('users', { method: 'GET', path: '/users/{id}' }, routes)?.path).toBe('/api/users/{id}');
  });
});

describe('dashboard policy line', () => {
  it('says the default policy when a call has none', () => {
    expect(policyLine(undefined)).toBe('timeout 10s, 3 attempts');
  });

  it('names the breaker\'s rules, the bulkhead and a fallback', () => {
    expect(
      policyLine({
        timeoutMs: 1500,
        retry: { attempts: 1, initialMs: 1, maxMs: 1, jitter: 'none', budget: { ratio: 0.1, minPerSecond: 1, windowMs: 1000 } },
        circuitBreaker: { failureRatio: 0.25, consecutiveFailures: 3, minimumCalls: 10, windowMs: 60_000, openForMs: 1000, halfOpenCalls: 1 },
        bulkhead: { maxConcurrent: 64, maxQueue: 0 },
        fallback: { on: ['unavailable'] },
      }),
    ).toBe('timeout 1.5s, 1 attempt, breaker 25%/1m or 3 in a row, bulkhead 64, fallback');
  });
});

describe('dashboard topology of the shop', () => {
  const eventsView = (publishRate: number, handleRate: number, failureRate: number): EventsView => ({
    at: 0,
    events: [
      {
        name: 'payment.completed', version: 1, publishers: ['payments'], publishRate, published: 0,
        groups: [{ service: 'orders', group: 'orders', handleRate, failureRate, lag: 0, retrying: 0, handled: 0, deadLetters: 0 }],
      },
    ],
  });
  const counters = (routes: number, errors: number, calls: number, failed: number): TopologyCounters => ({
    gatewayRequests: [
      { labels: { route: '/api/v1/users', status: '201' }, value: routes - errors },
      { labels: { route: '/api/v1/users', status: '503' }, value: errors },
      { labels: { route: '(unmatched)', status: '404' }, value: 1000 },
    ],
    clientCalls: { orders: [{ labels: { dependency: 'users', endpoint: 'getUser', outcome: 'ok' }, value: calls - failed }, { labels: { dependency: 'users', endpoint: 'getUser', outcome: 'timeout' }, value: failed }] },
  });

  it('has the gateway, the services and the events as nodes, with their health', () => {
    const topology = buildTopology({ catalog, health: (id) => (id === 'service:users' ? 'down' : 'ready'), counters: counters(0, 0, 0, 0), events: eventsView(0, 0, 0), rates: createRateMeter(), now: 1000 });
    expect(topology.nodes.filter((n) => n.kind !== 'event').map((n) => n.id)).toEqual(['gateway', 'service:inventory', 'service:orders', 'service:payments', 'service:users']);
    expect(topology.nodes.find((n) => n.id === 'service:users')?.health).toBe('down');
    expect(topology.nodes.find((n) => n.id === 'event:order.created')).toEqual({ id: 'event:order.created', kind: 'event', label: 'order.created', health: null });
    expect(new Set(topology.edges.map((e) => e.id)).size).toBe(topology.edges.length);
  });

  it('gives routes and calls their rates and error rates from the counters\' growth', () => {
    const rates = createRateMeter();
    const first = { catalog, health: () => 'ready' as const, events: eventsView(0, 0, 0), rates };
    buildTopology({ ...first, counters: counters(10, 0, 4, 0), now: 1000 });
    const topology = buildTopology({ ...first, counters: counters(30, 5, 14, 5), now: 3000 });
    const route = topology.edges.find((e) => e.id === 'gateway->service:users')!;
    expect(route).toMatchObject({ kind: 'route', transport: 'http', policy: null, rate: 10, errorRate: 0.25 });
    const call = topology.edges.find((e) => e.id === 'service:orders->service:users')!;
    expect(call).toMatchObject({ kind: 'call', transport: 'in-process', rate: 5, errorRate: 0.5 });
    expect(call.policy).toContain('timeout 2s');
    expect(topology.edges.find((e) => e.id === 'service:orders->service:inventory')).toMatchObject({ transport: 'in-process', rate: 0, errorRate: 0 });
  });

  it('gives event edges the events source\'s rates', () => {
    const topology = buildTopology({ catalog, health: () => 'ready', counters: counters(0, 0, 0, 0), events: eventsView(2, 3, 1), rates: createRateMeter(), now: 1000 });
    expect(topology.edges.find((e) => e.id === 'service:payments->event:payment.completed')).toMatchObject({ kind: 'publish', rate: 2, errorRate: 0, transport: null });
    expect(topology.edges.find((e) => e.id === 'event:payment.completed->service:orders')).toMatchObject({ kind: 'subscribe', rate: 3, errorRate: 0.25 });
  });
});
