// /metrics of the example shop, started in process with its gateway (as `meshspec dev` runs it):
// after a small flow through the gateway, the services' and the gateway's series have the counts the
// flow implies, and promtool accepts the text of a service and of the gateway.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, createTransportFactory, startStack, type EndpointDescriptor, type RunningStack } from '../../support/runtime.js';
import { call, createUser, orderConfirmedByPayment, SHOP_AUTH_ENV, shopApi, type ShopApi } from '../../support/shop-flow.js';
import { checkMetrics, promtoolRequired } from '../../support/promtool.js';
import { sampleOf } from '../../support/metrics-text.js';

const SERVICES = ['inventory', 'orders', 'payments', 'users'] as const;

let running: RunningStack;
let api: ShopApi;

beforeAll(async () => {
  const { stack } = await import('../../../generated/stack.js');
  // The gateway reads the JWT secret of the spec's `keys: env:JWT_SECRET` from the process's environment.
  Object.assign(process.env, SHOP_AUTH_ENV);
  const ports = Object.fromEntries(SERVICES.map((s) => [s, { http: 0, grpc: 0 }]));
  running = await startStack(stack, { ports, gatewayPort: 0, logLevel: 'silent', output: { write: () => true }, data: 'memory', env: {} });
  api = await shopApi(`${running.gatewayUrl}/api/v1`);
}, 120_000);

afterAll(async () => {
  await running?.close();
});

/** The origin of the gateway's metrics listener (`scrape` appends `/metrics`). */
const gatewayMetrics = (): string => running.gatewayMetricsUrl!.replace(/\/metrics$/, '');

async function scrape(url: string): Promise<{ status: number; type: string | null; text: string }> {
  const res = await fetch(`${url}/metrics`);
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

describe('metrics of the shop', () => {
  it('counts requests per endpoint on the service and per route on the gateway', async () => {
    for (const name of ['Ada', 'Grace', 'Linus']) await createUser(api, name);
    const missing = await call(api, '/users/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);

    const users = await scrape(running.urls.users!.http);
    expect(users.status).toBe(200);
    expect(users.type).toBe('text/plain; version=0.0.4; charset=utf-8');
    const server = (endpoint: string, status: string) =>
      sampleOf(users.text, 'meshspec_server_requests_total', { service: 'users', endpoint, transport: 'http', status });
    expect(server('createUser', '201')).toBe(3);
    expect(server('getUser', '404')).toBe(1);
    expect(sampleOf(users.text, 'meshspec_server_request_duration_seconds_count', { service: 'users', endpoint: 'createUser', transport: 'http', status: '201' })).toBe(3);
    // The path's id is never a label value.
    expect(users.text).not.toContain('00000000-0000-4000-8000-000000000000');
    // Process metrics come along, without a service label.
    expect(users.text).toMatch(/^process_cpu_user_seconds_total \d/m);

    const gateway = await scrape(gatewayMetrics());
    expect(gateway.status).toBe(200);
    expect(sampleOf(gateway.text, 'meshspec_gateway_requests_total', { service: 'gateway', route: '/api/v1/users', status: '201' })).toBe(3);
    expect(sampleOf(gateway.text, 'meshspec_gateway_requests_total', { service: 'gateway', route: '/api/v1/users', status: '404' })).toBe(1);
  });

  it('counts unknown paths in one series and authentication failures per reason', async () => {
    await fetch(`${running.urls.users!.http}/no/such/path/1`);
    await fetch(`${running.urls.users!.http}/no/such/path/2`);
    const anonymous = await fetch(`${running.gatewayUrl}/api/v1/orders/00000000-0000-4000-8000-000000000000`);
    expect(anonymous.status).toBe(401);
    await fetch(`${running.gatewayUrl}/nowhere/at/all`);

    const users = await scrape(running.urls.users!.http);
    expect(sampleOf(users.text, 'meshspec_server_requests_total', { service: 'users', endpoint: '(unmatched)', transport: 'http', status: '404' })).toBe(2);
    const gateway = await scrape(gatewayMetrics());
    expect(sampleOf(gateway.text, 'meshspec_gateway_auth_failures_total', { service: 'gateway', route: '/api/v1/orders', reason: 'missing' })).toBe(1);
    expect(sampleOf(gateway.text, 'meshspec_gateway_requests_total', { service: 'gateway', route: '/api/v1/orders', status: '401' })).toBe(1);
    expect(sampleOf(gateway.text, 'meshspec_gateway_requests_total', { service: 'gateway', route: '(unmatched)', status: '404' })).toBe(1);
  });

  it('counts the order flow: client calls per dependency, events published and handled, in-process calls on the callee', async () => {
    await orderConfirmedByPayment(api);
    const orders = (await scrape(running.urls.orders!.http)).text;
    // orders calls users and inventory (in process here, through the same pipeline).
    expect(sampleOf(orders, 'meshspec_client_calls_total', { service: 'orders', dependency: 'users', endpoint: 'getUser', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(sampleOf(orders, 'meshspec_client_attempts_total', { service: 'orders', dependency: 'users' })).toBeGreaterThanOrEqual(1);
    expect(sampleOf(orders, 'meshspec_client_rejections_total', { service: 'orders', dependency: 'users', reason: 'circuit_open' })).toBe(0);
    expect(sampleOf(orders, 'meshspec_client_breakers', { service: 'orders', dependency: 'users', state: 'open' })).toBe(0);
    expect(sampleOf(orders, 'meshspec_bus_handled_total', { service: 'orders', event: 'payment.completed', outcome: 'ok' })).toBe(1);
    const payments = (await scrape(running.urls.payments!.http)).text;
    expect(sampleOf(payments, 'meshspec_bus_published_total', { service: 'payments', event: 'payment.completed' })).toBe(1);
    const users = (await scrape(running.urls.users!.http)).text;
    expect(sampleOf(users, 'meshspec_server_requests_total', { service: 'users', endpoint: 'getUser', transport: 'in-process', status: '200' })).toBeGreaterThanOrEqual(1);
  });

  it('counts gRPC calls under transport grpc, with the gRPC status name', async () => {
    const { inventoryDefinition } = await import('../../../generated/inventory/definition.js');
    const { schemas } = await import('../../../generated/schemas.js');
    const factory = createTransportFactory({
      callees: { inventory: inventoryDefinition },
      schemas,
      logger: createLogger({ service: 'caller', level: 'silent' }),
      discovery: { grpc: { inventory: running.urls.inventory!.grpc! } },
    });
    const getProduct = inventoryDefinition.endpoints.find((e) => e.name === 'getProduct') as EndpointDescriptor;
    try {
      const transport = factory.transportFor('inventory', 'grpc');
      await transport.call(getProduct, { id: 'sku-mouse' }, {});
      await expect(transport.call(getProduct, { id: 'no-such-sku' }, {})).rejects.toThrow();
    } finally {
      await factory.close();
    }
    const inventory = (await scrape(running.urls.inventory!.http)).text;
    const grpc = (status: string) => sampleOf(inventory, 'meshspec_server_requests_total', { service: 'inventory', endpoint: 'getProduct', transport: 'grpc', status });
    expect(grpc('OK')).toBe(1);
    expect(grpc('NOT_FOUND')).toBe(1);
  });

  it('is not reachable through the gateway as a service\'s /metrics', async () => {
    const res = await call(api, '/users/metrics');
    expect(res.status).not.toBe(200);
    const gateway = await fetch(`${gatewayMetrics()}/metrics`);
    expect(await gateway.text()).toContain('meshspec_gateway_requests_total');
  });

  it("serves the gateway's /metrics on its metrics port only: the public port answers 404, as for any unknown path", async () => {
    expect(new URL(running.gatewayMetricsUrl!).port).not.toBe(new URL(running.gatewayUrl!).port);
    for (const method of ['GET', 'HEAD']) {
      const res = await fetch(`${running.gatewayUrl}/metrics`, { method });
      const text = await res.text();
      expect([res.status, text.includes('meshspec_gateway_requests_total')], method).toEqual([404, false]);
      if (method === 'GET') expect(JSON.parse(text)).toMatchObject({ error: { code: 'NotFound' } });
    }
    // The metrics listener answers nothing but /metrics.
    expect((await fetch(`${gatewayMetrics()}/api/v1/users`)).status).toBe(404);
  });

  it.runIf(promtoolRequired())('passes promtool check metrics, for a service and for the gateway', async () => {
    for (const url of [running.urls.orders!.http, running.urls.users!.http, gatewayMetrics()]) {
      const { text } = await scrape(url);
      expect(checkMetrics(text), url).toEqual({ status: 0, output: '' });
    }
  });
});
