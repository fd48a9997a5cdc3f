// What the two HTTP bindings must agree on beyond http-server.test.ts: streaming body limits,
// HEAD, percent-decoding, charsets, content encodings, client disconnects and extra routes. Every
// case runs against both bindings; the few that only the node binding can answer early say so.
import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Conflict, createHttpApp, startService, type ExtraRoutes, type RunningService } from '../../support/runtime.js';
import { uploadSlowly } from '../../support/raw-upload.js';
import { captureLogger, SECRET, schemas, testSettings, usersDefinition, usersHandlers, usersHost, jsonOf } from './fixtures.js';

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A request over node:http, its body written chunk by chunk (chunked encoding unless a length is given). */
function send(port: number, options: { method?: string; path: string; headers?: Record<string, string>; chunks?: (string | Buffer)[]; agent?: Agent }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: options.method ?? 'POST', path: options.path, headers: options.headers, agent: options.agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    for (const chunk of options.chunks ?? []) req.write(chunk);
    req.end();
  });
}

/** Resolves with the response to a request whose body is started but never finished. */
function sendUnfinished(port: number, headers: Record<string, string>, chunks: string[]): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/users', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
      });
    });
    req.on('error', reject);
    req.flushHeaders();
    for (const chunk of chunks) req.write(chunk);
  });
}

const JSON_HEADERS = { 'content-type': 'application/json' };
const LIMIT = testSettings(captureLogger('users').logger).bodyLimitBytes;

const routes: ExtraRoutes = [
  {
    method: 'POST',
    path: '/webhooks/{provider}',
    async handle(req, res, params, ctx) {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ provider: params['provider'], raw: Buffer.concat(chunks).toString(), requestId: ctx.requestId, caller: ctx.caller, operation: ctx.operation }));
    },
  },
  {
    method: 'GET',
    path: '/files/{name}',
    handle(_req, res, params) {
      res.writeHead(200, { 'content-type': 'text/plain' }).end(params['name']);
    },
  },
  {
    method: 'PATCH',
    path: '/users/{id}',
    handle(_req, _res, params) {
      throw new Conflict(`user ${params['id']} is locked`);
    },
  },
  {
    method: 'GET',
    path: '/legacy/boom',
    async handle() {
      throw new Error(`legacy exploded: ${SECRET}`);
    },
  },
];

describe.each(['node', 'express'] as const)('%s binding', (binding) => {
  let service: RunningService;
  let port: number;
  let base: string;
  const { logger, lines } = captureLogger('users');
  // The disconnect case: the hook says when it runs and when its signal aborts.
  let entered!: () => void;
  let aborted!: () => void;
  const hookEntered = new Promise<void>((resolve) => (entered = resolve));
  const hookAborted = new Promise<void>((resolve) => (aborted = resolve));
  const handlers = {
    ...usersHandlers,
    async slow(_input: unknown, ctx: { signal: AbortSignal }) {
      entered();
      await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => (aborted(), resolve()), { once: true }));
      return { done: false };
    },
  };

  beforeAll(async () => {
    service = await startService(usersHost({ definition: { ...usersDefinition, binding }, handlers, routes }), testSettings(logger));
    port = service.httpPort;
    base = `http://127.0.0.1:${port}`;
  });
  afterAll(() => service.close());

  describe('body limits', () => {
    it('answers 413 for a chunked body (no Content-Length) that grows past the limit, and keeps the connection usable', async () => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      try {
        const chunk = 'x'.repeat(600);
        const res = await send(port, { path: '/users', headers: JSON_HEADERS, chunks: [chunk, chunk, chunk], agent });
        expect(res.headers['content-length']).toBeDefined();
        expect(res.status).toBe(413);
        expect(JSON.parse(res.body).error).toMatchObject({ code: 'PayloadTooLarge', message: `request body is larger than the limit of ${LIMIT} bytes` });
        const next = await send(port, { method: 'GET', path: '/users/1', agent });
        expect(next.status).toBe(200);
      } finally {
        agent.destroy();
      }
    });

    it('answers 413 as soon as a streamed body passes the limit, before the client finishes it', async () => {
      const res = await sendUnfinished(port, JSON_HEADERS, ['x'.repeat(800), 'x'.repeat(800)]);
      expect(res.status).toBe(413);
    });

    it('refuses a Content-Length over the limit before reading the body', async () => {
      const res = await sendUnfinished(port, { ...JSON_HEADERS, 'content-length': String(LIMIT * 4) }, []);
      expect(res.status).toBe(413);
      expect(res.headers['connection']).toBe('close');
    });

    it('lets a client that uploads a too-large body slowly, reading only at the end, still read its 413', async () => {
      const chunks = Array.from({ length: 12 }, () => 'x'.repeat(256));
      const declared = await uploadSlowly(port, `POST /users HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: ${12 * 256}\r\n\r\n`, chunks);
      expect(declared.writeFailed).toBe(false);
      expect(declared.text).toMatch(/^HTTP\/1\.1 413 /);
      expect(declared.text.toLowerCase()).toContain('connection: close');
      expect(declared.text).toContain('"code":"PayloadTooLarge"');
      const streamed = await uploadSlowly(
        port,
        'POST /users HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n',
        [...chunks.map((chunk) => `100\r\n${chunk}\r\n`), '0\r\n\r\n'],
      );
      expect(streamed.writeFailed).toBe(false);
      expect(streamed.text).toMatch(/^HTTP\/1\.1 413 /);
    });

    it('stops reading a refused body past four times the limit: the connection is closed, the answer already out', async () => {
      const chunks = Array.from({ length: 40 }, () => 'x'.repeat(2048));
      const res = await uploadSlowly(port, `POST /users HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: ${40 * 2048}\r\n\r\n`, chunks);
      // The client was cut before it sent all 80 KiB (4 KiB are read after the answer at most).
      expect(res.writeFailed).toBe(true);
    });

    it('answers a body that does not decode with a fixed message, and logs what zlib said', async () => {
      const res = await send(port, { path: '/users', headers: { ...JSON_HEADERS, 'content-encoding': 'gzip', 'x-request-id': `gz-bad-${binding}` }, chunks: ['this is not gzip'] });
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body).error.message).toBe('request body is not valid gzip data');
      expect(res.body).not.toMatch(/header|zlib|check/i);
      const logged = lines.find((l) => l.requestId === `gz-bad-${binding}` && l.msg === 'request body refused: request body is not valid gzip data');
      expect((logged?.err as { message?: string } | undefined)?.message).toBe('incorrect header check');
    });

    it('reads a gzip body and counts the limit after decoding', async () => {
      const ok = await send(port, { path: '/users', headers: { ...JSON_HEADERS, 'content-encoding': 'gzip' }, chunks: [gzipSync(JSON.stringify({ email: `gz-${binding}@example.com`, name: 'Gz' }))] });
      expect(ok.status).toBe(201);
      const big = gzipSync(JSON.stringify({ email: 'gz2@example.com', name: 'x'.repeat(LIMIT * 2) }));
      expect(big.length).toBeLessThan(LIMIT);
      const tooBig = await send(port, { path: '/users', headers: { ...JSON_HEADERS, 'content-encoding': 'gzip' }, chunks: [big] });
      expect(tooBig.status).toBe(413);
      const unknown = await send(port, { path: '/users', headers: { ...JSON_HEADERS, 'content-encoding': 'compress' }, chunks: ['{}'] });
      expect(unknown.status).toBe(415);
      expect(JSON.parse(unknown.body).error.message).toBe('unsupported content encoding "compress"; use gzip, deflate, br or identity');
    });

    it('reads an empty JSON body as {} and ignores a UTF-8 BOM', async () => {
      const empty = await send(port, { path: '/users', headers: { ...JSON_HEADERS, 'content-length': '0' } });
      expect(empty.status).toBe(400);
      expect(JSON.parse(empty.body).error.details).toContainEqual({ path: '', message: "must have required property 'email'" });
      const bom = await send(port, { path: '/users', headers: JSON_HEADERS, chunks: [`\ufeff${JSON.stringify({ email: `bom-${binding}@example.com`, name: 'Bom' })}`] });
      expect(bom.status).toBe(201);
    });
  });

  describe('content type', () => {
    it('accepts application/json in UTF-8 (any case, quoted) and application/*+json', async () => {
      for (const type of ['application/json; charset=UTF-8', 'Application/JSON ; charset="utf-8"', 'application/vnd.users+json']) {
        const res = await send(port, { path: '/users', headers: { 'content-type': type }, chunks: ['{}'] });
        expect(res.status, type).toBe(400);
        expect(JSON.parse(res.body).error.code, type).toBe('ValidationFailed');
      }
    });

    it('answers 415 for a charset other than UTF-8, naming it', async () => {
      for (const charset of ['utf-16', 'latin1', 'utf8']) {
        const res = await send(port, { path: '/users', headers: { 'content-type': `application/json; charset=${charset}` }, chunks: ['{}'] });
        expect(res.status, charset).toBe(415);
        expect(JSON.parse(res.body).error.message).toBe(`unsupported charset "${charset.toUpperCase()}"`);
      }
    });

    it('answers 415 for a body without a content type, even an empty one (Content-Length: 0)', async () => {
      const res = await send(port, { path: '/users', headers: { 'content-length': '0' } });
      expect(res.status).toBe(415);
      expect(JSON.parse(res.body).error.message).toBe('expected a JSON body (content-type application/json), got none');
    });
  });

  describe('routing', () => {
    it('answers HEAD for a GET route (endpoint, probe, extra route) with the headers and no body', async () => {
      for (const path of ['/users/1', '/health', '/files/a.txt']) {
        const res = await send(port, { method: 'HEAD', path });
        expect(res.status, path).toBe(200);
        expect(res.body, path).toBe('');
      }
      expect((await send(port, { method: 'HEAD', path: '/users/1' })).headers['content-length']).toBe('47');
    });

    it('ignores case and one trailing slash, as Express does by default', async () => {
      expect((await fetch(`${base}/USERS/1/`)).status).toBe(200);
      expect((await fetch(`${base}/Users/Me`)).status).toBe(200);
      expect((await fetch(`${base}/users/1//`)).status).toBe(404);
      expect((await fetch(`${base}/HEALTH/`)).status).toBe(200);
    });

    it('decodes path params and answers 400 for malformed percent-encoding', async () => {
      expect((await jsonOf(await fetch(`${base}/users/%31`))).id).toBe(1);
      const res = await fetch(`${base}/users/%ZZ`);
      expect(res.status).toBe(400);
      expect((await jsonOf(res)).error).toMatchObject({ code: 'BadRequest', message: "Failed to decode param '%ZZ'" });
      // Under a method the path does not take, too (the path is matched before the method).
      expect((await fetch(`${base}/users/%E0%A4%A`, { method: 'POST' })).status).toBe(400);
      expect((await fetch(`${base}/nowhere/%ZZ`)).status).toBe(404);
    });

    it('routes an absolute-form target (as sent to a proxy) by its path, and ignores a fragment', async () => {
      const absolute = await send(port, { method: 'GET', path: 'http://users.test/users?limit=1&tags=q' });
      expect(absolute.status).toBe(200);
      expect(JSON.parse(absolute.body)).toEqual([{ id: 1, email: 'ada@example.com', name: 'Ada:q' }]);
      const fragment = await send(port, { method: 'GET', path: '/users/1#top' });
      expect(fragment.status).toBe(200);
      expect(lines.find((l) => l.msg === 'request' && l.path === '/users/1#top')).toMatchObject({ status: 200 });
    });

    it('answers probes only to GET and HEAD', async () => {
      const res = await fetch(`${base}/health`, { method: 'POST' });
      expect(res.status).toBe(404);
      expect((await jsonOf(res)).error.message).toBe('no route for POST /health');
    });
  });

  describe('hostile input', () => {
    it('sets nosniff on every response, no-store on errors, and no X-Powered-By', async () => {
      for (const [path, status] of [['/users/1', 200], ['/health', 200], ['/files/a.txt', 200], ['/nowhere', 404], ['/users/%ZZ', 400], ['/legacy/boom', 500]] as const) {
        const res = await fetch(`${base}${path}`);
        expect(res.status, path).toBe(status);
        expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
        expect(res.headers.get('x-powered-by'), path).toBeNull();
        if (status >= 400) expect(res.headers.get('cache-control'), path).toBe('no-store');
        else expect(res.headers.get('cache-control'), path).toBeNull();
      }
      const refused = await send(port, { path: '/users', headers: { 'content-type': 'text/plain' }, chunks: ['x'] });
      expect([refused.status, refused.headers['x-content-type-options'], refused.headers['cache-control']]).toEqual([415, 'nosniff', 'no-store']);
    });

    it('refuses Infinity, NaN and 1e999 for integer fields from the query string and the path', async () => {
      for (const value of ['Infinity', 'NaN', '1e999', '-Infinity']) {
        const query = await fetch(`${base}/users?limit=${value}`);
        expect(query.status, value).toBe(400);
        expect((await jsonOf(query)).error.code, value).toBe('ValidationFailed');
        const path = await fetch(`${base}/users/${value}`);
        expect(path.status, value).toBe(400);
      }
    });

    it('answers a body with many problems with a summary, the first 20 and a count of the rest', async () => {
      const unknown = Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`u${i}`, 0]));
      const res = await send(port, { path: '/users', headers: JSON_HEADERS, chunks: [JSON.stringify({ email: 5, name: 5, ...unknown })] });
      expect(res.status).toBe(400);
      const { error } = JSON.parse(res.body) as { error: { message: string; details: { path: string; message: string }[] } };
      expect(error.message).toMatch(/^invalid input: 82 issues; first: \/\w+ (unknown property|must be string)$/);
      expect(error.details).toHaveLength(21);
      expect(error.details[20]).toEqual({ path: '', message: '62 more issues not listed' });
    });
  });

  describe('client disconnect', () => {
    it("aborts the hook's signal when the client leaves mid-request, and logs the request as aborted", async () => {
      const req = request({ host: '127.0.0.1', port, path: '/slow', headers: { 'x-request-id': `gone-${binding}` } });
      req.on('error', () => undefined);
      req.end();
      await hookEntered;
      req.destroy();
      await hookAborted;
      const line = lines.find((l) => l.msg === 'request' && l.requestId === `gone-${binding}`);
      expect(line).toMatchObject({ path: '/slow', aborted: true });
    });
  });

  describe('extra routes', () => {
    it('gets decoded params, the raw unread body and the handler context', async () => {
      const caller = Buffer.from(JSON.stringify({ subject: 'u1' })).toString('base64url');
      const res = await fetch(`${base}/webhooks/acme%20pay`, { method: 'POST', headers: { 'x-request-id': 'hook-1', 'x-mesh-caller': caller, 'content-type': 'text/plain' }, body: 'sig=abc' });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-request-id')).toBe('hook-1');
      expect(await jsonOf(res)).toEqual({ provider: 'acme pay', raw: 'sig=abc', requestId: 'hook-1', caller: { subject: 'u1' }, operation: 'POST /webhooks/{provider}' });
      const line = lines.find((l) => l.msg === 'request' && l.requestId === 'hook-1');
      expect(line).toMatchObject({ level: 'info', method: 'POST', path: '/webhooks/acme%20pay', status: 200 });
    });

    it('answers a thrown MeshError with its status and JSON body', async () => {
      const res = await fetch(`${base}/users/7`, { method: 'PATCH', headers: { 'x-request-id': 'locked-1' } });
      expect(res.status).toBe(409);
      expect(await jsonOf(res)).toEqual({ error: { code: 'Conflict', message: 'user 7 is locked', requestId: 'locked-1' } });
    });

    it('hides any other error behind a 500 and logs it', async () => {
      const res = await fetch(`${base}/legacy/boom`);
      expect(res.status).toBe(500);
      const text = await res.text();
      expect(JSON.parse(text).error).toMatchObject({ code: 'Internal', message: 'internal error' });
      expect(text).not.toContain('hunter2');
      const logged = lines.find((l) => (l.err as { message?: string } | undefined)?.message === `legacy exploded: ${SECRET}`);
      expect(logged?.msg).toBe('extra route GET /legacy/boom failed with an unexpected error; answering 500');
    });

    it("counts extra routes' methods in 405's Allow", async () => {
      const res = await fetch(`${base}/users/1`, { method: 'POST' });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('GET, PUT, DELETE, PATCH');
      const files = await fetch(`${base}/files/a.txt`, { method: 'DELETE' });
      expect(files.status).toBe(405);
      expect(files.headers.get('allow')).toBe('GET');
    });

    it('refuses at startup a route clashing with an endpoint, one an endpoint always matches first, a probe path or a bad path', () => {
      const make = (extra: ExtraRoutes) => () =>
        createHttpApp({
          definition: { ...usersDefinition, binding },
          invoke: async () => undefined,
          schemas,
          logger,
          bodyLimitBytes: LIMIT,
          isReady: () => true,
          routes: extra,
          contextFor: () => ({}) as never,
        });
      const handle = () => undefined;
      expect(make([{ method: 'GET', path: '/users/{userId}', handle }])).toThrow(
        'extra route GET /users/{userId} has the same method and path as the endpoint getUser (GET /users/{id}); change its path or method',
      );
      expect(make([{ method: 'GET', path: '/users/export', handle }])).toThrow(
        'extra route GET /users/export can never be reached: it is matched first by the endpoint getUser (GET /users/{id})',
      );
      expect(make([{ method: 'HEAD', path: '/users/{id}', handle }])).toThrow(
        'extra route HEAD /users/{id} can never be reached: it is matched first by the endpoint getUser (GET /users/{id})',
      );
      expect(make([{ method: 'POST', path: '/Health', handle }])).toThrow("extra route POST /Health: /Health is the service's own probe");
      expect(make([{ method: 'GET', path: '/health/dependencies', handle }])).toThrow("/health/dependencies is the service's own probe (or metrics, or its dependencies report)");
      expect(make([{ method: 'GET', path: '/files/:name', handle }])).toThrow('extra route GET /files/:name: each path segment must be');
      expect(make([{ method: 'GET', path: '/x/{a}', handle }, { method: 'GET', path: '/x/{b}', handle }])).toThrow('the extra route GET /x/{a} is matched first');
      expect(() =>
        createHttpApp({ definition: { ...usersDefinition, binding }, invoke: async () => undefined, schemas, logger, bodyLimitBytes: LIMIT, isReady: () => true, routes: [{ method: 'GET', path: '/x', handle }] }),
      ).toThrow('extra routes need contextFor');
    });
  });
});
