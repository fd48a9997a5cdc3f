// A service and the gateway as separate processes (as in a cluster): while the service runs the
// gateway forwards to it; once it has stopped (gracefully, exit 0), the gateway answers 503 at once.
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, http, start, type Child } from '../support/processes.js';

const children: Child[] = [];
afterAll(async () => {
  await Promise.all(children.map((c) => c.stop('SIGKILL')));
});

describe('a stopped service behind the gateway', () => {
  it('gets 503 from the gateway, not a hang', async () => {
    const [usersPort, usersGrpc, gatewayPort, closedPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
    const users = start(['--import', 'tsx', 'generated/users/main.ts'], { PORT: String(usersPort), GRPC_PORT: String(usersGrpc), HOST: '127.0.0.1' });
    const gateway = start(['--import', 'tsx', 'generated/gateway/main.ts'], {
      PORT: String(gatewayPort),
      MESH_USERS_HTTP: `http://127.0.0.1:${usersPort}`,
      MESH_ORDERS_HTTP: `http://127.0.0.1:${closedPort}`,
    });
    children.push(users, gateway);
    await Promise.all([users.waitFor(/listening|started/i), gateway.waitFor(/listening|started/i)]);

    const base = `http://127.0.0.1:${gatewayPort}/api/v1`;
    const up = await http(`${base}/users`);
    expect(up.status).toBe(200);
    expect(up.body).toEqual([]);

    const never = await http(`${base}/orders`);
    expect(never.status).toBe(503);
    expect(never.body.error.code).toBe('Unavailable');

    expect(await users.stop('SIGTERM')).toBe(0);
    const down = await http(`${base}/users`);
    expect(down.status).toBe(503);
    expect(down.body.error).toMatchObject({ code: 'Unavailable' });
    expect(down.ms).toBeLessThan(3_000);
  }, 60_000);
});
