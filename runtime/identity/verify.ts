// Verifying the identity the gateway asserted, on every request a service serves: no exceptions, no
// allocation beyond the HMAC and the claims, the MAC compared in constant time, and the claims parsed
// only once the MAC matched.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { MAC_LENGTH, MAX_IDENTITY_LENGTH, VERSION, type WireClaims } from './format.js';
import type { IdentityCheck, IdentityFailure, SignedIdentity } from './identity.js';
import type { IdentityKey } from './keys.js';

/** Clock difference tolerated on the expiry, ms. */
export const IDENTITY_SKEW_MS = 5_000;

const WIRE_CHARACTERS = /^[A-Za-z0-9._-]+$/;

const refusals = new Map<IdentityFailure, IdentityCheck>(
  (['missing', 'tooLong', 'malformed', 'unknownKey', 'signature', 'expired'] as const).map((reason) => [reason, { ok: false, reason }]),
);

function refuse(reason: IdentityFailure): IdentityCheck {
  return refusals.get(reason)!;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

/** The identity the (authentic) claims hold, or null when their shape is wrong. */
function identityOf(claims: unknown): SignedIdentity | null {
  if (typeof claims !== 'object' || claims === null) return null;
  const { sub, roles, exp, svc, dl, rid } = claims as Partial<Record<keyof WireClaims, unknown>>;
  if (typeof sub !== 'string' || sub === '' || !isStringArray(roles) || !Number.isSafeInteger(exp)) return null;
  if ((svc !== undefined && typeof svc !== 'string') || (dl !== undefined && !Number.isSafeInteger(dl)) || (rid !== undefined && typeof rid !== 'string')) return null;
  return {
    subject: sub,
    roles,
    expiresAt: exp as number,
    ...(svc !== undefined ? { service: svc } : {}),
    ...(dl !== undefined ? { deadline: dl as number } : {}),
    ...(rid !== undefined ? { requestId: rid } : {}),
  };
}

/**
 * The identity `value` asserts, when it was signed by one of `keys` and has not expired.
 *
 * @param value The header's value (`x-mesh-identity`); an array (the header sent twice) is refused.
 * @param keys The keys accepted, found by the id inside the value (current and previous ones).
 * @param now The clock, epoch ms. Default `Date.now()`.
 * @returns `{ ok: true, identity }`, or `{ ok: false, reason }` with reason missing, tooLong,
 *   malformed, unknownKey, signature or expired ({@link IDENTITY_SKEW_MS} of skew tolerated).
 * @example
 * const check = verifyIdentity(req.headers['x-mesh-identity'], keys);
 * if (!check.ok) return reply(401, check.reason);
 * check.identity.subject; // 'u1'
 */
export function verifyIdentity(value: string | readonly string[] | undefined, keys: readonly IdentityKey[], now: number = Date.now()): IdentityCheck {
  if (value === undefined || value === '') return refuse('missing');
  if (typeof value !== 'string') return refuse('malformed');
  if (value.length > MAX_IDENTITY_LENGTH) return refuse('tooLong');
  // Only base64url and dots: no other character (non-ASCII above all) reaches the comparisons.
  if (!WIRE_CHARACTERS.test(value)) return refuse('malformed');
  const afterVersion = value.indexOf('.');
  const afterId = value.indexOf('.', afterVersion + 1);
  const beforeMac = value.lastIndexOf('.');
  if (afterVersion < 0 || afterId < 0 || beforeMac <= afterId || value.length - beforeMac - 1 !== MAC_LENGTH) return refuse('malformed');
  if (value.slice(0, afterVersion) !== VERSION) return refuse('malformed');
  const id = value.slice(afterVersion + 1, afterId);
  let key: IdentityKey | undefined;
  for (const candidate of keys) {
    if (candidate.id === id) {
      key = candidate;
      break;
    }
  }
  if (!key) return refuse('unknownKey');
  const signed = value.slice(0, beforeMac);
  // Both MACs are compared as their base64url text: a different text is a different value, so no
  // alternative spelling of the same bytes (non-canonical base64) can pass.
  const expected = Buffer.from(createHmac('sha256', key.secret).update(signed).digest('base64url'), 'latin1');
  const given = Buffer.from(value.slice(beforeMac + 1), 'latin1');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return refuse('signature');
  let identity: SignedIdentity | null;
  try {
    identity = identityOf(JSON.parse(Buffer.from(value.slice(afterId + 1, beforeMac), 'base64url').toString('utf8')));
  } catch {
    identity = null;
  }
  if (!identity) return refuse('malformed');
  if (now > identity.expiresAt + IDENTITY_SKEW_MS) return refuse('expired');
  return { ok: true, identity };
}
