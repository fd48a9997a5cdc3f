// The front door's security table: every request a client can forge is answered by the gateway and
// never reaches the service; a valid one reaches it with the verified identity (signed when the mesh
// has identity keys) instead of the client's credentials or claims.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generateIdentityKey, formatIdentityKeys, identityKeysFromEnv, verifyIdentity } from '../../../runtime/identity/index.js';
import { hmacToken, noneToken, nowSec, SECRET, signToken, testKeyPair, type TestKeyPair } from '../../support/jwt.js';
import { closeAll, echo, send, startGateway, startUpstream, type TestGateway, type Upstream } from './helpers.js';

afterEach(closeAll);

interface Echo {
  url: string;
  headers: Record<string, string>;
}

const JWT = { jwt: { algorithms: ['HS256'] as const, secretEnv: 'JWT_SECRET', issuer: 'shop', audience: 'shop-api' } };
const GOOD_CLAIMS = { sub: 'user-1', roles: ['customer'], iss: 'shop', aud: 'shop-api' };
const IDENTITY_KEYS = formatIdentityKeys([generateIdentityKey('k1')]);

let rsa: TestKeyPair;
beforeAll(async () => {
  rsa = await testKeyPair('RS256');
});

async function stack(): Promise<{ gw: TestGateway; users: Upstream }> {
  const users = await startUpstream(echo);
  const gw = await startGateway(
    [
      { prefix: '/api/products', service: 'users', rewrite: '/products', public: true },
      { prefix: '/api/users', service: 'users', rewrite: '/users' },
    ],
    { users: users.origin },
    { auth: { jwt: { ...JWT.jwt, algorithms: ['HS256'] } }, env: { JWT_SECRET: SECRET, MESH_IDENTITY_KEYS: IDENTITY_KEYS } },
  );
  return { gw, users };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const spoofed = { 'x-mesh-caller': Buffer.from('{"subject":"user:admin","roles":["admin"]}').toString('base64url'), 'x-mesh-deadline': String(Date.now() + 5) };

describe('the security table', () => {
  const cases: [string, () => Promise<Record<string, string>>, number][] = [
    ['no Authorization header', async () => ({}), 401],
    ['a malformed header', async () => ({ authorization: 'Bearer' }), 401],
    ['a token that is not a JWT', async () => bearer('not.a.jwt'), 401],
    ['alg none', async () => bearer(noneToken({ ...GOOD_CLAIMS, exp: nowSec() + 60 })), 401],
    ['a wrong signature', async () => bearer(await signToken('another-secret-of-thirty-two-byte', 'HS256', GOOD_CLAIMS)), 401],
    ['an RS256 token', async () => bearer(await signToken(rsa.privateKey, 'RS256', GOOD_CLAIMS)), 401],
    ['HS256 signed with the public key PEM (key confusion)', async () => bearer(hmacToken(rsa.publicKeyPem, { ...GOOD_CLAIMS, exp: nowSec() + 60 })), 401],
    ['an expired token', async () => bearer(await signToken(SECRET, 'HS256', { ...GOOD_CLAIMS, exp: nowSec() - 120 })), 401],
    ['a token not yet valid', async () => bearer(await signToken(SECRET, 'HS256', { ...GOOD_CLAIMS, nbf: nowSec() + 600 })), 401],
    ['a wrong issuer', async () => bearer(await signToken(SECRET, 'HS256', { ...GOOD_CLAIMS, iss: 'evil' })), 401],
    ['a wrong audience', async () => bearer(await signToken(SECRET, 'HS256', { ...GOOD_CLAIMS, aud: 'other-api' })), 401],
    ['a spoofed x-mesh-caller without a token', async () => spoofed, 401],
  ];

  it.each(cases)('%s: answered by the gateway, never reaching the service', async (_name, headers, status) => {
    const { gw, users } = await stack();
    const reply = await send(gw.port, '/api/users/1', { headers: await headers() });
    expect(reply.status).toBe(status);
    const body = reply.json<{ error: { code: string; message: string } }>();
    expect(body.error.code).toBe('Unauthorized');
    expect(reply.headers['www-authenticate']).toMatch(/^Bearer /);
    expect(JSON.stringify(body)).not.toMatch(/jose|JWS|JWT[A-Z]|signature verification/i);
    expect(users.requests).toBe(0);
  });

  it('a valid token reaches the service with the verified identity, signed, and without the credentials or the client claims', async () => {
    const { gw, users } = await stack();
    const token = await signToken(SECRET, 'HS256', GOOD_CLAIMS);
    const reply = await send(gw.port, '/api/users/1', { headers: { ...bearer(token), ...spoofed } });
    expect(reply.status).toBe(200);
    const seen = reply.json<Echo>().headers;
    expect(seen['authorization']).toBeUndefined();
    const caller = JSON.parse(Buffer.from(seen['x-mesh-caller']!, 'base64url').toString()) as { subject: string; roles: string[] };
    expect(caller).toEqual({ subject: 'user-1', roles: ['customer'] });
    const check = verifyIdentity(seen['x-mesh-identity'], identityKeysFromEnv({ MESH_IDENTITY_KEYS: IDENTITY_KEYS }));
    expect(check.ok && check.identity.subject).toBe('user-1');
    expect(check.ok && check.identity.roles).toEqual(['customer']);
    // The gateway's deadline, not the client's 5 ms.
    expect(Number(seen['x-mesh-deadline'])).toBeGreaterThan(Date.now() + 1_000);
    expect(users.requests).toBe(1);
  });

  it('a public route needs no token, and carries no identity even when the client claims one', async () => {
    const { gw } = await stack();
    const reply = await send(gw.port, '/api/products/1', { headers: spoofed });
    expect(reply.status).toBe(200);
    const seen = reply.json<Echo>().headers;
    expect(seen['x-mesh-caller']).toBeUndefined();
    expect(seen['x-mesh-identity']).toBeUndefined();
  });

  it('refuses to start without the secret its config names', async () => {
    const users = await startUpstream(echo);
    await expect(startGateway([{ prefix: '/api', service: 'users' }], { users: users.origin }, { auth: { jwt: { ...JWT.jwt, algorithms: ['HS256'] } }, env: {} })).rejects.toThrow(
      /JWT_SECRET is not set/,
    );
  });
});

describe('rate limits per verified subject', () => {
  it('counts each user apart, whatever address they come from', async () => {
    const users = await startUpstream(echo);
    const gw = await startGateway([{ prefix: '/api', service: 'users' }], { users: users.origin }, {
      auth: { jwt: { ...JWT.jwt, algorithms: ['HS256'] } },
      env: { JWT_SECRET: SECRET },
      rateLimit: { algorithm: 'sliding-window', limit: 2, windowMs: 60_000, key: 'subject' },
    });
    const as = async (sub: string) => bearer(await signToken(SECRET, 'HS256', { ...GOOD_CLAIMS, sub }));
    const statuses: number[] = [];
    for (const sub of ['ada', 'ada', 'bob', 'ada', 'bob', 'bob']) statuses.push((await send(gw.port, '/api/x', { headers: await as(sub) })).status);
    expect(statuses).toEqual([200, 200, 200, 429, 200, 429]);
  });
});
