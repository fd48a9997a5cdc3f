// A route's own methods, body limit and timeout: a method the route does not take is answered 405
// with Allow (before authentication) and never reaches the service; OPTIONS is answered with Allow
// and HEAD rides on GET; the route's body limit drives both 413s, and its timeout the upstream wait,
// the 504 and the deadline the service is given, whether tighter or looser than the gateway's.
import { request } from 'node:http';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createGateway } from '../../../runtime/gateway/index.js';
import { DEADLINE_HEADER } from '../../../runtime/http/headers.js';
import { hmacToken, SECRET } from '../../support/jwt.js';
import { closeAll, echo, PATIENCE_MS, send, signal, sleep, startGateway, startUpstream, within } from './helpers.js';

afterEach(closeAll);

interface ErrorBody {
  error: { code: string; message: string; requestId: string };
}

const JWT = { jwt: { algorithms: ['HS256'] as const, secretEnv: 'JWT_SECRET' } };

describe('route methods', () => {
  it('answers 405 with Allow for a method the route does not take, before authentication, without calling the service', async () => {
    const users = await startUpstream(echo);
    const gw = await startGateway(
      [{ prefix: '/api/users', service: 'users', rewrite: '/users', methods: ['GET', 'POST'] }],
      { users: users.origin },
      { auth: JWT, env: { JWT_SECRET: SECRET } },
    );
    const token = { authorization: `Bearer ${hmacToken(SECRET)}` };
    for (const [method, headers] of [['DELETE', {}], ['PUT', token], ['PROPFIND', token]] as const) {
      const reply = await send(gw.port, '/api/users/1', { method, headers });
      expect(reply.status, method).toBe(405);
      expect(reply.headers.allow).toBe('GET, HEAD, POST, OPTIONS');
      expect(reply.json<ErrorBody>().error).toMatchObject({ code: 'MethodNotAllowed', message: `${method} is not allowed on /api/users; use GET, HEAD, POST, OPTIONS` });
    }
    expect(users.requests).toBe(0);
    // A method the route takes still needs its token, then reaches the service.
    expect((await send(gw.port, '/api/users/1')).status).toBe(401);
    expect((await send(gw.port, '/api/users/1', { method: 'POST', headers: token, body: '{}' })).status).toBe(200);
    expect(users.requests).toBe(1);
  });

  it('answers OPTIONS itself with 204 and Allow; a CORS preflight is still answered as one', async () => {
    const users = await startUpstream(echo);
    const gw = await startGateway(
      [{ prefix: '/api/products', service: 'users', rewrite: '/products', methods: ['GET'] }],
      { users: users.origin },
      { cors: { origins: ['https://shop.example.com'] } },
    );
    const options = await send(gw.port, '/api/products', { method: 'OPTIONS' });
    expect(options.status).toBe(204);
    expect(options.headers.allow).toBe('GET, HEAD, OPTIONS');
    expect(options.body.length).toBe(0);

    const preflight = await send(gw.port, '/api/products', {
      method: 'OPTIONS',
      headers: { origin: 'https://shop.example.com', 'access-control-request-method': 'GET' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://shop.example.com');
    expect(preflight.headers.allow).toBeUndefined();
    expect(users.requests).toBe(0);
  });

  it('forwards HEAD on a GET route as HEAD, and the answer has no body', async () => {
    const seen: string[] = [];
    const users = await startUpstream((req, res) => {
      seen.push(req.method ?? '');
      req.resume();
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '5' }).end(req.method === 'HEAD' ? undefined : 'hello');
    });
    const gw = await startGateway([{ prefix: '/api/products', service: 'users', rewrite: '/products', methods: ['GET'] }], { users: users.origin });
    const head = await send(gw.port, '/api/products/1', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe('5');
    expect(head.body.length).toBe(0);
    expect((await send(gw.port, '/api/products/1')).body.toString()).toBe('hello');
    expect(seen).toEqual(['HEAD', 'GET']);
  });

  it('forwards every method, OPTIONS included, on a route without a list', async () => {
    const users = await startUpstream(echo);
    const gw = await startGateway([{ prefix: '/api', service: 'users', rewrite: '/' }], { users: users.origin });
    for (const method of ['OPTIONS', 'PROPFIND', 'DELETE']) {
      const reply = await send(gw.port, '/api/x', { method });
      expect(reply.status, method).toBe(200);
      expect(reply.json<{ method: string }>().method).toBe(method);
    }
    expect(users.requests).toBe(3);
  });
});

describe('route body limit', () => {
  it("answers 413 on a Content-Length over the route's limit, tighter or looser than the gateway's", async () => {
    const users = await startUpstream(echo);
    const gw = await startGateway(
      [
        { prefix: '/api/small', service: 'users', bodyLimitBytes: 1000 },
        { prefix: '/api/large', service: 'users', bodyLimitBytes: 100_000 },
        { prefix: '/api/plain', service: 'users' },
      ],
      { users: users.origin },
      { bodyLimitBytes: 10_000 },
    );
    const post = (path: string, bytes: number) => send(gw.port, path, { method: 'POST', body: Buffer.alloc(bytes, 1) });

    const small = await post('/api/small', 1001);
    expect(small.status).toBe(413);
    expect(small.json<ErrorBody>().error).toMatchObject({ code: 'PayloadTooLarge', message: 'request body is larger than 1000 bytes' });
    expect(users.requests).toBe(0);
    expect((await post('/api/small', 1000)).status).toBe(200);
    // The route's larger limit wins over the gateway's.
    expect((await post('/api/large', 50_000)).status).toBe(200);
    expect((await post('/api/large', 100_001)).status).toBe(413);
    // A route without its own takes the gateway's.
    expect((await post('/api/plain', 10_000)).status).toBe(200);
    const plain = await post('/api/plain', 10_001);
    expect(plain.status).toBe(413);
    expect(plain.json<ErrorBody>().error.message).toBe('request body is larger than 10000 bytes');
  });

  it("cuts a chunked body once it passes the route's limit: 413 to the client, upstream request aborted", async () => {
    const upstreamEnded = signal<{ bytes: number; complete: boolean }>();
    const users = await startUpstream((req, res) => {
      let bytes = 0;
      req.on('data', (chunk: Buffer) => (bytes += chunk.length));
      req.on('end', () => res.end('read it all'));
      res.on('close', () => upstreamEnded.resolve({ bytes, complete: req.complete }));
    });
    const limit = 32 * 1024;
    const gw = await startGateway([{ prefix: '/api', service: 'users', bodyLimitBytes: limit }], { users: users.origin }, { bodyLimitBytes: 1024 * 1024 });

    const reply = signal<{ status: number; body: string }>();
    const req = request({ host: '127.0.0.1', port: gw.port, path: '/api/upload', method: 'POST' }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c));
      res.on('end', () => reply.resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', () => undefined); // the gateway closes the connection after its 413
    let answered = false;
    void reply.promise.then(() => (answered = true));
    // 8 KiB chunks, up to the gateway's own 1 MiB, stopping once the gateway answered.
    for (let sent = 0; sent < 1024 * 1024 && !answered && !req.destroyed; sent += 8 * 1024) {
      req.write(Buffer.alloc(8 * 1024, 7));
      await sleep(2);
    }
    const { status, body } = await within(reply.promise, PATIENCE_MS, 'no answer to an over-limit chunked body');
    req.destroy();
    expect(status).toBe(413);
    expect(JSON.parse(body)).toMatchObject({ error: { code: 'PayloadTooLarge', message: `request body is larger than ${limit} bytes` } });
    const upstream = await within(upstreamEnded.promise, PATIENCE_MS, 'the upstream request was not ended');
    expect(upstream.complete).toBe(false);
    expect(upstream.bytes).toBeLessThanOrEqual(limit);
  });
});

describe('route timeout', () => {
  it("answers 504 at the route's timeout, not the gateway's, and gives the service the route's deadline", async () => {
    const upstreamClosed = signal();
    let deadlineIn = Number.NaN;
    const users = await startUpstream((req, res) => {
      deadlineIn = Number(req.headers[DEADLINE_HEADER]) - Date.now();
      req.resume();
      // Later than the test waits for anything: only the route's timeout answers in time.
      const timer = setTimeout(() => res.end('too late'), 6 * PATIENCE_MS);
      res.on('close', () => {
        clearTimeout(timer);
        upstreamClosed.resolve();
      });
    });
    const gw = await startGateway([{ prefix: '/api', service: 'users', timeoutMs: 300 }], { users: users.origin }, { timeoutMs: 10 * PATIENCE_MS });
    const reply = await within(send(gw.port, '/api/slow', { timeoutMs: 2 * PATIENCE_MS }), PATIENCE_MS, "no answer within the route's timeout");
    expect(reply.status).toBe(504);
    expect(reply.json<ErrorBody>().error).toMatchObject({ code: 'Timeout', message: 'service users did not answer within 300 ms' });
    // The deadline is the route's (300 ms away when sent), not the gateway's 100 s.
    expect(deadlineIn).toBeGreaterThan(0);
    expect(deadlineIn).toBeLessThanOrEqual(300);
    await within(upstreamClosed.promise, PATIENCE_MS, 'the upstream request was not closed after the timeout');
  });

  it("waits for a slow service as long as the route's timeout allows, past the gateway's", async () => {
    const users = await startUpstream((req, res) => {
      req.resume();
      // Reports take a second; anything else longer than the test waits (undici's timers may fire
      // the gateway's 200 ms up to about a second late, so the other path must not answer at all).
      const timer = setTimeout(() => res.end('slow but fine'), req.url?.startsWith('/api/reports') ? 1_000 : 6 * PATIENCE_MS);
      res.on('close', () => clearTimeout(timer));
    });
    const gw = await startGateway(
      [
        { prefix: '/api/reports', service: 'users', timeoutMs: 4 * PATIENCE_MS },
        { prefix: '/api', service: 'users' },
      ],
      { users: users.origin },
      { timeoutMs: 200 },
    );
    const reports = await send(gw.port, '/api/reports/1', { timeoutMs: 5 * PATIENCE_MS });
    expect(reports.status).toBe(200);
    expect(reports.body.toString()).toBe('slow but fine');
    const other = await send(gw.port, '/api/other');
    expect(other.status).toBe(504);
    expect(other.json<ErrorBody>().error.message).toBe('service users did not answer within 200 ms');
  });

  it("lets a request of the slowest route finish at shutdown: the default grace is the longest timeout", async () => {
    const arrived = signal();
    const answer = signal();
    const users = await startUpstream((req, res) => {
      req.resume();
      arrived.resolve();
      void answer.promise.then(() => res.end('finished'));
    });
    const gateway = createGateway(
      { mesh: 'test', port: 0, timeoutMs: 200, bodyLimitBytes: 1024, routes: [{ prefix: '/api', service: 'users', rewrite: '/', timeoutMs: 4 * PATIENCE_MS }], services: {} },
      { logger: pino({ level: 'silent' }), resolveOrigin: () => users.origin },
    );
    const port = await gateway.listen(0, '127.0.0.1');
    const reply = send(port, '/api/report', { timeoutMs: 5 * PATIENCE_MS });
    await within(arrived.promise, PATIENCE_MS, 'the request did not reach the service');
    const closed = gateway.close();
    // Past the gateway's own timeout, which was the grace before routes had theirs.
    await sleep(1_000);
    answer.resolve();
    const { status, body } = await reply;
    expect(status).toBe(200);
    expect(body.toString()).toBe('finished');
    await closed;
  });
});
