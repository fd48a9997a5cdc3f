// A verifier's configuration is checked when it is built: a mistake stops the gateway at start with a
// message saying what to change, instead of answering 401 to every request.
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createJwtVerifier, type JwtVerifierOptions } from '../../../../runtime/gateway/auth/index.js';
import { CERTIFICATE_KEY_PEM, CERTIFICATE_PEM } from '../../../support/jwt-certificate.js';
import { SECRET, testKeyPair } from '../../../support/jwt.js';

function build(options: unknown): () => void {
  return () => createJwtVerifier(options as JwtVerifierOptions);
}

describe('createJwtVerifier configuration', () => {
  it('refuses an empty allowlist, none (any case), unknown algorithms and duplicates', () => {
    expect(build({ algorithms: [], keys: { secret: SECRET } })).toThrow(/at least one algorithm/);
    expect(build({ algorithms: ['none'], keys: { secret: SECRET } })).toThrow(/"none" is never accepted/);
    expect(build({ algorithms: ['HS256', 'NONE'], keys: { secret: SECRET } })).toThrow(/"none" is never accepted/);
    expect(build({ algorithms: ['HS1'], keys: { secret: SECRET } })).toThrow(/unknown algorithm "HS1"/);
    expect(build({ algorithms: ['HS256', 'HS256'], keys: { secret: SECRET } })).toThrow(/twice/);
  });

  it('refuses HMAC mixed with asymmetric algorithms, whatever the key', async () => {
    const rsa = await testKeyPair('RS256');
    expect(build({ algorithms: ['HS256', 'RS256'], keys: { secret: SECRET } })).toThrow(/cannot be mixed/);
    expect(build({ algorithms: ['RS256', 'HS256'], keys: { publicKeyPem: rsa.publicKeyPem } })).toThrow(/cannot be mixed/);
  });

  it('refuses a key of the wrong kind for the algorithms', async () => {
    const rsa = await testKeyPair('RS256');
    expect(build({ algorithms: ['RS256'], keys: { secret: SECRET } })).toThrow(/secret verifies HS256/);
    expect(build({ algorithms: ['HS256'], keys: { publicKeyPem: rsa.publicKeyPem } })).toThrow(/need keys: \{ secret \}/);
    expect(build({ algorithms: ['HS256'], keys: { jwksUrl: 'https://x/jwks' } })).toThrow(/need keys: \{ secret \}/);
    expect(build({ algorithms: ['RS256'], keys: {} })).toThrow(/keys must be/);
    expect(build({ algorithms: ['RS256'] })).toThrow(/keys must be/);
  });

  it('refuses secrets shorter than the hash (32, 48, 64 bytes)', () => {
    expect(build({ algorithms: ['HS256'], keys: { secret: 'x'.repeat(31) } })).toThrow(/31 bytes; HS256 needs at least 32/);
    expect(build({ algorithms: ['HS256', 'HS512'], keys: { secret: 'x'.repeat(32) } })).toThrow(/needs at least 64/);
    expect(build({ algorithms: ['HS384'], keys: { secret: new Uint8Array(48) } })).not.toThrow();
  });

  it('refuses a PEM as an HMAC secret', async () => {
    const rsa = await testKeyPair('RS256');
    expect(build({ algorithms: ['HS256'], keys: { secret: rsa.publicKeyPem } })).toThrow(/secret is a PEM key/);
    expect(build({ algorithms: ['HS256'], keys: { secret: Buffer.from(rsa.publicKeyPem) } })).toThrow(/secret is a PEM key/);
    expect(build({ algorithms: ['HS256'], keys: { secret: CERTIFICATE_PEM } })).toThrow(/secret is a PEM key/);
  });

  it('refuses private keys, unreadable PEMs and keys that do not fit an algorithm', async () => {
    const ec = await testKeyPair('ES256');
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(build({ algorithms: ['RS256'], keys: { publicKeyPem: CERTIFICATE_KEY_PEM } })).toThrow(/private key/);
    expect(build({ algorithms: ['RS256'], keys: { publicKeyPem: '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----' } })).toThrow(/could not be read/);
    expect(build({ algorithms: ['RS256'], keys: { publicKeyPem: 'not a pem' } })).toThrow(/must be a PEM/);
    expect(build({ algorithms: ['RS256'], keys: { publicKeyPem: ec.publicKeyPem } })).toThrow(/does not fit RS256: it is a ec key/);
    expect(build({ algorithms: ['ES384'], keys: { publicKeyPem: ec.publicKeyPem } })).toThrow(/not EC secp384r1/);
    expect(build({ algorithms: ['EdDSA'], keys: { publicKeyPem: ec.publicKeyPem } })).toThrow(/not Ed25519/);
    expect(build({ algorithms: ['RS256'], keys: { publicKeyPem: small } })).toThrow(/at least 2048 bits, this one has 1024/);
  });

  it('refuses a JWKS URL that is not http(s) or carries credentials', () => {
    expect(build({ algorithms: ['RS256'], keys: { jwksUrl: 'not a url' } })).toThrow(/not a URL/);
    expect(build({ algorithms: ['RS256'], keys: { jwksUrl: 'file:///etc/jwks.json' } })).toThrow(/https/);
    expect(build({ algorithms: ['RS256'], keys: { jwksUrl: 'https://user:pw@idp/jwks' } })).toThrow(/credentials/);
  });

  it('refuses bad tolerances, ages and claim names', () => {
    const base = { algorithms: ['HS256'], keys: { secret: SECRET } };
    expect(build({ ...base, clockToleranceSec: -1 })).toThrow(/clockToleranceSec/);
    expect(build({ ...base, maxTokenAgeSec: 0 })).toThrow(/maxTokenAgeSec/);
    expect(build({ ...base, rolesClaim: '' })).toThrow(/rolesClaim/);
  });
});
