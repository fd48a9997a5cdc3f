// A service and the gateway as separate processes (as in a cluster): while the service runs the
// gateway forwards to it; once it has stopped (gracefully, exit 0), the gateway answers 503 at once.
// Every address comes from the environment (PORT, GRPC_PORT, MESH_<SERVICE>_HTTP/_GRPC) on free
// ports, so no process falls back to the spec's ports, which `npm start` may hold.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoveryEnvName } from '../../common/discovery.js';
import { gatewayConfig } from '../../generated/gateway/routes.js';
import { freePorts, start, type Child } from '../support/processes.js';
import { createServiceDatabases, type ServiceDatabases } from '../support/service-databases.js';
import { call, SHOP_AUTH_ENV, shopApi } from '../support/shop-flow.js';

const children: Child[] = [];
let databases: ServiceDatabases | undefined;
beforeAll(async () => {
  databases = await createServiceDatabases(['users']);
});
afterAll(async () => {
  await Promise.all(children.map((c) => c.stop('SIGKILL')));
  await databases?.drop();
});

describe('a stopped service behind the gateway', () => {
  it('gets 503 from the gateway, not a hang', async () => {
    const [usersPort, usersGrpc, gatewayPort, closedPort] = await freePorts(4);
    // Every other service, for the gateway and for users' own clients, is a port nothing listens on.
    const elsewhere = Object.fromEntries(
      Object.keys(gatewayConfig.services).flatMap((service) => [
        [discoveryEnvName(service, 'HTTP'), `http://127.0.0.1:${closedPort}`],
        [discoveryEnvName(service, 'GRPC'), `127.0.0.1:${closedPort}`],
      ]),
    );
    const users = start(['--import', 'tsx', 'generated/users/main.ts'], {
      ...elsewhere,
      ...databases!.env,
      // Not a test of events: the spec's Redis bus would write to the shared broker's default namespace.
      EVENT_BUS: 'memory',
      PORT: String(usersPort),
      GRPC_PORT: String(usersGrpc),
      HOST: '127.0.0.1',
    });
    const gateway = start(['--import', 'tsx', 'generated/gateway/main.ts'], {
      ...elsewhere,
      PORT: String(gatewayPort),
      METRICS_PORT: '0',
      MESH_USERS_HTTP: `http://127.0.0.1:${usersPort}`,
      ...SHOP_AUTH_ENV,
    });
    children.push(users, gateway);
    await Promise.all([users.waitFor(/listening|started/i), gateway.waitFor(/listening|started/i)]);

    const api = await shopApi(`http://127.0.0.1:${gatewayPort}/api/v1`);
    const up = await call(api, '/users');
    expect(up.status).toBe(200);
    expect(up.body).toEqual([]);

    const never = await call(api, '/orders');
    expect(never.status).toBe(503);
    expect(never.body.error.code).toBe('Unavailable');

    expect(await users.stop('SIGTERM')).toBe(0);
    const down = await call(api, '/users', { timeoutMs: gatewayConfig.timeoutMs + 10_000 });
    expect(down.status).toBe(503);
    expect(down.body.error).toMatchObject({ code: 'Unavailable' });
    // A hang would end in the gateway's 504 after its timeout: the answer came well before it.
    expect(down.ms).toBeLessThan(gatewayConfig.timeoutMs);
  }, 60_000);
});
