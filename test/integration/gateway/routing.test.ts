// Routing, rewrite, request ids, forwarded and hop-by-hop headers, the gateway's own endpoints.
import { request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeAll, echo, PATIENCE_MS, send, startGateway, startUpstream, type TestGateway, type Upstream } from './helpers.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

interface Echo {
  method: string;
  url: string;
  headers: Record<string, string | undefined>;
}

let users: Upstream;
let orders: Upstream;
let gw: TestGateway;

beforeEach(async () => {
  users = await startUpstream();
  orders = await startUpstream();
  gw = await startGateway(
    [
      { prefix: '/api/v1/users', service: 'users', rewrite: '/users' },
      { prefix: '/api/v1/orders', service: 'orders', rewrite: '/' },
      { prefix: '/api/v1/users/admin', service: 'orders', rewrite: '/admin' },
    ],
    { users: users.origin, orders: orders.origin },
  );
});
afterEach(closeAll);

describe('routing', () => {
  it('rewrites the prefix and keeps the rest of the path and the query', async () => {
    const reply = await send(gw.port, '/api/v1/users/42/orders?limit=5&q=a%20b');
    expect(reply.status).toBe(200);
    expect(reply.json<Echo>().url).toBe('/users/42/orders?limit=5&q=a%20b');
    expect(users.requests).toBe(1);
    expect(orders.requests).toBe(0);
  });

  it('matches the prefix alone and the prefix followed by a query', async () => {
    expect((await send(gw.port, '/api/v1/users')).json<Echo>().url).toBe('/users');
    expect((await send(gw.port, '/api/v1/users?x=1')).json<Echo>().url).toBe('/users?x=1');
  });

  it('strips the prefix entirely when the rewrite is /', async () => {
    expect((await send(gw.port, '/api/v1/orders')).json<Echo>().url).toBe('/');
    expect((await send(gw.port, '/api/v1/orders/7')).json<Echo>().url).toBe('/7');
    expect((await send(gw.port, '/api/v1/orders?a=1')).json<Echo>().url).toBe('/?a=1');
    expect(orders.requests).toBe(3);
  });

  it('prefers the longest matching prefix', async () => {
    const reply = await send(gw.port, '/api/v1/users/admin/x');
    expect(reply.json<Echo>().url).toBe('/admin/x');
    expect(orders.requests).toBe(1);
    expect(users.requests).toBe(0);
  });

  it('forwards the method and the body', async () => {
    const reply = await send(gw.port, '/api/v1/users', {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: '{"name":"ada"}',
    });
    const echo = reply.json<Echo>();
    expect(echo.method).toBe('PATCH');
    expect(echo.headers['content-type']).toBe('application/json');
    expect(echo.headers['content-length']).toBe('14');
  });

  it('forwards HEAD without a body', async () => {
    users.handler = (req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '5' }).end(req.method === 'HEAD' ? undefined : 'hello');
    };
    const reply = await send(gw.port, '/api/v1/users/1', { method: 'HEAD' });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-length']).toBe('5');
    expect(reply.body.length).toBe(0);
    expect((await send(gw.port, '/api/v1/users/1')).body.toString()).toBe('hello');
  });

  it('answers 404 NotFound JSON for a path no route matches, without calling an upstream', async () => {
    for (const path of ['/api/v1/usersx', '/nope?secret=1', '/api/v1']) {
      const reply = await send(gw.port, path);
      expect(reply.status).toBe(404);
      expect(reply.headers['content-type']).toMatch(/^application\/json/);
      const body = reply.json<{ error: { code: string; message: string; requestId: string } }>();
      expect(body.error.code).toBe('NotFound');
      expect(body.error.message).toBe(`no route for GET ${path.split('?')[0]}`);
      expect(body.error.requestId).toBe(reply.headers['x-request-id']);
    }
    expect(users.requests + orders.requests).toBe(0);
  });

  it('answers /health and /ready itself', async () => {
    const health = await send(gw.port, '/health');
    expect(health.status).toBe(200);
    expect(health.json()).toEqual({ status: 'ok' });
    expect((await send(gw.port, '/ready?probe=1')).status).toBe(200);
    expect(users.requests + orders.requests).toBe(0);
    // Only the exact paths are reserved.
    expect((await send(gw.port, '/healthz')).status).toBe(404);
    expect((await send(gw.port, '/health/x')).status).toBe(404);
  });
});

describe('request ids', () => {
  it('forwards a sane incoming x-request-id and echoes it on the response', async () => {
    const reply = await send(gw.port, '/api/v1/users', { headers: { 'x-request-id': 'abc-123.X:9_z' } });
    expect(reply.json<Echo>().headers['x-request-id']).toBe('abc-123.X:9_z');
    // The upstream's own x-request-id header is replaced by the gateway's.
    expect(reply.headers['x-request-id']).toBe('abc-123.X:9_z');
  });

  it('generates a UUID when there is none, the same upstream and on the response', async () => {
    const reply = await send(gw.port, '/api/v1/users');
    const id = reply.headers['x-request-id'];
    expect(id).toMatch(UUID);
    expect(reply.json<Echo>().headers['x-request-id']).toBe(id);
  });

  it.each([
    ['too long', 'a'.repeat(129)],
    ['with spaces', 'abc def'],
    ['with a slash', 'abc/def'],
  ])('replaces an incoming id %s', async (_, incoming) => {
    const reply = await send(gw.port, '/api/v1/users', { headers: { 'x-request-id': incoming } });
    expect(reply.headers['x-request-id']).toMatch(UUID);
    expect(reply.json<Echo>().headers['x-request-id']).toBe(reply.headers['x-request-id']);
  });

  it('accepts an id of exactly 128 characters', async () => {
    const id = 'b'.repeat(128);
    const reply = await send(gw.port, '/api/v1/users', { headers: { 'x-request-id': id } });
    expect(reply.headers['x-request-id']).toBe(id);
  });
});

describe('headers', () => {
  it('strips hop-by-hop request headers, including those Connection names', async () => {
    const reply = await send(gw.port, '/api/v1/users', {
      headers: {
        connection: 'keep-alive, X-Custom-Hop',
        'keep-alive': 'timeout=5',
        'x-custom-hop': 'drop me',
        'proxy-authorization': 'Basic eDp5',
        'proxy-connection': 'keep-alive',
        te: 'trailers',
        'x-kept': 'yes',
      },
    });
    const headers = reply.json<Echo>().headers;
    for (const name of ['keep-alive', 'x-custom-hop', 'proxy-authorization', 'proxy-connection', 'te']) {
      expect(headers[name], name).toBeUndefined();
    }
    expect(headers['x-kept']).toBe('yes');
  });

  it('strips hop-by-hop response headers', async () => {
    users.handler = (req, res) => {
      req.resume();
      res.writeHead(200, {
        connection: 'keep-alive, X-Upstream-Hop',
        'keep-alive': 'timeout=99, max=7',
        'x-upstream-hop': '1',
        'proxy-authenticate': 'Basic',
        trailer: 'x-checksum',
        'x-kept': 'yes',
      });
      res.addTrailers({ 'x-checksum': 'abc' });
      res.end('ok');
    };
    const reply = await send(gw.port, '/api/v1/users');
    expect(reply.status).toBe(200);
    expect(reply.body.toString()).toBe('ok');
    // The gateway's own server announces its keep-alive; the upstream's must not leak through.
    expect(reply.headers['keep-alive']).not.toBe('timeout=99, max=7');
    expect(reply.headers.trailer).toBeUndefined();
    expect(reply.headers['x-upstream-hop']).toBeUndefined();
    expect(reply.headers['proxy-authenticate']).toBeUndefined();
    expect(reply.headers['x-kept']).toBe('yes');
  });

  it("sets x-forwarded-for, -proto and -host from what it sees, ignoring a client's own", async () => {
    const plain = (await send(gw.port, '/api/v1/users')).json<Echo>().headers;
    expect(plain['x-forwarded-for']).toBe('127.0.0.1');
    expect(plain['x-forwarded-proto']).toBe('http');
    expect(plain['x-forwarded-host']).toBe(`127.0.0.1:${gw.port}`);
    // The upstream sees its own address as Host.
    expect(plain.host).toBe(`127.0.0.1:${users.port}`);

    const proxied = (
      await send(gw.port, '/api/v1/users', {
        headers: { 'x-forwarded-for': '203.0.113.7', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'shop.example' },
      })
    ).json<Echo>().headers;
    // No proxy in front of this gateway is trusted: the client's claims go nowhere.
    expect(proxied['x-forwarded-for']).toBe('127.0.0.1');
    expect(proxied['x-forwarded-proto']).toBe('http');
    expect(proxied['x-forwarded-host']).toBe(`127.0.0.1:${gw.port}`);
  });

  it('handles Expect: 100-continue itself and does not pass informational responses on', async () => {
    users.handler = (req, res) => {
      res.writeEarlyHints({ link: '</app.css>; rel=preload' });
      echo(req, res);
    };
    const reply = await new Promise<{ status: number; informational: number[]; body: string }>((resolve, reject) => {
      const informational: number[] = [];
      const req = request(
        { host: '127.0.0.1', port: gw.port, path: '/api/v1/users', method: 'POST', headers: { expect: '100-continue', 'content-length': '2' } },
        (res) => {
          let body = '';
          res.setEncoding('utf8').on('data', (c: string) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, informational, body }));
        },
      );
      req.on('information', (info) => informational.push(info.statusCode));
      req.on('continue', () => req.end('{}'));
      req.on('error', reject);
      req.setTimeout(PATIENCE_MS, () => req.destroy(new Error('no reply')));
    });
    expect(reply.status).toBe(200);
    expect(reply.informational).toEqual([100]);
    const echoed = JSON.parse(reply.body) as Echo;
    expect(echoed.method).toBe('POST');
    expect(echoed.headers.expect).toBeUndefined();
  });

  it('keeps repeated response headers (set-cookie) apart', async () => {
    users.handler = (req, res) => {
      req.resume();
      res.setHeader('set-cookie', ['a=1', 'b=2']);
      res.end();
    };
    const reply = await send(gw.port, '/api/v1/users');
    expect(reply.headers['set-cookie']).toEqual(['a=1', 'b=2']);
  });
});

describe('access log', () => {
  it('writes one line per request with method, path (no query), status, service, duration and id', async () => {
    await send(gw.port, '/api/v1/users/1?token=secret', { headers: { 'x-request-id': 'log-1' } });
    await send(gw.port, '/missing', { headers: { 'x-request-id': 'log-2' } });
    const routed = await gw.logOf('log-1');
    expect(routed).toMatchObject({ method: 'GET', path: '/api/v1/users/1', status: 200, upstream: 'users' });
    expect(typeof routed.durationMs).toBe('number');
    expect(routed.durationMs).toBeGreaterThanOrEqual(0);
    expect(await gw.logOf('log-2')).toMatchObject({ path: '/missing', status: 404, error: 'NotFound' });
    expect(gw.logs.filter((l) => l.requestId === 'log-1')).toHaveLength(1);
    expect(JSON.stringify(gw.logs)).not.toContain('secret');
  });
});

describe('the OpenAPI document', () => {
  it('is served at /openapi.json when the config has one, and /openapi.json routes like any path when not', async () => {
    const upstream = await startUpstream(echo);
    const document = { openapi: '3.1.0', info: { title: 'test API', version: '1' }, paths: {} };
    const withDocument = await startGateway([{ prefix: '/', service: 'users' }], { users: upstream.origin }, { openapi: document });
    const served = await send(withDocument.port, '/openapi.json');
    expect(served.status).toBe(200);
    expect(served.json()).toEqual(document);
    expect(served.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(served.headers['x-content-type-options']).toBe('nosniff');
    expect(upstream.requests).toBe(0);
    const without = await startGateway([{ prefix: '/', service: 'users' }], { users: upstream.origin });
    expect((await send(without.port, '/openapi.json')).json<{ url: string }>().url).toBe('/openapi.json');
    expect(upstream.requests).toBe(1);
  });
});
