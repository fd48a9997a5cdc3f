// Starting and stopping a service: drain on close, readiness, startup failures.
import { once } from 'node:events';
import { createServer, request, Agent } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createHttpApp, startService, StartupError } from '../../support/runtime.js';
import { captureLogger, schemas, testSettings, usersDefinition, usersHandlers, usersHost } from './fixtures.js';

/** GET over a given agent (keep-alive), resolving with status, headers and parsed body. */
function get(port: number, path: string, agent?: Agent): Promise<{ status: number; connection: string | undefined; body: unknown }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, agent }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body: JSON.parse(text) }));
    })
      .on('error', reject)
      .end();
  });
}

/** A `slow` hook the test lets finish: `entered` resolves once a request is inside it. */
function gatedSlow() {
  let enter!: () => void;
  let release!: () => void;
  const entered = new Promise<void>((resolve) => (enter = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  const handlers = {
    ...usersHandlers,
    async slow(_input: unknown, ctx: { signal: AbortSignal }) {
      enter();
      await released;
      return { done: true, aborted: ctx.signal.aborted };
    },
  };
  return { handlers, entered, release };
}

/** A grace period no test waits out: closing returns long before it unless something holds it open. */
const LONG_GRACE_MS = 20_000;

describe('graceful shutdown', () => {
  it('finishes an in-flight request, refuses new connections and turns not ready', async () => {
    const { logger } = captureLogger('users');
    const gate = gatedSlow();
    const service = await startService(usersHost({ handlers: gate.handlers }), testSettings(logger, { shutdownGraceMs: LONG_GRACE_MS }));
    const port = service.httpPort;
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    expect((await get(port, '/ready', agent)).status).toBe(200);

    // Sent on the warm keep-alive connection, and inside the hook when close() starts.
    const slow = get(port, '/slow', agent);
    await gate.entered;
    let closedYet = false;
    const closed = service.close().then(() => (closedYet = true));
    expect(service.ready).toBe(false);
    await expect(get(port, '/health')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(closedYet).toBe(false);

    gate.release();
    const done = await slow;
    expect(done.status).toBe(200);
    expect(done.body).toEqual({ done: true, aborted: false });
    // The connection is not kept for another request: nothing holds the drain open.
    expect(done.connection).toBe('close');
    const started = Date.now();
    await closed;
    // An idle keep-alive connection holding the drain would have kept close() until the grace period.
    expect(Date.now() - started).toBeLessThan(LONG_GRACE_MS / 2);
    agent.destroy();
  });

  it('answers /ready with 503 once the app is no longer ready', async () => {
    const { logger } = captureLogger('users');
    let ready = true;
    const app = createHttpApp({
      definition: usersDefinition,
      invoke: async () => undefined,
      schemas,
      logger,
      bodyLimitBytes: 1024,
      isReady: () => ready,
    });
    const server = createServer(app).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as AddressInfo).port;
    expect(await get(port, '/ready')).toMatchObject({ status: 200, body: { status: 'ready' } });
    ready = false;
    expect(await get(port, '/ready')).toMatchObject({ status: 503, body: { status: 'not ready' } });
    expect((await get(port, '/health')).status).toBe(200);
    await new Promise((resolve) => server.close(resolve));
  });

  it('cuts requests still running after the grace period', async () => {
    const { logger, lines } = captureLogger('users');
    const gate = gatedSlow();
    const service = await startService(usersHost({ handlers: gate.handlers }), testSettings(logger, { shutdownGraceMs: 100 }));
    const slow = get(service.httpPort, '/slow');
    await gate.entered;
    try {
      // The hook never finishes by itself: close() returning at all means the request was cut.
      await service.close();
      await expect(slow).rejects.toMatchObject({ code: 'ECONNRESET' });
      expect(lines.some((l) => String(l.msg).startsWith('shutdown grace period over'))).toBe(true);
    } finally {
      gate.release();
    }
  });
});

describe('startup failures', () => {
  it('names the port and the service when the port is taken', async () => {
    const { logger } = captureLogger('users');
    const first = await startService(usersHost(), testSettings(logger));
    const second = startService(usersHost(), testSettings(logger, { httpPort: first.httpPort }));
    await expect(second).rejects.toBeInstanceOf(StartupError);
    await expect(second).rejects.toThrow(`port ${first.httpPort} (users http) is already in use`);
    await first.close();
  });

  it('fails before listening when a subscription hook is missing', async () => {
    const { logger } = captureLogger('users');
    const definition = { ...usersDefinition, subscriptions: [{ event: 'user.created', handler: 'welcome' }] };
    const start = startService(usersHost({ definition, subscriptions: {} }), testSettings(logger));
    await expect(start).rejects.toThrow("users cannot subscribe: no hook 'welcome' for event 'user.created'");
  });
});
