// The HTTP binding end to end: a real service on 127.0.0.1, plain fetch as the client. Every case
// runs against both bindings (node, the default, and express): they must answer alike.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type RunningService } from '../../support/runtime.js';
import { captureLogger, SECRET, testSettings, users, usersDefinition, usersHost, jsonOf } from './fixtures.js';

const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe.each(['node', 'express'] as const)('%s binding', (binding) => {
  let service: RunningService;
  let base: string;
  const { logger, lines } = captureLogger('users');

  beforeAll(async () => {
    // The users the previous binding's cases created are gone: each run starts from the same store.
    for (const id of [...users.keys()]) if (id !== 1) users.delete(id);
    service = await startService(usersHost({ definition: { ...usersDefinition, binding } }), testSettings(logger));
    base = `http://127.0.0.1:${service.httpPort}`;
  });
  afterAll(() => service.close());

  describe('routing and input', () => {
    it('reports a real port when started on port 0', () => {
      expect(service.httpPort).toBeGreaterThan(0);
    });

    it('coerces an integer path param to a number', async () => {
      const res = await fetch(`${base}/users/1`);
      expect(res.status).toBe(200);
      expect(await jsonOf(res)).toEqual({ id: 1, email: 'ada@example.com', name: 'Ada' });
    });

    it('prefers a literal path over a parameter at the same position', async () => {
      const res = await fetch(`${base}/users/me`);
      expect(res.status).toBe(200);
      expect((await jsonOf(res)).id).toBe(1);
    });

    it('rejects a non-integer path param with a validation error', async () => {
      const res = await fetch(`${base}/users/abc`);
      expect(res.status).toBe(400);
      const body = await jsonOf(res);
      expect(body.error.code).toBe('ValidationFailed');
      expect(body.error.message).toBe('invalid input: /id must be integer');
      expect(body.error.details).toEqual([{ path: '/id', message: 'must be integer' }]);
    });

    it('coerces query values (integers, single values of array fields)', async () => {
      const one = await fetch(`${base}/users?limit=1&tags=a`);
      expect(await jsonOf(one)).toEqual([{ id: 1, email: 'ada@example.com', name: 'Ada:a' }]);
      const repeated = await fetch(`${base}/users?tags=a&tags=b`);
      expect((await jsonOf(repeated))[0].name).toBe('Ada:a+b');
      const bad = await fetch(`${base}/users?limit=zero`);
      expect(bad.status).toBe(400);
      expect((await jsonOf(bad)).error.details).toEqual([{ path: '/limit', message: 'must be integer' }]);
    });

    it('says a scalar query parameter given more than once takes one value (not "must be integer")', async () => {
      const res = await fetch(`${base}/users?limit=1&limit=2&tags=a&tags=b`);
      expect(res.status).toBe(400);
      expect((await jsonOf(res)).error).toEqual({
        code: 'ValidationFailed',
        message: "invalid input: query parameter 'limit' is given 2 times; it takes one value",
        details: [{ path: '/limit', message: 'is given 2 times in the query string; it takes one value' }],
        requestId: res.headers.get('x-request-id'),
      });
      // A key that is no field at all stays an unknown property, however often it comes.
      const unknown = await fetch(`${base}/users?nope=1&nope=2`);
      expect((await jsonOf(unknown)).error.details).toEqual([{ path: '/nope', message: 'unknown property' }]);
    });

    it('merges path params into the body and rejects a contradicting body field', async () => {
      const ok = await fetch(`${base}/users/1`, { ...json({ name: 'Grace' }), method: 'PUT' });
      expect(await jsonOf(ok)).toMatchObject({ id: 1, name: 'Grace' });
      const same = await fetch(`${base}/users/1`, { ...json({ id: 1, name: 'Grace' }), method: 'PUT' });
      expect(same.status).toBe(200);
      const conflicting = await fetch(`${base}/users/1`, { ...json({ id: 2, name: 'Grace' }), method: 'PUT' });
      expect(conflicting.status).toBe(400);
      expect((await jsonOf(conflicting)).error).toMatchObject({ code: 'BadRequest', message: "path parameter 'id' conflicts with the body field 'id'" });
    });

    it('answers 201 for a created resource and 204 without a body for no output', async () => {
      const created = await fetch(`${base}/users`, json({ email: 'grace@example.com', name: 'Grace' }));
      expect(created.status).toBe(201);
      expect(await jsonOf(created)).toMatchObject({ email: 'grace@example.com' });
      const deleted = await fetch(`${base}/users/1`, { method: 'DELETE' });
      expect(deleted.status).toBe(204);
      expect(await deleted.text()).toBe('');
    });
  });

  describe('errors', () => {
    it('answers 400 with every problem and its JSON pointer', async () => {
      const res = await fetch(`${base}/users`, json({ email: 'nope', extra: true }));
      expect(res.status).toBe(400);
      const { error } = await jsonOf(res);
      expect(error.code).toBe('ValidationFailed');
      expect(error.details).toEqual(
        expect.arrayContaining([
          { path: '', message: "must have required property 'name'" },
          { path: '/extra', message: 'unknown property' },
          { path: '/email', message: 'must match format "email"' },
        ]),
      );
      expect(error.message).toContain('/email must match format "email"');
    });

    it('maps a declared error to its status with the request id in the body', async () => {
      const res = await fetch(`${base}/users/99`, { headers: { 'x-request-id': 'req-404' } });
      expect(res.status).toBe(404);
      expect(await jsonOf(res)).toEqual({ error: { code: 'NotFound', message: 'user 99 not found', requestId: 'req-404' } });
    });

    it('maps a second declared error (custom code)', async () => {
      await fetch(`${base}/users`, json({ email: 'taken@example.com', name: 'T' }));
      const res = await fetch(`${base}/users`, json({ email: 'taken@example.com', name: 'T' }));
      expect(res.status).toBe(409);
      expect((await jsonOf(res)).error.code).toBe('EmailTaken');
    });

    it('hides an unexpected error behind a 500 without message or stack', async () => {
      const res = await fetch(`${base}/boom`);
      expect(res.status).toBe(500);
      const text = await res.text();
      expect(JSON.parse(text).error).toMatchObject({ code: 'Internal', message: 'internal error' });
      expect(text).not.toContain('hunter2');
      expect(text).not.toContain('at ');
      // ...but logs it, with the stack, for the operator.
      const logged = lines.find((l) => (l.err as { message?: string } | undefined)?.message?.includes('database exploded'));
      expect((logged?.err as { stack?: string }).stack).toContain('boom');
    });

    it('turns an undeclared MeshError into a 500 and logs a contract violation', async () => {
      const res = await fetch(`${base}/undeclared`);
      expect(res.status).toBe(500);
      const text = await res.text();
      expect(JSON.parse(text).error.code).toBe('Internal');
      expect(text).not.toContain(SECRET);
      expect(lines.some((l) => String(l.msg).startsWith('contract violation: undeclared threw Conflict'))).toBe(true);
    });

    it('answers 501 for an endpoint whose hook is missing', async () => {
      const res = await fetch(`${base}/stub`);
      expect(res.status).toBe(501);
      expect((await jsonOf(res)).error.code).toBe('NotImplemented');
    });

    it('answers 404 JSON for an unknown route', async () => {
      const res = await fetch(`${base}/nope`);
      expect(res.status).toBe(404);
      expect((await jsonOf(res)).error).toMatchObject({ code: 'NotFound', message: 'no route for GET /nope' });
    });

    it('answers 405 with Allow for a known path and a wrong method', async () => {
      const res = await fetch(`${base}/users/1`, { method: 'POST' });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('GET, PUT, DELETE');
      expect((await jsonOf(res)).error.code).toBe('MethodNotAllowed');
    });

    it('answers 413 for a body over the limit', async () => {
      const res = await fetch(`${base}/users`, json({ email: 'a@example.com', name: 'x'.repeat(2000) }));
      expect(res.status).toBe(413);
      expect((await jsonOf(res)).error.code).toBe('PayloadTooLarge');
    });

    it('answers 400 for malformed JSON', async () => {
      const res = await fetch(`${base}/users`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email":' });
      expect(res.status).toBe(400);
      expect((await jsonOf(res)).error).toMatchObject({ code: 'BadRequest', message: 'malformed JSON body' });
    });

    it('answers 400 naming what the JSON body is when it is not an object (null, a list, a scalar)', async () => {
      const send = (body: string) => fetch(`${base}/users`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      for (const [body, what] of [['null', 'null'], ['[1]', 'an array'], ['"ada"', 'a string'], [' 42', 'a number'], ['true', 'a boolean']]) {
        const res = await send(body!);
        expect(res.status, body).toBe(400);
        expect((await jsonOf(res)).error, body).toMatchObject({ code: 'BadRequest', message: `the JSON body must be an object, got ${what}` });
      }
    });

    it('answers 415 for a body that is not JSON', async () => {
      const res = await fetch(`${base}/users`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
      expect(res.status).toBe(415);
      expect((await jsonOf(res)).error.code).toBe('UnsupportedMediaType');
    });
  });

  describe('request ids, deadline and caller', () => {
    it('keeps a sane request id and echoes it', async () => {
      const res = await fetch(`${base}/echo`, { headers: { 'x-request-id': 'abc-123:x.y_z' } });
      expect(res.headers.get('x-request-id')).toBe('abc-123:x.y_z');
      expect((await jsonOf(res)).requestId).toBe('abc-123:x.y_z');
    });

    it('replaces a missing or insane request id with a UUID', async () => {
      const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
      const missing = await fetch(`${base}/echo`);
      expect(missing.headers.get('x-request-id')).toMatch(uuid);
      expect((await jsonOf(missing)).requestId).toBe(missing.headers.get('x-request-id'));
      const insane = await fetch(`${base}/echo`, { headers: { 'x-request-id': 'has spaces and <html>' } });
      expect(insane.headers.get('x-request-id')).toMatch(uuid);
      const long = await fetch(`${base}/echo`, { headers: { 'x-request-id': 'a'.repeat(129) } });
      expect(long.headers.get('x-request-id')).toMatch(uuid);
    });

    it('passes deadline and caller headers to the hook', async () => {
      const deadline = Date.now() + 5000;
      const caller = Buffer.from(JSON.stringify({ subject: 'u1', roles: ['admin'] })).toString('base64url');
      const res = await fetch(`${base}/echo`, { headers: { 'x-mesh-deadline': String(deadline), 'x-mesh-caller': caller } });
      expect(await jsonOf(res)).toMatchObject({ deadline, caller: { subject: 'u1', roles: ['admin'] } });
    });

    it('answers 504 when the deadline passes while the hook runs', async () => {
      const res = await fetch(`${base}/slow?ms=500`, { headers: { 'x-mesh-deadline': String(Date.now() + 50) } });
      expect(res.status).toBe(504);
      expect((await jsonOf(res)).error.code).toBe('Timeout');
    });

    it('writes one access log line per request', async () => {
      await fetch(`${base}/users/1`, { headers: { 'x-request-id': 'access-1' } });
      const line = lines.find((l) => l.msg === 'request' && l.requestId === 'access-1');
      expect(line).toMatchObject({ level: 'info', service: 'users', method: 'GET', path: '/users/1', status: 200 });
      expect(typeof line?.durationMs).toBe('number');
    });
  });

  describe('probes', () => {
    it('answers /health and /ready while running', async () => {
      const health = await fetch(`${base}/health`);
      expect(health.status).toBe(200);
      expect(await jsonOf(health)).toEqual({ status: 'ok' });
      const ready = await fetch(`${base}/ready`);
      expect(ready.status).toBe(200);
      expect(service.ready).toBe(true);
    });
  });
});
