// `meshspec dev` with an authenticating gateway: the secret and identity keys it makes up for a run
// when the environment lacks them, and the token it prints, checked by the runtime's own verifier
// as the gateway would check it.
import { describe, expect, it } from 'vitest';
import { DEV_SUBJECT, DEV_TOKEN_TTL_SEC, prepareDevAuth, type DevAuth } from '../../../generator/cli/dev-auth.js';
import { createJwtVerifier, type JwtAlgorithm } from '../../../runtime/gateway/auth/index.js';
import { identityKeysFromEnv } from '../../../runtime/identity/index.js';

const NOW = Date.UTC(2026, 0, 1);
const shop: DevAuth = { jwt: { algorithms: ['HS256'], secretEnv: 'JWT_SECRET', issuer: 'shop', audience: 'shop-api' } };

/** The token of a `development token (...): <token>` line. */
function tokenOf(notes: string[]): string {
  const line = notes.find((n) => n.startsWith('development token (expires in 12h): '));
  expect(line, notes.join('\n')).toBeDefined();
  return line!.slice(line!.lastIndexOf(' ') + 1);
}

async function verify(token: string, env: NodeJS.ProcessEnv, algorithms: JwtAlgorithm[], issuer?: string, audience?: string) {
  const verifier = createJwtVerifier({ algorithms, keys: { secret: env['JWT_SECRET']! }, now: () => NOW + 1000, ...(issuer && { issuer }), ...(audience && { audience }) });
  return verifier.verify(token);
}

describe('meshspec dev: development auth', () => {
  it('makes up a secret and identity keys when unset, and prints a token the gateway accepts for the developer', async () => {
    const env: NodeJS.ProcessEnv = {};
    const notes = await prepareDevAuth(shop, env, () => NOW);
    expect(env['JWT_SECRET']!.length).toBeGreaterThanOrEqual(64);
    expect(identityKeysFromEnv(env)).toHaveLength(1);
    expect(notes[0]).toBe('JWT_SECRET is unset: the gateway verifies tokens with a random secret for this run');
    // The secret itself is never printed.
    expect(notes.join('\n')).not.toContain(env['JWT_SECRET']);
    const identity = await verify(tokenOf(notes), env, ['HS256'], 'shop', 'shop-api');
    expect(identity.subject).toBe(DEV_SUBJECT);
    expect(identity.expiresAt).toBe(NOW + DEV_TOKEN_TTL_SEC * 1000);
  });

  it('keeps a secret and identity keys the developer set, and signs with that secret', async () => {
    const env: NodeJS.ProcessEnv = { JWT_SECRET: 'x'.repeat(40), MESH_IDENTITY_KEYS: 'mine:' + Buffer.alloc(32, 7).toString('base64') };
    const notes = await prepareDevAuth(shop, env, () => NOW);
    expect(env['JWT_SECRET']).toBe('x'.repeat(40));
    expect(env['MESH_IDENTITY_KEYS']).toMatch(/^mine:/);
    expect(notes).toHaveLength(1);
    await expect(verify(tokenOf(notes), env, ['HS256'], 'shop', 'shop-api')).resolves.toMatchObject({ subject: 'developer' });
  });

  it('signs with the gateway\'s own HMAC algorithm when it does not accept HS256', async () => {
    const env: NodeJS.ProcessEnv = {};
    const notes = await prepareDevAuth({ jwt: { algorithms: ['HS512'], secretEnv: 'JWT_SECRET' } }, env, () => NOW);
    await expect(verify(tokenOf(notes), env, ['HS512'])).resolves.toMatchObject({ subject: 'developer' });
    await expect(verify(tokenOf(notes), env, ['HS256'])).rejects.toThrow();
  });

  it('says why there is no token when the developer\'s own secret is too short, without printing it', async () => {
    const env: NodeJS.ProcessEnv = { JWT_SECRET: 'short-secret' };
    const notes = await prepareDevAuth(shop, env, () => NOW);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/^no development token: /);
    expect(notes[0]).not.toContain('short-secret');
  });

  it('makes no secret for a JWKS or a public key: tokens come from the identity provider', async () => {
    const jwksEnv: NodeJS.ProcessEnv = {};
    const jwks = await prepareDevAuth({ jwt: { algorithms: ['RS256'], jwksUrl: 'https://idp.example.com/jwks.json' } }, jwksEnv);
    expect(jwks).toEqual(['tokens must come from the identity provider: the gateway verifies them with its keys at https://idp.example.com/jwks.json']);
    expect(Object.keys(jwksEnv)).toEqual(['MESH_IDENTITY_KEYS']);
    const pemEnv: NodeJS.ProcessEnv = {};
    const pem = await prepareDevAuth({ jwt: { algorithms: ['ES256'], publicKeyEnv: 'JWT_PUBLIC_KEY' } }, pemEnv);
    expect(pem[0]).toContain('JWT_PUBLIC_KEY is unset');
    expect(pemEnv['JWT_PUBLIC_KEY']).toBeUndefined();
  });

  it('changes nothing without auth; with a delegate, only the identity keys', async () => {
    const env: NodeJS.ProcessEnv = {};
    expect(await prepareDevAuth(undefined, env)).toEqual([]);
    expect(env).toEqual({});
    expect(await prepareDevAuth({ delegate: { service: 'users', path: '/auth/verify' } }, env)).toEqual([]);
    expect(Object.keys(env)).toEqual(['MESH_IDENTITY_KEYS']);
  });
});
