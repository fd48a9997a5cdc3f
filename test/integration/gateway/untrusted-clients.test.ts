// A client that lies or stalls, as the gateway must take it: headers that claim an identity, a
// deadline, an address or another method never reach a service; forwarding headers are believed only
// from trusted proxies; every answer carries the security headers; slow clients and a hung upstream
// are cut at the configured limits, and normal traffic goes on meanwhile.
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { REPLAYABLE_BODY_BYTES } from '../../../runtime/gateway/retry.js';
import { closeAll, echo, PATIENCE_MS, send, signal, sleep, startGateway, startUpstream, within } from './helpers.js';

afterEach(closeAll);

interface Echo {
  method: string;
  url: string;
  headers: Record<string, string>;
}

const SPOOFED = {
  'x-mesh-caller': Buffer.from(JSON.stringify({ subject: 'user:admin', roles: ['admin'] })).toString('base64url'),
  'x-mesh-deadline': String(Date.now() + 5),
  'x-mesh-anything': 'made up',
  'X-Mesh-Caller-Signature': 'forged',
  'x-real-ip': '10.0.0.1',
  forwarded: 'for=10.0.0.1;proto=https',
  'x-user-id': 'admin',
  'x-original-url': '/admin',
  'x-http-method-override': 'DELETE',
  'true-client-ip': '10.0.0.2',
};

describe('what a client claims', () => {
  it('never reaches the service: identity, mesh, address and override headers are dropped', async () => {
    const users = await startUpstream(echo);
    const gw = await startGateway([{ prefix: '/api/users', service: 'users', rewrite: '/users' }], { users: users.origin }, { timeoutMs: 3_000 });
    const before = Date.now();
    const reply = await send(gw.port, '/api/users/1', { headers: SPOOFED });
    expect(reply.status).toBe(200);
    const seen = reply.json<Echo>();
    const names = Object.keys(seen.headers);
    for (const name of Object.keys(SPOOFED)) {
      if (name.toLowerCase() === 'x-mesh-deadline') continue; // replaced, checked below
      expect(names).not.toContain(name.toLowerCase());
    }
    expect(names.filter((name) => name.startsWith('x-mesh-'))).toEqual(['x-mesh-deadline']);
    // The gateway's own deadline: its route timeout from when it forwarded, not the client's 5 ms.
    const deadline = Number(seen.headers['x-mesh-deadline']);
    expect(deadline).toBeGreaterThanOrEqual(before + 3_000);
    expect(deadline).toBeLessThanOrEqual(Date.now() + 3_000);
    expect(seen.method).toBe('GET');
    expect(seen.url).toBe('/users/1');
  });

  it('believes X-Forwarded-* only from as many proxies as it trusts', async () => {
    const users = await startUpstream(echo);
    const spoofed = { 'x-forwarded-for': '6.6.6.6, 203.0.113.7', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'shop.example' };
    const seenWith = async (trustedProxies: number) => {
      const gw = await startGateway([{ prefix: '/api', service: 'users' }], { users: users.origin }, { trustedProxies });
      return (await send(gw.port, '/api/x', { headers: spoofed })).json<Echo>().headers;
    };
    const none = await seenWith(0);
    expect(none['x-forwarded-for']).toBe('127.0.0.1');
    expect(none['x-forwarded-proto']).toBe('http');
    expect(none['x-forwarded-host']).not.toBe('shop.example');
    // One trusted proxy appended what it saw (the last entry); what comes before is the client's word.
    const one = await seenWith(1);
    expect(one['x-forwarded-for']).toBe('203.0.113.7, 127.0.0.1');
    expect(one['x-forwarded-proto']).toBe('https');
    expect(one['x-forwarded-host']).toBe('shop.example');
    const two = await seenWith(2);
    expect(two['x-forwarded-for']).toBe('6.6.6.6, 203.0.113.7, 127.0.0.1');
  });
});

describe('security headers', () => {
  it('are on proxied answers, replacing what the upstream says of itself', async () => {
    const users = await startUpstream((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json', server: 'Express/4.0 (Debian)', 'x-powered-by': 'PHP/5.2', 'x-content-type-options': 'sniff-away' });
      res.end('{}');
    });
    const gw = await startGateway([{ prefix: '/api', service: 'users' }], { users: users.origin });
    const reply = await send(gw.port, '/api/x');
    expect(reply.headers['server']).toBeUndefined();
    expect(reply.headers['x-powered-by']).toBeUndefined();
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
    expect(reply.headers['x-frame-options']).toBe('DENY');
    expect(reply.headers['referrer-policy']).toBe('no-referrer');
    expect(reply.headers['content-security-policy']).toContain("default-src 'none'");
    expect(reply.headers['cache-control']).toBeUndefined();
  });

  it("are on the gateway's own errors, which are never cached", async () => {
    const gw = await startGateway([{ prefix: '/api', service: 'users' }], {});
    const reply = await send(gw.port, '/nowhere');
    expect(reply.status).toBe(404);
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
    expect(reply.headers['cache-control']).toBe('no-store');
  });
});

/** A raw connection writing `text` one byte every `everyMs` until closed; resolves with what came back once it closes. */
function trickle(port: number, text: string, everyMs: number): { closed: Promise<string>; socket: Socket } {
  const socket = connect(port, '127.0.0.1');
  let received = '';
  socket.on('data', (chunk) => (received += chunk.toString('latin1')));
  socket.on('error', () => undefined);
  let i = 0;
  const timer = setInterval(() => {
    if (i < text.length && !socket.destroyed) socket.write(text[i++]!);
  }, everyMs);
  const closed = new Promise<string>((resolve) =>
    socket.on('close', () => {
      clearInterval(timer);
      resolve(received);
    }),
  );
  return { closed, socket };
}

describe('slow clients', () => {
  it('cuts a client sending its headers byte by byte at headersTimeout, serving others meanwhile', async () => {
    const users = await startUpstream(echo);
    const limits = { headersTimeoutMs: 400, requestTimeoutMs: 1_000 };
    const gw = await startGateway([{ prefix: '/api', service: 'users' }], { users: users.origin }, { limits });
    const slow = trickle(gw.port, 'GET /api/x HTTP/1.1\r\nHost: a\r\nX-Padding: ' + 'a'.repeat(200) + '\r\n\r\n', 50);
    for (let i = 0; i < 3; i++) expect((await send(gw.port, '/api/x')).status).toBe(200);
    const answer = await within(slow.closed, PATIENCE_MS, 'the slowloris connection was never cut');
    // node:http answers 408 to a request whose headers never completed (or just closes).
    if (answer !== '') expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(users.requests).toBe(3);
  });

  it('cuts a request whose body stalls at bodyIdleTimeout with 408, and the service never answers it', async () => {
    const reached = signal();
    let bodyEnded = false;
    const users = await startUpstream((req, res) => {
      if (req.url === '/api/stalled') reached.resolve();
      req.on('data', () => undefined);
      req.on('end', () => {
        if (req.url === '/api/stalled') bodyEnded = true;
        res.end('{}');
      });
      req.on('error', () => undefined);
    });
    const gw = await startGateway([{ prefix: '/api', service: 'users' }], { users: users.origin }, { limits: { bodyIdleTimeoutMs: 300 } });
    const socket = connect(gw.port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    // A body too large to be read whole first (retry.ts) streams: the service sees the request start.
    socket.write(`POST /api/stalled HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: ${REPLAYABLE_BODY_BYTES + 100}\r\n\r\n{"a":`);
    await within(reached.promise, PATIENCE_MS, 'the request never reached the upstream');
    expect((await send(gw.port, '/api/y')).status).toBe(200);
    await within(closed, PATIENCE_MS, 'the stalled request was never cut');
    expect(received).toMatch(/^HTTP\/1\.1 408 /);
    expect(received).toContain('"code":"RequestTimeout"');
    expect(bodyEnded).toBe(false);
  });
});

describe('a hung upstream', () => {
  it('holds at most upstreamConnections connections and upstreamQueue waiting requests; the rest get 503 at once', async () => {
    const hung: (() => void)[] = [];
    const users = await startUpstream((req, res) => {
      req.resume();
      hung.push(() => res.end('{}'));
    });
    const gw = await startGateway([{ prefix: '/api', service: 'users' }], { users: users.origin }, { limits: { upstreamConnections: 2, upstreamQueue: 2 } });
    const pending = Array.from({ length: 4 }, (_, i) => send(gw.port, `/api/${i}`));
    for (const deadline = Date.now() + PATIENCE_MS; users.requests < 2 && Date.now() < deadline; ) await sleep(10);
    // Two in service, two queued: the fifth and sixth are turned away without waiting.
    const refused = await Promise.all([send(gw.port, '/api/5'), send(gw.port, '/api/6')]);
    for (const reply of refused) {
      expect(reply.status).toBe(503);
      expect(reply.json<{ error: { message: string } }>().error.message).toBe('service users is busy');
    }
    expect(users.connections).toBe(2);
    // Answering the held requests lets the queued ones through, which are then answered in turn.
    let settled = false;
    const all = Promise.all(pending).finally(() => (settled = true));
    for (const deadline = Date.now() + PATIENCE_MS; !settled && Date.now() < deadline; await sleep(10)) hung.splice(0).forEach((answer) => answer());
    expect((await all).map((reply) => reply.status)).toEqual([200, 200, 200, 200]);
    // The slots were given back: with the upstream answering again, so does the gateway.
    users.handler = echo;
    const again = await Promise.all(Array.from({ length: 4 }, (_, i) => send(gw.port, `/api/again/${i}`)));
    expect(again.map((reply) => reply.status)).toEqual([200, 200, 200, 200]);
  });
});

describe('path tricks', () => {
  // Each is sent raw (node:http would not normalise them either) and must reach only what its plain
  // spelling reaches: the public /api/products route, never the users service behind /api/users.
  const TRICKS: [string, number | 'products'][] = [
    ['/api/users/../products/1', 'products'],
    ['/api/users/%2e%2e/products/1', 'products'],
    ['/api/users/%2E%2e/products/1', 'products'],
    ['/api//products/1', 'products'],
    ['/api/./products/1', 'products'],
    ['/api/products/%252e%252e/x', 'products'],
    ['/api/products/..%2fusers', 400],
    ['/api/products/%2f../users', 400],
    ['/api/products;/../users', 400],
    ['/api/products\\..\\users', 400],
    ['/api/products/%5c..%5cusers', 400],
    ['/../api/users', 400],
    ['/api/products/%00', 400],
  ];

  it.each(TRICKS)('%s', async (path, expected) => {
    const users = await startUpstream(echo);
    const products = await startUpstream(echo);
    const gw = await startGateway(
      [
        { prefix: '/api/users', service: 'users', rewrite: '/users' },
        { prefix: '/api/products', service: 'products', rewrite: '/products' },
      ],
      { users: users.origin, products: products.origin },
    );
    const answer = await rawRequest(gw.port, `GET ${path} HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n`);
    expect(users.requests).toBe(0);
    if (expected === 'products') {
      expect(answer).toMatch(/^HTTP\/1\.1 200 /);
      const url = (JSON.parse(bodyOf(answer)) as Echo).url;
      expect(url.startsWith('/products/')).toBe(true);
      expect(url).not.toMatch(/\/\.\.?\/|\/\/|%2e/i);
    } else {
      expect(answer).toMatch(/^HTTP\/1\.1 400 /);
      expect(products.requests).toBe(0);
    }
  });
});

/** Sends `text` on a fresh connection and resolves with everything read until the server closes it. */
function rawRequest(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => resolve(received));
    socket.setTimeout(PATIENCE_MS, () => socket.destroy(new Error('no answer')));
  });
}

/** The body of a raw HTTP/1.1 answer, chunked or not. */
function bodyOf(answer: string): string {
  const split = answer.indexOf('\r\n\r\n');
  const head = answer.slice(0, split).toLowerCase();
  let rest = answer.slice(split + 4);
  if (!head.includes('transfer-encoding: chunked')) return rest;
  let body = '';
  for (;;) {
    const line = rest.indexOf('\r\n');
    const size = Number.parseInt(rest.slice(0, line), 16);
    if (!size) return body;
    body += rest.slice(line + 2, line + 2 + size);
    rest = rest.slice(line + 2 + size + 2);
  }
}
