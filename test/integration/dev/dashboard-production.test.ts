// The dashboard is part of the dev stack only: a service as production starts it (startService, what
// generated main.ts runs through runServices) and the gateway answer 404 to the dashboard's page and
// routes on every port they open.
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, startService, type Gateway, type RunningService } from '../../support/runtime.js';
import { captureLogger, testSettings, usersHost } from '../runtime/fixtures.js';

const DASHBOARD_PATHS = ['/', '/index.html', '/api/catalog', '/api/overview', '/api/stream', '/api/schemas'];

let service: RunningService;
let gateway: Gateway;
let gatewayPort: number;
let metricsPort: number;
const { logger } = captureLogger('users');

beforeAll(async () => {
  service = await startService(usersHost(), testSettings(logger));
  gateway = createGateway(
    { mesh: 'test', port: 0, timeoutMs: 2000, bodyLimitBytes: 1024, routes: [{ prefix: '/api/users', service: 'users', rewrite: '/users' }], services: { users: { httpPort: service.httpPort } } },
    { logger, resolveOrigin: () => `http://127.0.0.1:${service.httpPort}` },
  );
  gatewayPort = await gateway.listen(0, '127.0.0.1');
  metricsPort = await gateway.listenMetrics(0, '127.0.0.1');
});
afterAll(async () => {
  await gateway?.close();
  await service?.close();
});

describe('production processes', () => {
  it('serve no dashboard on a service\'s port', async () => {
    for (const path of DASHBOARD_PATHS) expect((await fetch(`http://127.0.0.1:${service.httpPort}${path}`)).status, path).toBe(404);
  });

  it('serve no dashboard on the gateway\'s ports', async () => {
    for (const port of [gatewayPort, metricsPort]) {
      for (const path of DASHBOARD_PATHS) expect((await fetch(`http://127.0.0.1:${port}${path}`)).status, `${port}${path}`).toBe(404);
    }
  });

  it('still answer their own routes (the test reaches real servers)', async () => {
    expect((await fetch(`http://127.0.0.1:${service.httpPort}/users/1`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${gatewayPort}/api/users/1`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).status).toBe(200);
  });
});
