// The HTTP client transport against real services, and a request crossing two services.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpTransport, isMeshError, MeshError, startService, type RunningService } from '../../support/runtime.js';
import { captureLogger, ep, frontHost, testSettings, usersHost, jsonOf } from './fixtures.js';

let users: RunningService;
let front: RunningService;
let raw: Server;
let rawOrigin: string;
const usersLog = captureLogger('users');
const frontLog = captureLogger('front');

beforeAll(async () => {
  users = await startService(usersHost(), testSettings(usersLog.logger));
  front = await startService(
    frontHost(),
    testSettings(frontLog.logger, { discovery: { http: { users: `http://127.0.0.1:${users.httpPort}` } } }),
  );
  // A server that answers like a proxy would: statuses without a mesh error body.
  raw = createServer((req, res) => {
    const status = Number(req.url?.split('/')[2] ?? 500);
    res.writeHead(status, { 'content-type': 'text/html' }).end('<h1>upstream error</h1>');
  });
  await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
  rawOrigin = `http://127.0.0.1:${(raw.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await Promise.all([front.close(), users.close(), new Promise((resolve) => raw.close(resolve))]);
});

const transport = () => createHttpTransport({ origin: `http://127.0.0.1:${users.httpPort}`, service: 'users' });

async function rejection(promise: Promise<unknown>): Promise<MeshError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isMeshError(err)) throw new Error(`expected a MeshError, got ${String(err)}`);
  return err;
}

describe('createHttpTransport', () => {
  it('calls path, query and body endpoints and decodes their output', async () => {
    const t = transport();
    expect(await t.call(ep.getUser, { id: 1 }, {})).toMatchObject({ id: 1, name: 'Ada' });
    expect(await t.call(ep.listUsers, { limit: 1, tags: ['x', 'y'] }, {})).toEqual([{ id: 1, email: 'ada@example.com', name: 'Ada:x+y' }]);
    expect(await t.call(ep.updateUser, { id: 1, name: 'Lovelace' }, {})).toMatchObject({ id: 1, name: 'Lovelace' });
    expect(await t.call(ep.deleteUser, { id: 1 }, {})).toBeUndefined();
    await t.close();
  });

  it('rebuilds the callee error with its code, status and details', async () => {
    const t = transport();
    const notFound = await rejection(t.call(ep.getUser, { id: 42 }, {}));
    expect(notFound).toMatchObject({ code: 'NotFound', status: 404, message: 'user 42 not found' });
    const invalid = await rejection(t.call(ep.createUser, { email: 'bad' }, {}));
    expect(invalid.code).toBe('ValidationFailed');
    expect(invalid.status).toBe(400);
    expect(invalid.details).toContainEqual({ path: '/email', message: 'must match format "email"' });
    await t.close();
  });

  it('times out with a 504 Timeout when the callee is slower than timeoutMs', async () => {
    const t = transport();
    const started = Date.now();
    const callee = 20_000;
    const err = await rejection(t.call(ep.slow, { ms: callee }, { timeoutMs: 100 }));
    expect(err).toMatchObject({ code: 'Timeout', status: 504 });
    // Did not wait for the callee (a bound no load reaches, unlike the 100 ms themselves).
    expect(Date.now() - started).toBeLessThan(callee / 2);
    await t.close();
  });

  it('sends the deadline and fails fast when it already passed', async () => {
    const t = transport();
    const deadline = Date.now() + 5000;
    expect(await t.call(ep.echo, {}, { deadline })).toMatchObject({ deadline });
    const err = await rejection(t.call(ep.echo, {}, { deadline: Date.now() - 1 }));
    expect(err.code).toBe('Timeout');
    await t.close();
  });

  it('maps a refused connection to 503 Unavailable naming the service', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const t = createHttpTransport({ origin: `http://127.0.0.1:${port}`, service: 'ghost' });
    const err = await rejection(t.call(ep.getUser, { id: 1 }, {}));
    expect(err).toMatchObject({ code: 'Unavailable', status: 503 });
    // The message may reach an end client: the service's name, never its address.
    expect(err.message).toBe('ghost is unavailable: connection refused');
    expect(JSON.stringify(err.toBody())).not.toContain(String(port));
    expect((err.cause as Error).message).toBe(`ghost.getUser at http://127.0.0.1:${port}: ECONNREFUSED`);
    await t.close();
  });

  it('maps error statuses without a mesh body by status', async () => {
    const t = createHttpTransport({ origin: rawOrigin, service: 'proxied' });
    const at = (status: number) => ({ ...ep.getUser, path: `/status/${status}` });
    expect(await rejection(t.call(at(502), {}, {}))).toMatchObject({ code: 'BadGateway', status: 502 });
    expect(await rejection(t.call(at(503), {}, {}))).toMatchObject({ code: 'Unavailable', status: 503 });
    expect(await rejection(t.call(at(500), {}, {}))).toMatchObject({ code: 'Internal', status: 500 });
    await t.close();
  });

  it('encodes path params', async () => {
    const t = transport();
    const err = await rejection(t.call(ep.getUser, { id: 'a/b c' }, {}));
    // `a/b c` arrived as one segment: a validation error on /id, not a 404 for an unknown route.
    expect(err.code).toBe('ValidationFailed');
    await t.close();
  });

  it('refuses a path param no URL can carry before sending it, as the server would', async () => {
    const t = transport();
    for (const id of ['', '.', '..']) {
      expect(await rejection(t.call(ep.getUser, { id }, {}))).toMatchObject({
        code: 'ValidationFailed',
        status: 400,
        details: [{ path: '/id', message: 'must be a URL path segment: not empty, "." or ".."' }],
      });
    }
    await t.close();
  });
});

describe('across two services', () => {
  const frontUrl = () => `http://127.0.0.1:${front.httpPort}`;

  it('propagates the request id and identifies the calling service', async () => {
    const res = await fetch(`${frontUrl()}/via-echo`, { headers: { 'x-request-id': 'trace-42' } });
    expect(res.headers.get('x-request-id')).toBe('trace-42');
    const seenByUsers = await jsonOf(res);
    expect(seenByUsers).toMatchObject({ requestId: 'trace-42', caller: { subject: 'service:front', service: 'front' } });
    expect(usersLog.lines.some((l) => l.msg === 'request' && l.requestId === 'trace-42' && l.path === '/echo')).toBe(true);
  });

  it('passes a generated request id downstream too', async () => {
    const res = await fetch(`${frontUrl()}/via-echo`);
    const generated = res.headers.get('x-request-id');
    expect(generated).toBeTruthy();
    expect((await jsonOf(res)).requestId).toBe(generated);
  });

  it('lets a declared downstream error through with its status', async () => {
    const res = await fetch(`${frontUrl()}/via/77`);
    expect(res.status).toBe(404);
    expect((await jsonOf(res)).error.message).toBe('user 77 not found');
  });

  it('propagates a downstream outage as 503', async () => {
    const lonely = await startService(
      frontHost(),
      testSettings(captureLogger('front').logger, { discovery: { http: { users: 'http://127.0.0.1:1' } } }),
    );
    const res = await fetch(`http://127.0.0.1:${lonely.httpPort}/via/1`);
    expect(res.status).toBe(503);
    expect((await jsonOf(res)).error.code).toBe('Unavailable');
    await lonely.close();
  });
});
