// Tokens for the gateway's authentication tests: keys of each algorithm, tokens signed with jose, and
// the hostile ones jose would refuse to make (alg none, an HMAC signed with a public key's PEM).
import { createHmac } from 'node:crypto';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

/** A 32-byte HS256 secret. */
export const SECRET = 'a-test-secret-of-thirty-two-byte';

/** Epoch seconds now. */
export function nowSec(): number {
  return Math.floor(Date.now() / 1000);
}

export interface TestKeyPair {
  readonly alg: string;
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  readonly publicKeyPem: string;
  /** The public key as a JWK with `kid`, `alg` and `use` set. */
  jwk(kid: string): Promise<JWK>;
}

/**
 * A fresh key pair for `alg`.
 *
 * @example
 * const rsa = await testKeyPair('RS256');
 */
export async function testKeyPair(alg: string): Promise<TestKeyPair> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicKeyPem = await exportSPKI(publicKey);
  return {
    alg,
    privateKey,
    publicKey,
    publicKeyPem,
    jwk: async (kid) => ({ ...(await exportJWK(publicKey)), kid, alg, use: 'sig' }),
  };
}

/**
 * A JWT with `claims` (default: `sub: 'u1'`, exp in an hour), signed with jose.
 *
 * @example
 * await signToken(SECRET, 'HS256', { iss: 'shop' });
 */
export async function signToken(key: CryptoKey | Uint8Array | string, alg: string, claims: JWTPayload = {}, header: Record<string, unknown> = {}): Promise<string> {
  const payload: JWTPayload = { sub: 'u1', exp: nowSec() + 3600, ...claims };
  const signing = typeof key === 'string' ? new TextEncoder().encode(key) : key;
  return new SignJWT(payload).setProtectedHeader({ ...header, alg }).sign(signing);
}

function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** An unsigned token (`alg: none`, empty signature), crafted by hand: jose does not make them. */
export function noneToken(claims: JWTPayload = { sub: 'u1', exp: nowSec() + 3600 }): string {
  return `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
}

/**
 * An HS256 token whose HMAC key is `secret`'s bytes, crafted by hand so that any bytes can be the key
 * (the RS/HS confusion attack signs with the public key's PEM).
 */
export function hmacToken(secret: string, claims: JWTPayload = { sub: 'u1', exp: nowSec() + 3600 }, alg = 'HS256'): string {
  const signed = `${b64({ alg, typ: 'JWT' })}.${b64(claims)}`;
  const hash = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' }[alg] ?? 'sha256';
  return `${signed}.${createHmac(hash, secret).update(signed).digest('base64url')}`;
}
