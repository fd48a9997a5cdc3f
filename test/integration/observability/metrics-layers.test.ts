// /metrics of a small stack built for it (the runtime's fixtures: users, and front calling users):
// a retried client call shows its retry and its reason, a failed event delivery shows as retried,
// the Express binding counts like the node one, and a gateway route that rewrites to the root never
// reaches a service's /metrics.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type GatewayConfig, type RunningStack } from '../../support/runtime.js';
import { faultyStack } from './faulty-stack.js';
import { sampleOf } from '../../support/metrics-text.js';
import { ep } from '../runtime/fixtures.js';

const gateway: GatewayConfig = {
  mesh: 'test',
  port: 8080,
  timeoutMs: 2000,
  bodyLimitBytes: 1024,
  // The whole of users under /u: `/u/metrics` would be users' own /metrics if the gateway let it.
  routes: [{ prefix: '/u', service: 'users', rewrite: '' }],
  services: { users: { httpPort: 3901 } },
};

const { stack, failures } = faultyStack(gateway);

let running: RunningStack;

beforeAll(async () => {
  running = await startStack(stack, { ports: { users: { http: 0 }, front: { http: 0 } }, gatewayPort: 0, output: { write: () => true }, logLevel: 'silent', bus: { retryDelayMs: 1 } });
});
afterAll(() => running?.close());

const metricsOf = async (url: string) => (await fetch(`${url}/metrics`)).text();

describe('metrics across the layers', () => {
  it('shows a retried client call: one call, two attempts, a retry by its reason', async () => {
    failures.getUser = 1;
    const res = await fetch(`${running.urls.front!.http}/via/1`);
    expect(res.status).toBe(200);
    const front = await metricsOf(running.urls.front!.http);
    expect(sampleOf(front, 'meshspec_client_calls_total', { service: 'front', dependency: 'users', endpoint: ep.getUser.name, outcome: 'ok' })).toBe(1);
    expect(sampleOf(front, 'meshspec_client_attempts_total', { service: 'front', dependency: 'users' })).toBe(2);
    expect(sampleOf(front, 'meshspec_client_retries_total', { service: 'front', dependency: 'users', reason: 'unavailable' })).toBe(1);
    // The Express binding counts its endpoint as the node binding does.
    expect(sampleOf(front, 'meshspec_server_requests_total', { service: 'front', endpoint: 'getUserVia', transport: 'http', status: '200' })).toBe(1);
    // users answered the attempts in process: a 503, then a 200.
    const users = await metricsOf(running.urls.users!.http);
    expect(sampleOf(users, 'meshspec_server_requests_total', { service: 'users', endpoint: 'getUser', transport: 'in-process', status: '503' })).toBe(1);
    expect(sampleOf(users, 'meshspec_server_requests_total', { service: 'users', endpoint: 'getUser', transport: 'in-process', status: '200' })).toBe(1);
  });

  it('shows a failed event delivery as retried, then handled', async () => {
    failures.welcome = 1;
    const res = await fetch(`${running.urls.users!.http}/users`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'metrics@example.com', name: 'M' }) });
    expect(res.status).toBe(201);
    await running.bus.idle();
    const users = await metricsOf(running.urls.users!.http);
    expect(sampleOf(users, 'meshspec_bus_published_total', { service: 'users', event: 'user.created' })).toBe(1);
    const front = await metricsOf(running.urls.front!.http);
    expect(sampleOf(front, 'meshspec_bus_handled_total', { service: 'front', event: 'user.created', outcome: 'failed' })).toBe(1);
    expect(sampleOf(front, 'meshspec_bus_handled_total', { service: 'front', event: 'user.created', outcome: 'ok' })).toBe(1);
    expect(sampleOf(front, 'meshspec_bus_retried_total', { service: 'front', event: 'user.created' })).toBe(1);
    expect(sampleOf(front, 'meshspec_bus_dead_lettered_total', { service: 'front', event: 'user.created' })).toBe(0);
    expect(sampleOf(front, 'meshspec_bus_handler_duration_seconds_count', { service: 'front', event: 'user.created', outcome: 'ok' })).toBe(1);
  });

  it('never shows a service\'s /metrics through a route that rewrites to the root', async () => {
    const routed = await fetch(`${running.gatewayUrl}/u/users/1`);
    expect(routed.status).toBe(200);
    for (const path of ['/u/metrics', '/u/METRICS/', '/u/metrics?x=1']) {
      const res = await fetch(`${running.gatewayUrl}${path}`);
      expect(res.status, path).toBe(404);
      expect(await res.text()).not.toContain('meshspec_server_requests_total');
    }
    // On its metrics listener HEAD answers the headers alone; another method is refused.
    const head = await fetch(running.gatewayMetricsUrl!, { method: 'HEAD' });
    expect([head.status, head.headers.get('content-type'), await head.text()]).toEqual([200, 'text/plain; version=0.0.4; charset=utf-8', '']);
    const post = await fetch(running.gatewayMetricsUrl!, { method: 'POST' });
    expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
    // Both bindings answer HEAD /metrics with the headers alone (users: node; front: Express).
    for (const url of [running.urls.users!.http, running.urls.front!.http]) {
      const res = await fetch(`${url}/metrics`, { method: 'HEAD' });
      expect([res.status, res.headers.get('content-type'), await res.text()], url).toEqual([200, 'text/plain; version=0.0.4; charset=utf-8', '']);
    }
  });
});
