// Signing the identity the gateway asserts, for the services behind it to verify.
import { createHmac } from 'node:crypto';
import { MAX_IDENTITY_LENGTH, VERSION, type WireClaims } from './format.js';
import type { AssertedIdentity } from './identity.js';
import type { IdentityKey } from './keys.js';

/** Options of {@link signIdentity}. */
export interface SignIdentityOptions {
  /** How long the value is accepted, ms. Default 60_000. */
  readonly ttlMs?: number;
  /** The clock, epoch ms. Default `Date.now()`. */
  readonly now?: number;
}

/**
 * The header value asserting `identity`, signed with `key`.
 *
 * @param identity Who is calling.
 * @param key The signing key (the first of {@link identityKeysFromEnv}).
 * @param options ttlMs 60_000, now `Date.now()` by default.
 * @throws Error when the identity has no subject, a role is not a string, or the value would be over
 *   {@link MAX_IDENTITY_LENGTH} (the verifier would refuse it).
 * @example
 * headers['x-mesh-identity'] = signIdentity({ subject: 'u1', roles: ['admin'], requestId }, keys[0]!, { ttlMs: 30_000 });
 */
export function signIdentity(identity: AssertedIdentity, key: IdentityKey, options: SignIdentityOptions = {}): string {
  const ttlMs = options.ttlMs ?? 60_000;
  if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0) throw new Error('signIdentity: ttlMs must be a positive whole number of ms');
  if (typeof identity.subject !== 'string' || identity.subject === '') throw new Error('signIdentity: the subject must be a non-empty string');
  if (!Array.isArray(identity.roles) || !identity.roles.every((r) => typeof r === 'string')) throw new Error('signIdentity: roles must be strings');
  const claims: WireClaims = { sub: identity.subject, roles: [...identity.roles], exp: (options.now ?? Date.now()) + ttlMs };
  if (identity.service !== undefined) claims.svc = identity.service;
  if (identity.deadline !== undefined) claims.dl = identity.deadline;
  if (identity.requestId !== undefined) claims.rid = identity.requestId;
  const signed = `${VERSION}.${key.id}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  const value = `${signed}.${createHmac('sha256', key.secret).update(signed).digest('base64url')}`;
  if (value.length > MAX_IDENTITY_LENGTH) throw new Error(`signIdentity: the signed identity is ${value.length} characters, over ${MAX_IDENTITY_LENGTH}`);
  return value;
}
