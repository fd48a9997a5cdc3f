// What the gateway knows about an authenticated caller, read from a verified token's claims (or an
// auth service's answer) with bounds: the identity travels on to every service in a header.
import { AuthError } from './errors.js';

/** An authenticated caller. */
export interface VerifiedIdentity {
  /** Who: the token's subject (or what the auth service answered). */
  readonly subject: string;
  /** What they may do; empty when the token names none. */
  readonly roles: readonly string[];
  /** When the credential stops being valid, epoch milliseconds; absent when it does not say. */
  readonly expiresAt?: number;
}

/** Longest subject accepted, characters. */
export const MAX_SUBJECT_LENGTH = 256;
/** Most roles accepted. */
export const MAX_ROLES = 64;
/** Longest role accepted, characters. */
export const MAX_ROLE_LENGTH = 128;

/**
 * The claim `name` of `claims`: the property of that exact name, else (for `a.b.c`) the nested
 * property, so `realm_access.roles` (Keycloak) works beside `https://example.com/roles` (Auth0).
 */
function claimAt(claims: Readonly<Record<string, unknown>>, name: string): unknown {
  if (Object.hasOwn(claims, name)) return claims[name];
  if (!name.includes('.')) return undefined;
  let value: unknown = claims;
  for (const part of name.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function rolesOf(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  // OAuth `scope` is one string of space-separated names.
  const roles = typeof value === 'string' ? value.split(' ').filter((r) => r !== '') : value;
  if (!Array.isArray(roles) || roles.length > MAX_ROLES) throw new AuthError('claims');
  for (const role of roles) {
    if (typeof role !== 'string' || role === '' || role.length > MAX_ROLE_LENGTH) throw new AuthError('claims');
  }
  return [...(roles as string[])];
}

/**
 * The identity `claims` describe.
 *
 * @param claims A verified claim set (or an auth service's JSON answer).
 * @param subjectClaim The claim holding the subject (a non-empty string up to {@link MAX_SUBJECT_LENGTH}).
 * @param rolesClaim The claim holding the roles: an array of strings, or one space-separated string
 *   (`scope`); absent means no roles. A dotted name reaches into nested objects.
 * @param expiresAt Epoch ms the identity stops being valid. Default none.
 * @throws AuthError `claims` when the subject is missing or either claim has the wrong shape or size.
 * @example
 * identityFromClaims({ sub: 'u1', scope: 'read write' }, 'sub', 'scope'); // { subject: 'u1', roles: ['read', 'write'] }
 */
export function identityFromClaims(claims: Readonly<Record<string, unknown>>, subjectClaim: string, rolesClaim: string, expiresAt?: number): VerifiedIdentity {
  const subject = claimAt(claims, subjectClaim);
  if (typeof subject !== 'string' || subject === '' || subject.length > MAX_SUBJECT_LENGTH) throw new AuthError('claims');
  const roles = rolesOf(claimAt(claims, rolesClaim));
  return expiresAt === undefined ? { subject, roles } : { subject, roles, expiresAt };
}
