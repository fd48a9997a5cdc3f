// A token for local development: `meshspec dev` prints one signed with the dev stack's secret, so a
// developer can call protected routes with curl without running an identity provider.
import { SignJWT } from 'jose';
import { secretKey } from './keys.js';

/** Options of {@link developmentToken}. */
export interface DevelopmentTokenOptions {
  /** The HS256 secret the gateway verifies with (at least 32 bytes). */
  readonly secret: string | Uint8Array;
  /** The `sub` claim. Default `developer`. */
  readonly subject?: string;
  /** The `roles` claim. Default none. */
  readonly roles?: readonly string[];
  /** The `iss` claim. Default none. */
  readonly issuer?: string;
  /** The `aud` claim. Default none. */
  readonly audience?: string | readonly string[];
  /** Lifetime, seconds. Default 3600 (one hour). */
  readonly ttlSec?: number;
  /** The clock, epoch ms. Default `Date.now`. */
  readonly now?: () => number;
}

/**
 * A signed HS256 JWT with `sub`, `roles`, `iat`, `exp` (and `iss`, `aud` when given).
 *
 * @param options See {@link DevelopmentTokenOptions}: secret required; subject `developer`, ttlSec 3600 by default.
 * @example
 * const token = await developmentToken({ secret: process.env.JWT_SECRET!, roles: ['admin'], issuer: 'shop', audience: 'shop-api' });
 * console.log(`curl -H "Authorization: Bearer ${token}" http://localhost:8080/api/v1/orders`);
 */
export async function developmentToken(options: DevelopmentTokenOptions): Promise<string> {
  const key = secretKey(options.secret, ['HS256']);
  const ttlSec = options.ttlSec ?? 3600;
  if (!Number.isInteger(ttlSec) || ttlSec <= 0) throw new Error('developmentToken: ttlSec must be a positive whole number of seconds');
  const subject = options.subject ?? 'developer';
  if (subject === '') throw new Error('developmentToken: subject must not be empty');
  const issuedAt = Math.floor((options.now ?? Date.now)() / 1000);
  const jwt = new SignJWT({ roles: [...(options.roles ?? [])] })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(subject)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ttlSec);
  if (options.issuer !== undefined) jwt.setIssuer(options.issuer);
  if (options.audience !== undefined) jwt.setAudience(typeof options.audience === 'string' ? options.audience : [...options.audience]);
  return jwt.sign(key);
}
