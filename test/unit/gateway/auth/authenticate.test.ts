// The gateway's authenticator: a token is verified once, then known without a promise until it
// expires; anything else (no header, another scheme, another token) must go through authenticate().
import { describe, expect, it } from 'vitest';
import { createGatewayAuth } from '../../../../runtime/gateway/authenticate.js';
import { developmentToken } from '../../../../runtime/gateway/auth/index.js';

const SECRET = 'a-test-secret-of-at-least-32-bytes!!';

describe('createGatewayAuth known()', () => {
  it('knows a token only after it was authenticated, and only that token', async () => {
    const auth = createGatewayAuth({ jwt: { algorithms: ['HS256'], secretEnv: 'JWT_SECRET', issuer: 'test' } }, { resolveOrigin: () => 'http://127.0.0.1:1', env: { JWT_SECRET: SECRET } });
    const token = await developmentToken({ secret: SECRET, subject: 'user:1', issuer: 'test', roles: ['buyer'] });
    const other = await developmentToken({ secret: SECRET, subject: 'user:2', issuer: 'test' });
    const header = `Bearer ${token}`;
    expect(auth.known(header)).toBeUndefined();
    const identity = await auth.authenticate(header, 'r1');
    expect(identity).toMatchObject({ subject: 'user:1', roles: ['buyer'] });
    expect(auth.known(header)).toBe(identity);
    expect(auth.known(`Bearer ${other}`)).toBeUndefined();
    expect(auth.known(undefined)).toBeUndefined();
    expect(auth.known(`Basic ${token}`)).toBeUndefined();
    // A token with its signature altered is never known, even with the same claims.
    expect(auth.known(`Bearer ${token.slice(0, -2)}xx`)).toBeUndefined();
    await auth.close();
  });
});
