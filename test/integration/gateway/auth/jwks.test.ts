// The verifier against a JWKS endpoint (a real node:http server on a free port): keys found by kid,
// a rotated-in key picked up by a refetch, a removed key refused, the cooldown holding back a flood of
// unknown kids, and an endpoint that is down, slow or broken reported as keysUnavailable (503), not 401.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JWK } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { AuthError, createJwtVerifier, type AuthFailureReason, type JwtRemoteKeys } from '../../../../runtime/gateway/auth/index.js';
import { signToken, testKeyPair } from '../../../support/jwt.js';
import { closedPort } from '../helpers.js';

interface JwksServer {
  url: string;
  fetches: number;
  keys: JWK[];
  /** Replaces the normal answer (status, body), or holds the request forever when 'hang'. */
  answer: ((res: ServerResponse) => void) | 'hang' | undefined;
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function startJwks(keys: JWK[]): Promise<JwksServer> {
  const state: JwksServer = { url: '', fetches: 0, keys, answer: undefined };
  const server = createServer((req, res) => {
    state.fetches++;
    if (state.answer === 'hang') return;
    if (state.answer) return state.answer(res);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: state.keys }));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  return state;
}

async function reasonOf(promise: Promise<unknown>): Promise<AuthFailureReason> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(AuthError);
  expect((err as AuthError).message).not.toMatch(/127\.0\.0\.1|http|JSON Web Key/);
  return (err as AuthError).reason;
}

function verifierFor(url: string, keys: Partial<JwtRemoteKeys> = {}) {
  return createJwtVerifier({ algorithms: ['RS256', 'ES256'], keys: { jwksUrl: url, cooldownMs: 0, ...keys }, audience: 'api' });
}

describe('createJwtVerifier with a JWKS endpoint', () => {
  it('picks the key by kid and fetches the set once while it is fresh', async () => {
    const [one, two] = [await testKeyPair('RS256'), await testKeyPair('ES256')];
    const jwks = await startJwks([await one.jwk('k1'), await two.jwk('k2')]);
    const verifier = verifierFor(jwks.url);
    await expect(verifier.verify(await signToken(one.privateKey, 'RS256', { aud: 'api', sub: 'a' }, { kid: 'k1' }))).resolves.toMatchObject({ subject: 'a' });
    await expect(verifier.verify(await signToken(two.privateKey, 'ES256', { aud: 'api', sub: 'b' }, { kid: 'k2' }))).resolves.toMatchObject({ subject: 'b' });
    expect(jwks.fetches).toBe(1);
    // A known kid with a signature from another key is refused without a refetch.
    const stranger = await testKeyPair('RS256');
    expect(await reasonOf(verifier.verify(await signToken(stranger.privateKey, 'RS256', { aud: 'api' }, { kid: 'k1' })))).toBe('signature');
    expect(jwks.fetches).toBe(1);
  });

  it('picks up a rotated-in key by refetching on an unknown kid, and refuses the removed one', async () => {
    const [old, next] = [await testKeyPair('RS256'), await testKeyPair('RS256')];
    const jwks = await startJwks([await old.jwk('old')]);
    const verifier = verifierFor(jwks.url);
    const oldToken = await signToken(old.privateKey, 'RS256', { aud: 'api' }, { kid: 'old' });
    await expect(verifier.verify(oldToken)).resolves.toMatchObject({ subject: 'u1' });

    jwks.keys = [await next.jwk('new')];
    await expect(verifier.verify(await signToken(next.privateKey, 'RS256', { aud: 'api', sub: 'n' }, { kid: 'new' }))).resolves.toMatchObject({ subject: 'n' });
    expect(jwks.fetches).toBe(2);
    expect(await reasonOf(verifier.verify(oldToken))).toBe('signature');
  });

  it('refetches at most once per cooldown, whatever kids tokens make up', async () => {
    const key = await testKeyPair('RS256');
    const jwks = await startJwks([await key.jwk('k1')]);
    const verifier = verifierFor(jwks.url, { cooldownMs: 60_000 });
    await verifier.verify(await signToken(key.privateKey, 'RS256', { aud: 'api' }, { kid: 'k1' }));
    for (let i = 0; i < 5; i++) {
      expect(await reasonOf(verifier.verify(await signToken(key.privateKey, 'RS256', { aud: 'api' }, { kid: `made-up-${i}` })))).toBe('signature');
    }
    expect(jwks.fetches).toBe(1);
  });

  it('tries each key that fits a token without kid', async () => {
    const [first, second] = [await testKeyPair('RS256'), await testKeyPair('RS256')];
    const jwks = await startJwks([await first.jwk('a'), await second.jwk('b')]);
    const verifier = verifierFor(jwks.url);
    await expect(verifier.verify(await signToken(second.privateKey, 'RS256', { aud: 'api', sub: 'second' }))).resolves.toMatchObject({ subject: 'second' });
    const stranger = await testKeyPair('RS256');
    expect(await reasonOf(verifier.verify(await signToken(stranger.privateKey, 'RS256', { aud: 'api' })))).toBe('signature');
  });

  it('still checks the claims of a token signed by a JWKS key', async () => {
    const key = await testKeyPair('RS256');
    const jwks = await startJwks([await key.jwk('k1')]);
    const verifier = verifierFor(jwks.url);
    expect(await reasonOf(verifier.verify(await signToken(key.privateKey, 'RS256', { aud: 'web' }, { kid: 'k1' })))).toBe('audience');
    expect(await reasonOf(verifier.verify(await signToken(key.privateKey, 'RS256', { aud: 'api', exp: 1 }, { kid: 'k1' })))).toBe('expired');
  });

  it('reports an endpoint nobody listens on as keysUnavailable (503)', async () => {
    const key = await testKeyPair('RS256');
    const verifier = verifierFor(`http://127.0.0.1:${await closedPort()}/jwks.json`);
    const err = await verifier.verify(await signToken(key.privateKey, 'RS256', { aud: 'api' }, { kid: 'k1' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect([(err as AuthError).reason, (err as AuthError).status]).toEqual(['keysUnavailable', 503]);
  });

  it('reports an error status, a body that is not a key set, and a timeout as keysUnavailable', async () => {
    const key = await testKeyPair('RS256');
    const token = await signToken(key.privateKey, 'RS256', { aud: 'api' }, { kid: 'k1' });
    const jwks = await startJwks([await key.jwk('k1')]);
    const answers: ((res: ServerResponse) => void)[] = [
      (res) => res.writeHead(500).end('oops'),
      (res) => res.writeHead(302, { location: 'http://example.com/' }).end(),
      (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"keys": "nope"}'),
      (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('<html>'),
    ];
    for (const answer of answers) {
      jwks.answer = answer;
      expect(await reasonOf(verifierFor(jwks.url).verify(token))).toBe('keysUnavailable');
    }
    jwks.answer = 'hang';
    expect(await reasonOf(verifierFor(jwks.url, { timeoutMs: 200 }).verify(token))).toBe('keysUnavailable');
    // Back up: the same verifier recovers without a restart.
    jwks.answer = undefined;
    await expect(verifierFor(jwks.url).verify(token)).resolves.toMatchObject({ subject: 'u1' });
  });

  it('refreshes an old key set in the background, using the old one while the endpoint fails, up to staleIfErrorMs', async () => {
    const [old, next] = [await testKeyPair('RS256'), await testKeyPair('RS256')];
    const jwks = await startJwks([await old.jwk('old')]);
    let now = 1_000_000;
    const refreshErrors: unknown[] = [];
    const verifier = createJwtVerifier({
      algorithms: ['RS256'],
      keys: { jwksUrl: jwks.url, cacheMaxAgeMs: 1_000, staleIfErrorMs: 5_000, cooldownMs: 100, onRefreshError: (err) => refreshErrors.push(err) },
      audience: 'api',
      now: () => now,
    });
    const oldToken = await signToken(old.privateKey, 'RS256', { aud: 'api', exp: 2_000_000 }, { kid: 'old' });
    await expect(verifier.verify(oldToken)).resolves.toMatchObject({ subject: 'u1' });
    expect(jwks.fetches).toBe(1);

    // Old and the endpoint failing: the request is answered with the keys in hand, the refetch runs behind it.
    jwks.answer = (res) => res.writeHead(500).end();
    now += 1_500;
    await expect(verifier.verify(oldToken)).resolves.toMatchObject({ subject: 'u1' });
    await expect.poll(() => refreshErrors.length).toBe(1);
    expect(jwks.fetches).toBe(2);
    // Within the cooldown: no new attempt.
    now += 50;
    await verifier.verify(oldToken);
    expect(jwks.fetches).toBe(2);

    // Past cacheMaxAgeMs + staleIfErrorMs, a request waits for the fetch, and its failure is a 503.
    now += 5_000;
    expect(await reasonOf(verifier.verify(oldToken))).toBe('keysUnavailable');

    // Back, rotated: the waiting fetch brings the new set, and the removed key is refused.
    jwks.answer = undefined;
    jwks.keys = [await next.jwk('new')];
    await expect(verifier.verify(await signToken(next.privateKey, 'RS256', { aud: 'api', exp: 2_000_000 }, { kid: 'new' }))).resolves.toMatchObject({ subject: 'u1' });
    expect(await reasonOf(verifier.verify(oldToken))).toBe('signature');
  });

  it('picks up a rotation through the background refresh, without any unknown kid', async () => {
    const [old, next] = [await testKeyPair('RS256'), await testKeyPair('RS256')];
    const jwks = await startJwks([await old.jwk('old')]);
    let now = 1_000_000;
    const verifier = createJwtVerifier({ algorithms: ['RS256'], keys: { jwksUrl: jwks.url, cacheMaxAgeMs: 1_000, cooldownMs: 60_000 }, now: () => now });
    const oldToken = await signToken(old.privateKey, 'RS256', { exp: 2_000_000 }, { kid: 'old' });
    await verifier.verify(oldToken);
    jwks.keys = [await next.jwk('new')];
    now += 1_000;
    await expect(verifier.verify(oldToken)).resolves.toMatchObject({ subject: 'u1' });
    await expect.poll(() => jwks.fetches).toBe(2);
    // jose swaps the set in when the fetch's body is read, just after the server counted it.
    await expect.poll(async () => (await verifier.verify(oldToken).catch((e: AuthError) => e.reason)) === 'signature').toBe(true);
  });

  it('refuses negative or fractional durations at construction', () => {
    expect(() => verifierFor('http://127.0.0.1:1/jwks', { cacheMaxAgeMs: -1 })).toThrow(/cacheMaxAgeMs/);
    expect(() => verifierFor('http://127.0.0.1:1/jwks', { staleIfErrorMs: 1.5 })).toThrow(/staleIfErrorMs/);
    expect(() => verifierFor('http://127.0.0.1:1/jwks', { timeoutMs: 0 })).toThrow(/timeoutMs/);
  });
});
