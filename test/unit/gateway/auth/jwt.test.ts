// The security table of the JWT verifier, with local keys (secret, PEM, certificate): every way a token
// can be wrong ends in its own stable reason, with a client-safe message.
import { exportPKCS8, importPKCS8, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { AuthError, createJwtVerifier, type AuthFailureReason, type JwtVerifierOptions } from '../../../../runtime/gateway/auth/index.js';
import { CERTIFICATE_KEY_PEM, CERTIFICATE_PEM } from '../../../support/jwt-certificate.js';
import { hmacToken, noneToken, nowSec, SECRET, signToken, testKeyPair } from '../../../support/jwt.js';

const hs256: JwtVerifierOptions = { algorithms: ['HS256'], keys: { secret: SECRET }, issuer: 'shop', audience: 'shop-api' };
const good = { iss: 'shop', aud: 'shop-api' };

/** The reason `promise` fails with, after checking the failure is an AuthError with a client-safe message. */
async function reasonOf(promise: Promise<unknown>): Promise<AuthFailureReason> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AuthError);
  const auth = err as AuthError;
  // Short, and nothing from jose (its messages quote claims and headers in double quotes).
  expect(auth.message.length).toBeLessThan(60);
  expect(auth.message).not.toMatch(/"|jose|JWS|JWT|http/i);
  return auth.reason;
}

describe('createJwtVerifier (HS256)', () => {
  const verifier = createJwtVerifier(hs256);

  it('accepts a valid token and returns subject, roles and expiry (ms)', async () => {
    const exp = nowSec() + 600;
    const identity = await verifier.verify(await signToken(SECRET, 'HS256', { ...good, exp, roles: ['admin', 'user'] }));
    expect(identity).toEqual({ subject: 'u1', roles: ['admin', 'user'], expiresAt: exp * 1000 });
  });

  it('refuses a missing token and one that is not a JWS', async () => {
    expect(await reasonOf(verifier.verify(''))).toBe('missing');
    expect(await reasonOf(verifier.verify('abc'))).toBe('malformed');
    expect(await reasonOf(verifier.verify('a.b.c'))).toBe('malformed');
    expect(await reasonOf(verifier.verify('a'.repeat(9000)))).toBe('malformed');
  });

  it('refuses alg none, crafted by hand', async () => {
    expect(await reasonOf(verifier.verify(noneToken({ ...good, sub: 'u1', exp: nowSec() + 60 })))).toBe('algorithm');
  });

  it('refuses a token signed with another secret', async () => {
    expect(await reasonOf(verifier.verify(await signToken('another-secret-of-thirty-two-byt', 'HS256', good)))).toBe('signature');
  });

  it('refuses a token whose payload was changed after signing', async () => {
    const [header, , signature] = (await signToken(SECRET, 'HS256', good)).split('.');
    const payload = Buffer.from(JSON.stringify({ ...good, sub: 'admin', exp: nowSec() + 60 })).toString('base64url');
    expect(await reasonOf(verifier.verify(`${header}.${payload}.${signature}`))).toBe('signature');
  });

  it('refuses an RS256 token (algorithm not in the allowlist)', async () => {
    const rsa = await testKeyPair('RS256');
    expect(await reasonOf(verifier.verify(await signToken(rsa.privateKey, 'RS256', good)))).toBe('algorithm');
  });

  it('refuses HS384 when only HS256 is listed, though the secret matches', async () => {
    const long = 'x'.repeat(48);
    const strict = createJwtVerifier({ algorithms: ['HS256'], keys: { secret: long } });
    expect(await reasonOf(strict.verify(hmacToken(long, { sub: 'u1', exp: nowSec() + 60 }, 'HS384')))).toBe('algorithm');
  });

  it('refuses an expired token, and honours the clock tolerance (30 s by default)', async () => {
    expect(await reasonOf(verifier.verify(await signToken(SECRET, 'HS256', { ...good, exp: nowSec() - 60 })))).toBe('expired');
    await expect(verifier.verify(await signToken(SECRET, 'HS256', { ...good, exp: nowSec() - 10 }))).resolves.toMatchObject({ subject: 'u1' });
  });

  it('refuses a token not valid yet, and honours the clock tolerance', async () => {
    expect(await reasonOf(verifier.verify(await signToken(SECRET, 'HS256', { ...good, nbf: nowSec() + 60 })))).toBe('notYetValid');
    await expect(verifier.verify(await signToken(SECRET, 'HS256', { ...good, nbf: nowSec() + 10 }))).resolves.toMatchObject({ subject: 'u1' });
  });

  it('uses the configured tolerance on both sides', async () => {
    const strict = createJwtVerifier({ ...hs256, clockToleranceSec: 0 });
    const now = nowSec();
    expect(await reasonOf(strict.verify(await signToken(SECRET, 'HS256', { ...good, exp: now - 2 })))).toBe('expired');
    expect(await reasonOf(strict.verify(await signToken(SECRET, 'HS256', { ...good, nbf: now + 5 })))).toBe('notYetValid');
    const loose = createJwtVerifier({ ...hs256, clockToleranceSec: 120 });
    await expect(loose.verify(await signToken(SECRET, 'HS256', { ...good, exp: now - 90 }))).resolves.toMatchObject({ subject: 'u1' });
    await expect(loose.verify(await signToken(SECRET, 'HS256', { ...good, nbf: now + 90 }))).resolves.toMatchObject({ subject: 'u1' });
  });

  it('reads time from the injected clock', async () => {
    const token = await signToken(SECRET, 'HS256', { ...good, exp: 2_000_000_000 });
    const later = createJwtVerifier({ ...hs256, now: () => 2_000_000_100_000 });
    expect(await reasonOf(later.verify(token))).toBe('expired');
  });

  it('refuses a wrong or missing issuer', async () => {
    expect(await reasonOf(verifier.verify(await signToken(SECRET, 'HS256', { ...good, iss: 'evil' })))).toBe('issuer');
    expect(await reasonOf(verifier.verify(await signToken(SECRET, 'HS256', { aud: 'shop-api' })))).toBe('issuer');
  });

  it('refuses a wrong audience, and accepts one of several', async () => {
    expect(await reasonOf(verifier.verify(await signToken(SECRET, 'HS256', { ...good, aud: 'other-api' })))).toBe('audience');
    await expect(verifier.verify(await signToken(SECRET, 'HS256', { ...good, aud: ['other-api', 'shop-api'] }))).resolves.toMatchObject({ subject: 'u1' });
  });

  it('requires exp by default, and not when told so', async () => {
    const noExp = await new SignJWT({ sub: 'u1', ...good }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(SECRET));
    expect(await reasonOf(verifier.verify(noExp))).toBe('claims');
    const lax = createJwtVerifier({ ...hs256, requireExpiry: false });
    expect(await lax.verify(noExp)).toEqual({ subject: 'u1', roles: [] });
  });

  it('enforces maxTokenAgeSec on iat', async () => {
    const young = createJwtVerifier({ ...hs256, maxTokenAgeSec: 60, clockToleranceSec: 0 });
    expect(await reasonOf(young.verify(await signToken(SECRET, 'HS256', { ...good, iat: nowSec() - 600 })))).toBe('expired');
    expect(await reasonOf(young.verify(await signToken(SECRET, 'HS256', good)))).toBe('claims');
    await expect(young.verify(await signToken(SECRET, 'HS256', { ...good, iat: nowSec() - 5 }))).resolves.toMatchObject({ subject: 'u1' });
  });

  it('reads subject and roles from the configured claims, scope strings and nested paths included', async () => {
    const scoped = createJwtVerifier({ ...hs256, subjectClaim: 'email', rolesClaim: 'scope' });
    const token = await signToken(SECRET, 'HS256', { ...good, email: 'a@b.c', scope: ' read  write ' });
    expect(await scoped.verify(token)).toMatchObject({ subject: 'a@b.c', roles: ['read', 'write'] });
    const nested = createJwtVerifier({ ...hs256, rolesClaim: 'realm_access.roles' });
    expect(await nested.verify(await signToken(SECRET, 'HS256', { ...good, realm_access: { roles: ['ops'] } }))).toMatchObject({ roles: ['ops'] });
    const namespaced = createJwtVerifier({ ...hs256, rolesClaim: 'https://shop.example/roles' });
    expect(await namespaced.verify(await signToken(SECRET, 'HS256', { ...good, 'https://shop.example/roles': ['vip'] }))).toMatchObject({ roles: ['vip'] });
  });

  it('refuses subjects and roles of the wrong shape or size', async () => {
    const bad: Record<string, unknown>[] = [{ sub: '' }, { sub: 42 }, { sub: 'x'.repeat(257) }, { roles: 'admin' }, { roles: [1] }, { roles: [''] }, { roles: Array(65).fill('r') }, { roles: { admin: true } }];
    for (const claims of bad) {
      // `roles: 'admin'` is a one-role string (scope style), so it passes: the others must not.
      const outcome = verifier.verify(await signToken(SECRET, 'HS256', { ...good, ...claims }));
      if (claims.roles === 'admin') await expect(outcome).resolves.toMatchObject({ roles: ['admin'] });
      else expect(await reasonOf(outcome), JSON.stringify(claims).slice(0, 60)).toBe('claims');
    }
  });
});

describe('createJwtVerifier (asymmetric)', () => {
  it('refuses an RS256 token when the HMAC secret configured is the RSA public key PEM (refused at construction)', async () => {
    const rsa = await testKeyPair('RS256');
    expect(() => createJwtVerifier({ algorithms: ['HS256'], keys: { secret: rsa.publicKeyPem } })).toThrow(/PEM key/);
  });

  it('refuses an HS256 token, signed with the public key PEM as its secret, presented to an RS256 verifier', async () => {
    const rsa = await testKeyPair('RS256');
    const verifier = createJwtVerifier({ algorithms: ['RS256'], keys: { publicKeyPem: rsa.publicKeyPem } });
    expect(await reasonOf(verifier.verify(hmacToken(rsa.publicKeyPem)))).toBe('algorithm');
    expect(await reasonOf(verifier.verify(await signToken(SECRET, 'HS256')))).toBe('algorithm');
    await expect(verifier.verify(await signToken(rsa.privateKey, 'RS256', { roles: ['a'] }))).resolves.toMatchObject({ subject: 'u1', roles: ['a'] });
  });

  it('refuses an RS256 token signed by another key', async () => {
    const [ours, theirs] = [await testKeyPair('RS256'), await testKeyPair('RS256')];
    const verifier = createJwtVerifier({ algorithms: ['RS256'], keys: { publicKeyPem: ours.publicKeyPem } });
    expect(await reasonOf(verifier.verify(await signToken(theirs.privateKey, 'RS256')))).toBe('signature');
  });

  it('verifies ES256, EdDSA and Ed25519 tokens with their public keys', async () => {
    for (const alg of ['ES256', 'EdDSA', 'Ed25519']) {
      const pair = await testKeyPair(alg);
      const verifier = createJwtVerifier({ algorithms: [alg as 'ES256'], keys: { publicKeyPem: pair.publicKeyPem }, audience: 'api' });
      await expect(verifier.verify(await signToken(pair.privateKey, alg, { aud: 'api', roles: ['r'] })), alg).resolves.toMatchObject({ subject: 'u1', roles: ['r'] });
      expect(await reasonOf(verifier.verify(await signToken(pair.privateKey, alg, { aud: 'web' })))).toBe('audience');
    }
  });

  it('verifies PS256 and RS256 with one RSA key listed for both', async () => {
    const rsa = await testKeyPair('RS256');
    const verifier = createJwtVerifier({ algorithms: ['RS256', 'PS256'], keys: { publicKeyPem: rsa.publicKeyPem } });
    await expect(verifier.verify(await signToken(rsa.privateKey, 'RS256'))).resolves.toMatchObject({ subject: 'u1' });
    const ps = await importPKCS8(await exportPKCS8(rsa.privateKey), 'PS256');
    await expect(verifier.verify(await signToken(ps, 'PS256'))).resolves.toMatchObject({ subject: 'u1' });
  });

  it('verifies with an X.509 certificate PEM', async () => {
    const verifier = createJwtVerifier({ algorithms: ['RS256'], keys: { publicKeyPem: CERTIFICATE_PEM } });
    const key = await importPKCS8(CERTIFICATE_KEY_PEM, 'RS256');
    await expect(verifier.verify(await signToken(key, 'RS256', { sub: 'cert-user' }))).resolves.toMatchObject({ subject: 'cert-user' });
  });
});
