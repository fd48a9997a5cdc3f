// `meshspec dev` stops at once on Ctrl-C: the drain delay of the Kubernetes manifests applies only
// when the developer asks for it (SHUTDOWN_DELAY, passed to startStack as shutdownDelayMs).
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startStack, type DevStack, type RunningStack } from '../../support/runtime.js';
import { usersHost } from './fixtures.js';

const stack: DevStack = {
  mesh: 'test',
  services: [usersHost],
  gateway: {
    mesh: 'test',
    port: 8080,
    timeoutMs: 2000,
    bodyLimitBytes: 1024,
    routes: [{ prefix: '/api/users', service: 'users', rewrite: '/users' }],
    services: { users: { httpPort: 3901 } },
  },
  runtime: { bodyLimitBytes: 1024, shutdownGraceMs: 1000 },
};

const started: RunningStack[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.close()));
});

async function start(shutdownDelayMs?: number): Promise<RunningStack> {
  const running = await startStack(stack, {
    ports: { users: { http: 0 } },
    gatewayPort: 0,
    output: { write: () => true },
    logLevel: 'silent',
    ...(shutdownDelayMs === undefined ? {} : { shutdownDelayMs }),
  });
  started.push(running);
  return running;
}

/** Status and `connection` header of one GET on a fresh connection, or the connection error's code. */
function get(url: string): Promise<{ status: number; connection: string | undefined } | string> {
  return new Promise((resolve) => {
    const req = request(url, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
    });
    req.setTimeout(10_000, () => req.destroy(new Error('no reply')));
    req.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    req.end();
  });
}

describe('stopping the dev stack', () => {
  it('closes the gateway at once by default: no drain delay in development', async () => {
    const running = await start();
    const closed = running.close();
    // close() stopped the listener before it returned: no delay kept it open.
    expect(await get(`${running.gatewayUrl}/ready`)).toBe('ECONNREFUSED');
    await closed;
  });

  it('with an explicit delay, answers /ready 503 and still proxies until the delay is over', async () => {
    const running = await start(3_000);
    const closed = running.close();
    expect(await get(`${running.gatewayUrl}/ready`)).toEqual({ status: 503, connection: 'close' });
    expect(await get(`${running.gatewayUrl}/api/users/1`)).toEqual({ status: 200, connection: 'close' });
    await closed;
    expect(await get(`${running.gatewayUrl}/ready`)).toBe('ECONNREFUSED');
  });
});
