// Delegation to an auth service (a real node:http server on a free port): answers cached under a
// digest of the header, refusals cached briefly, concurrent identical tokens sharing one call, and an
// auth service that is slow, broken or down answered 503 (unavailable), never cached.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AuthError, createAuthDelegate, type AuthDelegate, type AuthDelegateOptions, type AuthFailureReason } from '../../../../runtime/gateway/auth/index.js';
import { SECRET, signToken } from '../../../support/jwt.js';
import { closedPort } from '../helpers.js';

interface AuthService {
  url: string;
  /** Every request received: its Authorization and x-request-id headers. */
  calls: { path: string | undefined; authorization: string | undefined; requestId: string | undefined }[];
  /** Requests held without an answer ('Bearer hold'), released by the test. */
  held: ServerResponse[];
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** Answers by token: good and JWTs 200, bad 401, nope 403, broken 500, garbage 200 non-JSON, anonymous 200 without subject, hang never, hold when released. */
function answer(req: IncomingMessage, res: ServerResponse, service: AuthService): void {
  const token = req.headers.authorization?.replace(/^Bearer /, '') ?? '';
  const json = (status: number, body: unknown): void => void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  if (token === 'bad') return json(401, { error: 'no' });
  if (token === 'nope') return json(403, { error: 'no' });
  if (token === 'broken') return json(500, { error: 'oops' });
  if (token === 'garbage') return void res.writeHead(200).end('<html>');
  if (token === 'anonymous') return json(200, { roles: ['x'] });
  if (token === 'hang') return;
  if (token === 'hold') return void service.held.push(res);
  json(200, { subject: `user-of-${token.slice(0, 8)}`, roles: ['reader'] });
}

async function startAuthService(): Promise<AuthService> {
  const service: AuthService = { url: '', calls: [], held: [] };
  const server: Server = createServer((req, res) => {
    service.calls.push({ path: `${req.method} ${req.url}`, authorization: req.headers.authorization, requestId: req.headers['x-request-id'] as string | undefined });
    answer(req, res, service);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  service.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/verify?realm=shop`;
  return service;
}

function delegate(options: AuthDelegateOptions): AuthDelegate {
  const created = createAuthDelegate(options);
  closers.push(() => created.close());
  return created;
}

async function reasonOf(promise: Promise<unknown>): Promise<AuthFailureReason> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(AuthError);
  expect((err as AuthError).message).not.toMatch(/127\.0\.0\.1|http|500|ECONN/);
  return (err as AuthError).reason;
}

describe('createAuthDelegate', () => {
  it('forwards the Authorization header and request id, and answers the next request from its cache', async () => {
    const auth = await startAuthService();
    const d = delegate({ url: auth.url });
    expect(await d.authenticate('Bearer good', 'req-1')).toEqual({ subject: 'user-of-good', roles: ['reader'] });
    expect(await d.authenticate('Bearer good', 'req-2')).toEqual({ subject: 'user-of-good', roles: ['reader'] });
    expect(auth.calls).toEqual([{ path: 'GET /verify?realm=shop', authorization: 'Bearer good', requestId: 'req-1' }]);
  });

  it('keys its cache by a SHA-256 digest of the header, never the token itself', async () => {
    const auth = await startAuthService();
    const d = delegate({ url: auth.url });
    const token = await signToken(SECRET, 'HS256');
    await d.authenticate(`Bearer ${token}`);
    const keys = d.cachedKeys();
    expect(keys).toEqual([createHash('sha256').update(`Bearer ${token}`).digest('base64url')]);
    for (const part of token.split('.')) expect(keys.join('')).not.toContain(part);
  });

  it('refuses 401 as rejected and 403 as forbidden, remembering the refusal for negativeCacheTtlMs', async () => {
    const auth = await startAuthService();
    let now = 1_000_000;
    const d = delegate({ url: auth.url, negativeCacheTtlMs: 2_000, now: () => now });
    expect(await reasonOf(d.authenticate('Bearer bad'))).toBe('rejected');
    expect(await reasonOf(d.authenticate('Bearer bad'))).toBe('rejected');
    expect(auth.calls).toHaveLength(1);
    now += 2_001;
    expect(await reasonOf(d.authenticate('Bearer bad'))).toBe('rejected');
    expect(auth.calls).toHaveLength(2);
    const forbidden = await d.authenticate('Bearer nope').catch((e: unknown) => e);
    expect([(forbidden as AuthError).reason, (forbidden as AuthError).status]).toEqual(['forbidden', 403]);
  });

  it('keeps an accepted credential for cacheTtlMs, but never past its JWT exp', async () => {
    const auth = await startAuthService();
    const expSec = 2_000_000_000;
    let now = expSec * 1000 - 5_000;
    const d = delegate({ url: auth.url, cacheTtlMs: 30_000, now: () => now });
    const header = `Bearer ${await signToken(SECRET, 'HS256', { exp: expSec })}`;
    expect(await d.authenticate(header)).toMatchObject({ expiresAt: expSec * 1000 });
    now += 4_000;
    await d.authenticate(header);
    expect(auth.calls).toHaveLength(1);
    now += 1_001;
    await d.authenticate(header);
    expect(auth.calls).toHaveLength(2);

    now += 29_999;
    await d.authenticate('Bearer opaque');
    now += 29_999;
    await d.authenticate('Bearer opaque');
    expect(auth.calls).toHaveLength(3);
    now += 2;
    await d.authenticate('Bearer opaque');
    expect(auth.calls).toHaveLength(4);
  });

  it('sends one call for concurrent requests with the same token', async () => {
    const auth = await startAuthService();
    const d = delegate({ url: auth.url });
    const pending = Array.from({ length: 5 }, () => d.authenticate('Bearer hold'));
    await expect.poll(() => auth.held.length).toBe(1);
    auth.held[0]!.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ subject: 'held', roles: [] }));
    expect(await Promise.all(pending)).toEqual(Array(5).fill({ subject: 'held', roles: [] }));
    expect(auth.calls).toHaveLength(1);
  });

  it('answers unavailable (503) on a timeout, an error status, a broken answer or a service that is down, and caches none of them', async () => {
    const auth = await startAuthService();
    const d = delegate({ url: auth.url, timeoutMs: 200 });
    for (const token of ['hang', 'broken', 'garbage', 'anonymous']) {
      const err = await d.authenticate(`Bearer ${token}`).catch((e: unknown) => e);
      expect([(err as AuthError).reason, (err as AuthError).status], token).toEqual(['unavailable', 503]);
    }
    expect(await reasonOf(d.authenticate('Bearer broken'))).toBe('unavailable');
    expect(auth.calls.filter((c) => c.authorization === 'Bearer broken')).toHaveLength(2);
    expect(d.cachedKeys()).toEqual([]);
    const down = delegate({ url: `http://127.0.0.1:${await closedPort()}/verify` });
    expect(await reasonOf(down.authenticate('Bearer good'))).toBe('unavailable');
  });

  it('refuses a missing or oversized header without calling, and holds at most maxEntries', async () => {
    const auth = await startAuthService();
    const d = delegate({ url: auth.url, maxEntries: 2 });
    expect(await reasonOf(d.authenticate(undefined))).toBe('missing');
    expect(await reasonOf(d.authenticate(''))).toBe('missing');
    expect(await reasonOf(d.authenticate(`Bearer ${'a'.repeat(9000)}`))).toBe('malformed');
    expect(auth.calls).toHaveLength(0);
    for (const token of ['t1', 't2', 't3']) await d.authenticate(`Bearer ${token}`);
    expect(d.cachedKeys()).toHaveLength(2);
  });

  it('refuses a configuration that cannot work', () => {
    expect(() => createAuthDelegate({ url: 'nope' })).toThrow(/not a URL/);
    expect(() => createAuthDelegate({ url: 'ftp://auth/verify' })).toThrow(/http or https/);
    expect(() => createAuthDelegate({ url: 'http://u:p@auth/verify' })).toThrow(/credentials/);
    expect(() => createAuthDelegate({ url: 'http://auth/verify', timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(() => createAuthDelegate({ url: 'http://auth/verify', maxEntries: 0 })).toThrow(/maxEntries/);
  });
});
