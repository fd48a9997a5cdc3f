// A whole stack in one process, as `meshspec dev` runs it: gateway, two services, one bus.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, StartupError, type DevStack, type GatewayConfig, type RunningStack } from '../../support/runtime.js';
import { frontDefinition, frontHost, usersHost, jsonOf } from './fixtures.js';

const welcomed: unknown[] = [];
const gateway: GatewayConfig = {
  mesh: 'test',
  port: 8080,
  timeoutMs: 2000,
  bodyLimitBytes: 1024,
  routes: [{ prefix: '/api/users', service: 'users', rewrite: '/users' }],
  services: { users: { httpPort: 3901 } },
};
const stack: DevStack = {
  mesh: 'test',
  services: [
    usersHost,
    () => ({
      ...frontHost(),
      definition: { ...frontDefinition, subscriptions: [{ event: 'user.created', handler: 'welcome' }] },
      subscriptions: { welcome: async (payload: unknown) => void welcomed.push(payload) },
    }),
  ],
  gateway,
  runtime: { bodyLimitBytes: 1024, shutdownGraceMs: 1000 },
};
const anyPorts = { users: { http: 0 }, front: { http: 0 } };

let running: RunningStack;
const output: string[] = [];

beforeAll(async () => {
  running = await startStack(stack, { ports: anyPorts, gatewayPort: 0, output: { write: (t: string) => output.push(t) }, logLevel: 'info' });
});
afterAll(() => running.close());

describe('startStack', () => {
  it('serves through the gateway with a request id', async () => {
    const res = await fetch(`${running.gatewayUrl}/api/users/1`, { headers: { 'x-request-id': 'dev-1' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('dev-1');
    expect((await jsonOf(res)).name).toBe('Ada');
  });

  it('lets services find each other on the ports they really got', async () => {
    const res = await fetch(`${running.urls.front?.http}/via/1`);
    expect(res.status).toBe(200);
    expect((await jsonOf(res)).id).toBe(1);
  });

  it('delivers events between services on the shared bus', async () => {
    const res = await fetch(`${running.urls.users?.http}/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'dev@example.com', name: 'Dev' }),
    });
    expect(res.status).toBe(201);
    await running.bus.idle();
    expect(welcomed).toEqual([{ userId: expect.any(Number), email: 'dev@example.com' }]);
  });

  it('writes readable log lines prefixed with the service', () => {
    expect(output.some((line) => /^\[users\] \S+ INFO  request requestId=dev-1 /.test(line))).toBe(true);
    expect(output.some((line) => line.startsWith('[front] ') && line.includes('front started'))).toBe(true);
  });

  it('explains a taken port and where to change it, then leaves nothing running', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    const attempt = startStack(stack, { ports: { users: { http: 0 }, front: { http: port } }, gatewayPort: 0, output: { write: () => true }, logLevel: 'silent' });
    await expect(attempt).rejects.toBeInstanceOf(StartupError);
    await expect(attempt).rejects.toThrow(
      `port ${port} (front http) is already in use: stop the process holding it or change ports.http in spec/services/front.yaml`,
    );
    await new Promise((resolve) => blocker.close(resolve));
  });
});
