// The path the gateway will wire: a client's bearer header verified, the identity signed for the
// upstream, and the service verifying it; the modules' types and values line up end to end.
import { describe, expect, it } from 'vitest';
import { bearerToken, createJwtVerifier, developmentToken } from '../../../runtime/gateway/auth/index.js';
import { generateIdentityKey, signIdentity, verifyIdentity } from '../../../runtime/identity/index.js';
import { SECRET } from '../../support/jwt.js';

describe('bearer token to signed identity to service', () => {
  it('carries subject and roles from the client token to the service, bound to the request', async () => {
    const verifier = createJwtVerifier({ algorithms: ['HS256'], keys: { secret: SECRET }, issuer: 'shop', audience: 'shop-api' });
    const token = await developmentToken({ secret: SECRET, subject: 'alice', roles: ['buyer'], issuer: 'shop', audience: 'shop-api' });
    const identity = await verifier.verify(bearerToken(`Bearer ${token}`));

    const keys = [generateIdentityKey('k1')];
    const now = Date.now();
    const header = signIdentity({ ...identity, requestId: 'req-9', deadline: now + 2_000 }, keys[0]!, { ttlMs: 10_000, now });
    const check = verifyIdentity(header, keys, now + 50);
    expect(check).toEqual({
      ok: true,
      identity: { subject: 'alice', roles: ['buyer'], requestId: 'req-9', deadline: now + 2_000, expiresAt: now + 10_000 },
    });
  });
});
