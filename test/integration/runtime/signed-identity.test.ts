// Services with identity keys (MESH_IDENTITY_KEYS): a caller is believed only from a signed
// x-mesh-identity; a forged or expired one answers 401; an unsigned x-mesh-caller (what a client that
// reaches a service past the gateway can send) counts for nothing; and a service's own calls carry
// its signed identity, over HTTP and gRPC alike. Without keys the unsigned header is read as before.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCaller } from '../../../runtime/http/headers.js';
import { generateIdentityKey, signIdentity, type IdentityKey } from '../../../runtime/identity/index.js';
import { startService, type RunningService } from '../../support/runtime.js';
import { captureLogger, frontHost, jsonOf, testSettings, usersHost } from './fixtures.js';

const key = generateIdentityKey('k1');
const otherKey = generateIdentityKey('k1');
let users: RunningService;
let front: RunningService;
let open: RunningService;

beforeAll(async () => {
  const keys: readonly IdentityKey[] = [key];
  users = await startService(usersHost(), testSettings(captureLogger('users').logger, { identityKeys: keys }));
  front = await startService(frontHost(), testSettings(captureLogger('front').logger, { identityKeys: keys, discovery: { http: { users: `http://127.0.0.1:${users.httpPort}` } } }));
  open = await startService(usersHost(), testSettings(captureLogger('open').logger));
});
afterAll(async () => {
  await Promise.all([front.close(), users.close(), open.close()]);
});

const echo = (service: RunningService, headers: Record<string, string> = {}) => fetch(`http://127.0.0.1:${service.httpPort}/echo`, { headers });
const admin = encodeCaller({ subject: 'user:admin', roles: ['admin'] });

describe('a service with identity keys', () => {
  it('believes a signed identity', async () => {
    const res = await echo(users, { 'x-mesh-identity': signIdentity({ subject: 'user-7', roles: ['customer'] }, key) });
    expect(res.status).toBe(200);
    expect((await jsonOf(res)).caller).toEqual({ subject: 'user-7', roles: ['customer'] });
  });

  it('gives an unsigned x-mesh-caller no weight: the caller is nobody', async () => {
    const res = await echo(users, { 'x-mesh-caller': admin });
    expect(res.status).toBe(200);
    expect((await jsonOf(res)).caller).toBeNull();
  });

  it.each([
    ['signed with another key', () => signIdentity({ subject: 'user:admin', roles: ['admin'] }, otherKey)],
    ['expired', () => signIdentity({ subject: 'user-7', roles: [] }, key, { now: Date.now() - 120_000, ttlMs: 60_000 })],
    ['tampered', () => signIdentity({ subject: 'user-7', roles: [] }, key).replace(/\.([^.]+)\./, (_m, claims: string) => `.${claims.slice(0, -2)}AA.`)],
    ['garbage', () => 'v1.k1.not-base64.!!'],
  ])('answers 401 to an identity %s, whatever x-mesh-caller says', async (_name, value) => {
    const res = await echo(users, { 'x-mesh-identity': value(), 'x-mesh-caller': admin });
    expect(res.status).toBe(401);
    const body = await jsonOf(res);
    expect(body.error.code).toBe('Unauthorized');
    expect(body.error.message).toMatch(/^the caller identity is not valid \((signature|expired|malformed|unknownKey)\)$/);
  });

  it("signs its own calls: the callee sees service:front, over HTTP", async () => {
    const res = await fetch(`http://127.0.0.1:${front.httpPort}/via-echo`);
    expect(res.status).toBe(200);
    expect((await jsonOf(res)).caller).toEqual({ subject: 'service:front', service: 'front', roles: [] });
  });
});

describe('a service without identity keys (development)', () => {
  it('reads the unsigned x-mesh-caller as before', async () => {
    const res = await echo(open, { 'x-mesh-caller': encodeCaller({ subject: 'user-1' }) });
    expect((await jsonOf(res)).caller).toEqual({ subject: 'user-1' });
  });
});
