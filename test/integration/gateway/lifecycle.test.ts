// close(): serve with /ready at 503 for the shutdown delay, stop accepting, let in-flight requests
// finish (bounded), then close the upstream pools.
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createGateway } from '../../../runtime/gateway/index.js';
import { GatewayProxy } from '../../../runtime/gateway/proxy.js';
import { Router } from '../../../runtime/gateway/router.js';
import { closeAll, PATIENCE_MS, send, signal, startGateway, startUpstream, within, type Reply } from './helpers.js';

afterEach(closeAll);

/** One GET through `agent` (send() uses the global agent). */
function sendWith(agent: Agent, port: number, path: string): Promise<Reply> {
  return new Promise<Reply>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body.toString()) });
      });
    });
    req.setTimeout(PATIENCE_MS, () => req.destroy(new Error('client timeout: no reply')));
    req.on('error', reject);
    req.end();
  });
}

describe('close()', () => {
  it('lets an in-flight request finish, then refuses new connections', async () => {
    const arrived = signal();
    const answer = signal();
    const users = await startUpstream((req, res) => {
      req.resume();
      arrived.resolve();
      void answer.promise.then(() => res.end('finished'));
    });
    const gw = await startGateway([{ prefix: '/api', service: 'users' }], { users: users.origin });
    const inFlight = send(gw.port, '/api/slow', { timeoutMs: PATIENCE_MS });
    await within(arrived.promise, PATIENCE_MS, 'the request never reached the upstream');

    const closed = gw.gateway.close();
    // The upstream answers only once close() has started: the request is in flight throughout.
    answer.resolve();
    const reply = await inFlight;
    expect(reply.status).toBe(200);
    expect(reply.body.toString()).toBe('finished');
    await within(closed, PATIENCE_MS, 'close() did not resolve after the in-flight request');
    await expect(send(gw.port, '/api/again', { timeoutMs: PATIENCE_MS })).rejects.toThrow(/ECONNREFUSED/);
  });

  it('does not wait for a keep-alive connection whose response started before close()', async () => {
    const finish = signal();
    const users = await startUpstream((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('started;');
      void finish.promise.then(() => res.end('finished'));
    });
    // A grace period longer than the keep-alive timeout, so that only closing the drained
    // connection can end close() before the connection times out.
    const gw = await startGateway([{ prefix: '/api', service: 'users' }], { users: users.origin }, { shutdownGraceMs: 60_000 });
    const headersIn = signal();
    const body = new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: gw.port, path: '/api/stream', agent: new Agent({ keepAlive: true }) }, (res) => {
        headersIn.resolve();
        let text = '';
        res.setEncoding('utf8').on('data', (c: string) => (text += c));
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
      req.end();
    });
    await within(headersIn.promise, PATIENCE_MS, 'no response headers');
    const closed = gw.gateway.close();
    finish.resolve();
    expect(await body).toBe('started;finished');
    // Under the server's keep-alive timeout (5 s), and a bound no load reaches: the drained
    // connection was closed, not left idle until it timed out.
    await within(closed, 4_000, 'close() waited for an idle keep-alive connection');
  });

  it('keeps serving through the shutdown delay with /ready at 503, then refuses connections', async () => {
    const users = await startUpstream();
    // Long enough that the requests below, sent as soon as close() starts, land well inside it.
    const delayMs = 4_000;
    const gw = await startGateway([{ prefix: '/api', service: 'users' }], { users: users.origin }, { shutdownDelayMs: delayMs });
    // A keep-alive connection opened before close(): its next response must retire it.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const before = await sendWith(agent, gw.port, '/api/before');
    expect(before.status).toBe(200);
    expect(before.headers.connection).not.toBe('close');

    let closedYet = false;
    const closed = gw.gateway.close().then(() => (closedYet = true));
    const ready = await send(gw.port, '/ready');
    const onKeptConnection = await sendWith(agent, gw.port, '/api/during');
    // A new connection is still accepted: a load balancer may not have heard of the shutdown yet.
    const onNewConnection = await sendWith(new Agent({ keepAlive: false }), gw.port, '/api/fresh');

    expect(ready.status).toBe(503);
    expect(ready.json()).toEqual({ status: 'closing' });
    for (const reply of [onKeptConnection, onNewConnection]) {
      expect(reply.status).toBe(200);
      expect(reply.headers.connection).toBe('close');
    }
    expect(users.requests).toBe(3);
    expect(gw.logs.some((l) => l.msg === 'gateway draining: /ready answers 503, still serving')).toBe(true);
    // Answered before close() resolved: the listener stayed open for the delay.
    expect(closedYet).toBe(false);

    await within(closed, delayMs + PATIENCE_MS, 'close() did not resolve after the delay');
    await expect(send(gw.port, '/api/after', { timeoutMs: PATIENCE_MS })).rejects.toThrow(/ECONNREFUSED/);
    agent.destroy();
  });

  it('answers /ready with 503 once shutdown started, /health still 200', async () => {
    // close() also stops the listener, so drive the request handler directly on a server of our own.
    const ctx = { logger: pino({ level: 'silent' }), timeoutMs: 1000, bodyLimitBytes: 1000, bodyIdleTimeoutMs: 1000, trustedProxies: 0, closing: false };
    const proxy = new GatewayProxy(ctx, new Router([]), []);
    const server = createServer(proxy.handle);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      expect((await send(port, '/ready')).status).toBe(200);
      ctx.closing = true;
      const ready = await send(port, '/ready');
      expect(ready.status).toBe(503);
      expect(ready.headers.connection).toBe('close');
      expect((await send(port, '/health')).status).toBe(200);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('cuts requests that outlast the grace period', async () => {
    const arrived = signal();
    const users = await startUpstream((req) => {
      req.resume();
      arrived.resolve(); // and never answers
    });
    const gateway = createGateway(
      {
        mesh: 'test',
        port: 0,
        timeoutMs: 30_000,
        bodyLimitBytes: 1000,
        routes: [{ prefix: '/api', service: 'users', rewrite: '/api' }],
        services: { users: { httpPort: users.port } },
      },
      { logger: pino({ level: 'silent' }), shutdownGraceMs: 200 },
    );
    const port = await gateway.listen(0, '127.0.0.1');
    const inFlight = send(port, '/api/hang', { timeoutMs: PATIENCE_MS }).catch((err: Error) => err);
    await within(arrived.promise, PATIENCE_MS, 'the request never reached the upstream');
    // The upstream never answers and the gateway's own timeout is 30 s: only the grace period ends close().
    await within(gateway.close(), PATIENCE_MS, 'close() waited past the grace period');
    const outcome = await inFlight;
    expect(outcome).toBeInstanceOf(Error);
    expect((outcome as Error).message).not.toMatch(/client timeout/);
  });
});
