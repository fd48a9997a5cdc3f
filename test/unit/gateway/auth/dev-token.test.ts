// The token `meshspec dev` prints is accepted by a verifier configured as the dev gateway is.
import { decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { createJwtVerifier, developmentToken } from '../../../../runtime/gateway/auth/index.js';
import { SECRET } from '../../../support/jwt.js';

describe('developmentToken', () => {
  it('signs an HS256 token a verifier with the same secret, issuer and audience accepts', async () => {
    const token = await developmentToken({ secret: SECRET, subject: 'dev-1', roles: ['admin'], issuer: 'shop', audience: 'shop-api', ttlSec: 120 });
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', typ: 'JWT' });
    const verifier = createJwtVerifier({ algorithms: ['HS256'], keys: { secret: SECRET }, issuer: 'shop', audience: 'shop-api', maxTokenAgeSec: 300 });
    const identity = await verifier.verify(token);
    expect(identity.subject).toBe('dev-1');
    expect(identity.roles).toEqual(['admin']);
    expect(identity.expiresAt! - Date.now()).toBeGreaterThan(100_000);
    expect(identity.expiresAt! - Date.now()).toBeLessThanOrEqual(120_000);
  });

  it('defaults to subject developer, no roles, one hour', async () => {
    const token = await developmentToken({ secret: SECRET, now: () => 1_000_000_000_000 });
    const verifier = createJwtVerifier({ algorithms: ['HS256'], keys: { secret: SECRET }, now: () => 1_000_000_000_000 });
    expect(await verifier.verify(token)).toEqual({ subject: 'developer', roles: [], expiresAt: 1_000_003_600_000 });
  });

  it('refuses a short secret, a bad lifetime and an empty subject', async () => {
    await expect(developmentToken({ secret: 'short' })).rejects.toThrow(/at least 32/);
    await expect(developmentToken({ secret: SECRET, ttlSec: 0 })).rejects.toThrow(/ttlSec/);
    await expect(developmentToken({ secret: SECRET, subject: '' })).rejects.toThrow(/subject/);
  });
});
