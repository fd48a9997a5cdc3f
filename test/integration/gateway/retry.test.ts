// The gateway sends a request a second time only when the service cannot have taken it: a reused
// keep-alive connection closed under it before any byte of an answer (the idle-close race), or a
// connection that could not be made. An answer, a reset after the headers, a timeout, a new
// connection dropped or a streamed body is never retried: the upstream counts what it received.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { REPLAYABLE_BODY_BYTES } from '../../../runtime/gateway/retry.js';
import { closeAll, closedPort, PATIENCE_MS, send, sleep, startGateway, within } from './helpers.js';

/** A node:http upstream that drops a reused connection on cue, and counts requests per path. */
interface FakeUpstream {
  readonly origin: string;
  /** Requests received per path (probes of /ready included under their own path). */
  readonly seen: Map<string, number>;
  /** Connections accepted. */
  connections: number;
  /** The next request that arrives on a connection that served one before is dropped unanswered. */
  dropNextReused: boolean;
  /** Answers /ready with this status. */
  readyStatus: number;
  handler: (req: IncomingMessage, res: ServerResponse) => void;
  stop(): Promise<void>;
}

const servers: Server[] = [];
afterEach(async () => {
  await closeAll();
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
});

/** Answers with what it read: method, path and body. */
function echoBody(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ method: req.method, path: req.url, body: Buffer.concat(chunks).toString() }));
  });
}

async function startFake(handler: FakeUpstream['handler'] = echoBody): Promise<FakeUpstream> {
  const served = new WeakMap<Socket, number>();
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    fake.seen.set(path, (fake.seen.get(path) ?? 0) + 1);
    if (path === '/ready') {
      res.writeHead(fake.readyStatus).end();
      return;
    }
    const before = served.get(req.socket) ?? 0;
    served.set(req.socket, before + 1);
    if (before > 0 && fake.dropNextReused) {
      // As a keep-alive timeout or a drain does it: the request arrives as the connection closes.
      fake.dropNextReused = false;
      req.socket.destroy();
      return;
    }
    fake.handler(req, res);
  });
  server.keepAliveTimeout = 60_000;
  server.on('connection', () => fake.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  const fake: FakeUpstream = {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen: new Map(),
    connections: 0,
    dropNextReused: false,
    readyStatus: 200,
    handler,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return fake;
}

const json = { 'content-type': 'application/json' };

describe('retried once: the service cannot have taken the request', () => {
  it('sends a GET again when its reused connection closes before any answer', async () => {
    const users = await startFake();
    const gw = await startGateway([{ prefix: '/api', service: 'users' }], { users: users.origin });
    expect((await send(gw.port, '/api/first')).status).toBe(200);
    users.dropNextReused = true;
    const reply = await send(gw.port, '/api/second', { headers: { 'x-request-id': 'retried-get' } });
    expect(reply.status).toBe(200);
    expect(reply.json()).toMatchObject({ method: 'GET', path: '/api/second' });
    // Dropped once on the reused connection, answered on a new one.
    expect(users.seen.get('/api/second')).toBe(2);
    expect(users.connections).toBe(2);
    const line = await gw.logOf('retried-get');
    expect(line).toMatchObject({ status: 200, retried: true });
    expect(line.upstreamError).toMatch(/UND_ERR_SOCKET|ECONNRESET|EPIPE/);
  });

  it('sends a POST with its JSON body again (read whole first, so it can be replayed)', async () => {
    const orders = await startFake();
    const gw = await startGateway([{ prefix: '/api', service: 'orders' }], { orders: orders.origin });
    expect((await send(gw.port, '/api/warm')).status).toBe(200);
    orders.dropNextReused = true;
    const body = JSON.stringify({ item: 'book', quantity: 2, note: 'x'.repeat(10_000) });
    const reply = await send(gw.port, '/api/orders', { method: 'POST', headers: { ...json, 'x-request-id': 'retried-post' }, body });
    expect(reply.status).toBe(200);
    expect(reply.json()).toEqual({ method: 'POST', path: '/api/orders', body });
    expect(orders.seen.get('/api/orders')).toBe(2);
    expect(await gw.logOf('retried-post')).toMatchObject({ status: 200, retried: true });
  });

  it('sends it to the other instance when one refuses connections, and ejects the refusing one', async () => {
    const [a, b] = await Promise.all([startFake(), startFake()]);
    // Checks far apart: only the refusals themselves can take `a` out.
    const gw = await startGateway([{ prefix: '/api', service: 'users' }], { users: `${a.origin},${b.origin}` }, { readinessIntervalMs: 60_000 });
    await sleep(100); // the first readiness round (both up)
    await a.stop();
    const statuses: number[] = [];
    for (let i = 0; i < 100 && !gw.logs.some((l) => l.type === 'ejected'); i++) statuses.push((await send(gw.port, `/api/${i}`)).status);
    expect(statuses.length).toBeGreaterThan(2);
    expect(statuses.every((status) => status === 200)).toBe(true);
    expect(gw.logs.find((l) => l.type === 'ejected')).toMatchObject({ address: a.origin, upstream: 'users' });
    expect(gw.logs.some((l) => l.msg === 'request' && l.retried === true && l.upstreamError === 'ECONNREFUSED')).toBe(true);
    // Ejected: no more attempts at it, so no more retries.
    const retriedBefore = gw.logs.filter((l) => l.retried).length;
    for (let i = 0; i < 10; i++) expect((await send(gw.port, '/api/after')).status).toBe(200);
    expect(gw.logs.filter((l) => l.retried).length).toBe(retriedBefore);
  });

  it('stops sending new requests to an instance whose /ready answers 503 (draining)', async () => {
    const [a, b] = await Promise.all([startFake(), startFake()]);
    const gw = await startGateway([{ prefix: '/api', service: 'users' }], { users: `${a.origin},${b.origin}` }, { readinessIntervalMs: 100 });
    a.readyStatus = 503;
    for (const deadline = Date.now() + PATIENCE_MS; !gw.logs.some((l) => l.type === 'down'); await sleep(20)) {
      if (Date.now() > deadline) throw new Error('the draining instance was never marked down');
    }
    const before = a.seen.get('/api/x') ?? 0;
    for (let i = 0; i < 20; i++) expect((await send(gw.port, '/api/x')).status).toBe(200);
    expect(a.seen.get('/api/x') ?? 0).toBe(before);
    expect(b.seen.get('/api/x')).toBe(20);
  });

  it('checks readiness at once when an instance answers with Connection: close (a drain), without waiting for the interval', async () => {
    const [a, b] = await Promise.all([startFake(), startFake()]);
    const gw = await startGateway([{ prefix: '/api', service: 'users' }], { users: `${a.origin},${b.origin}` }, { readinessIntervalMs: 60_000 });
    await sleep(100); // the first readiness round (both up)
    // As a service with SHUTDOWN_DELAY drains: /ready 503, every answer retires its connection.
    a.readyStatus = 503;
    a.handler = (req, res) => {
      req.resume();
      res.writeHead(200, { ...json, connection: 'close' }).end('{}');
    };
    for (let i = 0; i < 100 && !gw.logs.some((l) => l.type === 'down'); i++) {
      expect((await send(gw.port, '/api/x')).status).toBe(200);
      await sleep(10);
    }
    expect(gw.logs.find((l) => l.type === 'down')).toMatchObject({ address: a.origin });
    const before = a.seen.get('/api/x') ?? 0;
    for (let i = 0; i < 10; i++) expect((await send(gw.port, '/api/x')).status).toBe(200);
    expect(a.seen.get('/api/x') ?? 0).toBe(before);
  });
});

describe('never retried: the service may have taken it', () => {
  it('passes a 500 on after one request, on a reused connection', async () => {
    const users = await startFake((req, res) => {
      req.resume();
      res.writeHead(req.url === '/api/fails' ? 500 : 200, json).end('{}');
    });
    const gw = await startGateway([{ prefix: '/api', service: 'users' }], { users: users.origin });
    expect((await send(gw.port, '/api/warm')).status).toBe(200);
    expect((await send(gw.port, '/api/fails')).status).toBe(500);
    expect(users.seen.get('/api/fails')).toBe(1);
  });

  it('cuts the client when the upstream resets after sending headers, and sends nothing again', async () => {
    const users = await startFake((req, res) => {
      req.resume();
      if (req.url !== '/api/cut') {
        res.writeHead(200, json).end('{}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"partial":');
      setTimeout(() => req.socket.destroy(), 50);
    });
    const gw = await startGateway([{ prefix: '/api', service: 'users' }], { users: users.origin });
    expect((await send(gw.port, '/api/warm')).status).toBe(200);
    await expect(send(gw.port, '/api/cut')).rejects.toThrow();
    expect(users.seen.get('/api/cut')).toBe(1);
  });

  it('answers 504 after a timeout on a reused connection, with one request upstream', async () => {
    const users = await startFake((req, res) => {
      req.resume();
      if (req.url !== '/api/slow') res.writeHead(200, json).end('{}');
    });
    const gw = await startGateway([{ prefix: '/api', service: 'users' }], { users: users.origin }, { timeoutMs: 500 });
    expect((await send(gw.port, '/api/warm')).status).toBe(200);
    expect((await send(gw.port, '/api/slow')).status).toBe(504);
    await sleep(200);
    expect(users.seen.get('/api/slow')).toBe(1);
  });

  it('answers 502 when a new connection closes without an answer (the service may have crashed on it)', async () => {
    const users = await startFake((req) => req.socket.destroy());
    const gw = await startGateway([{ prefix: '/api', service: 'users' }], { users: users.origin });
    expect((await send(gw.port, '/api/crash', { headers: { 'x-request-id': 'fresh-drop' } })).status).toBe(502);
    expect(users.seen.get('/api/crash')).toBe(1);
    expect((await gw.logOf('fresh-drop')).retried).toBeUndefined();
  });

  it('answers 502 for a streamed body (too large to replay) whose reused connection closed', async () => {
    const users = await startFake();
    const gw = await startGateway([{ prefix: '/api', service: 'users' }], { users: users.origin });
    expect((await send(gw.port, '/api/warm')).status).toBe(200);
    users.dropNextReused = true;
    const body = Buffer.alloc(REPLAYABLE_BODY_BYTES + 1, 'a');
    expect((await send(gw.port, '/api/upload', { method: 'POST', body })).status).toBe(502);
    expect(users.seen.get('/api/upload')).toBe(1);
  });
});

describe('a small body read whole first', () => {
  it('is cut with 408 when it stalls, and the service never sees the request', async () => {
    const users = await startFake();
    const gw = await startGateway([{ prefix: '/api', service: 'users' }], { users: users.origin }, { limits: { bodyIdleTimeoutMs: 300 } });
    const { connect } = await import('node:net');
    const socket = connect(gw.port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.write('POST /api/stalled HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a":');
    await within(closed, PATIENCE_MS, 'the stalled request was never cut');
    expect(received).toMatch(/^HTTP\/1\.1 408 /);
    expect(users.seen.get('/api/stalled')).toBeUndefined();
  });
});
