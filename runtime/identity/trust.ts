// Which caller identity a service believes, and how it asserts its own on the calls it makes. With
// identity keys (MESH_IDENTITY_KEYS, production): only a signed `x-mesh-identity` is believed, an
// invalid one is refused, and an unsigned `x-mesh-caller` counts for nothing, so a client that
// reaches a service past the gateway can claim nobody. Without keys (development): the unsigned
// header is read as before, and only the gateway's stripping of client x-mesh-* headers protects it.
import { Unauthorized } from '../errors/index.js';
import type { Caller } from '../context/index.js';
import { callerOf } from '../context/caller.js';
import { IDENTITY_HEADER } from './format.js';
import type { IdentityKey } from './keys.js';
import { signIdentity } from './sign.js';
import { verifyIdentity } from './verify.js';

/** The unsigned caller header: base64url of the JSON `{subject, service?, roles?}`. */
export const UNSIGNED_CALLER_HEADER = 'x-mesh-caller';

/** How long a service's own signed identity is valid; it is signed again after half of it. */
const OWN_IDENTITY_TTL_MS = 60_000;

/**
 * What a service believes about callers, and what it sends about itself.
 *
 * @example
 * const trust = createCallerTrust(identityKeysFromEnv());
 * const caller = trust.incoming(req.headers['x-mesh-identity'], req.headers['x-mesh-caller']);
 */
export interface CallerTrust {
  /** True when identities are signed and verified (keys are set). */
  readonly verifies: boolean;
  /**
   * The caller a request asserts, or null when it asserts none.
   *
   * @param signed - the `x-mesh-identity` value
   * @param unsigned - the `x-mesh-caller` value (read only without keys)
   * @throws Unauthorized when a signed identity is present and not valid (forged, expired, unknown key)
   */
  incoming(signed: string | undefined, unsigned: string | undefined): Caller | null;
  /**
   * The headers (or gRPC metadata) asserting `caller` on an outgoing call, as `[name, value]` pairs.
   *
   * @param caller - the calling service's identity
   */
  outgoing(caller: Caller): readonly (readonly [string, string])[];
}

/**
 * The trust of a service holding `keys` (the first signs, all verify); no keys: unsigned headers.
 *
 * @param keys - the mesh's identity keys, or none
 * @param now - the clock, epoch ms (tests); default Date.now
 * @example
 * const trust = createCallerTrust([]); // development: x-mesh-caller as sent
 */
export function createCallerTrust(keys: readonly IdentityKey[], now: () => number = Date.now): CallerTrust {
  if (keys.length === 0) {
    return {
      verifies: false,
      incoming: (_signed, unsigned) => decodeUnsignedCaller(unsigned),
      outgoing: (caller) => [[UNSIGNED_CALLER_HEADER, encodeUnsignedCaller(caller)]],
    };
  }
  const signer = keys[0] as IdentityKey;
  // A service asserts the same identity on every call: signed once, used until half its life is over,
  // so a call costs no HMAC. (The gateway binds each user's identity to the request instead.)
  const own = new Map<string, { value: string; renewAt: number }>();
  return {
    verifies: true,
    incoming(signed) {
      if (signed === undefined || signed === '') return null;
      const check = verifyIdentity(signed, keys, now());
      if (!check.ok) throw new Unauthorized(`the caller identity is not valid (${check.reason})`);
      const { subject, roles, service } = check.identity;
      return { subject, roles: [...roles], ...(service === undefined ? {} : { service }) };
    },
    outgoing(caller) {
      const at = now();
      let cached = own.get(caller.subject);
      if (!cached || at >= cached.renewAt) {
        const value = signIdentity({ subject: caller.subject, roles: caller.roles ?? [], ...(caller.service === undefined ? {} : { service: caller.service }) }, signer, { ttlMs: OWN_IDENTITY_TTL_MS, now: at });
        cached = { value, renewAt: at + OWN_IDENTITY_TTL_MS / 2 };
        if (own.size > 64) own.clear();
        own.set(caller.subject, cached);
      }
      return [[IDENTITY_HEADER, cached.value]];
    },
  };
}

/** The trust of a service without identity keys. */
export const UNSIGNED_TRUST: CallerTrust = createCallerTrust([]);

/**
 * The unsigned caller header's value for `caller`.
 *
 * @param caller - the caller
 * @example
 * encodeUnsignedCaller({ subject: 'service:orders', service: 'orders' }); // base64url of its JSON
 */
export function encodeUnsignedCaller(caller: Caller): string {
  return Buffer.from(JSON.stringify(caller)).toString('base64url');
}

/**
 * The caller an unsigned header value describes; null when absent or malformed (treated as none).
 *
 * @param value - the x-mesh-caller value
 * @example
 * decodeUnsignedCaller(encodeUnsignedCaller({ subject: 'u1' })); // { subject: 'u1' }
 */
export function decodeUnsignedCaller(value: string | undefined): Caller | null {
  if (!value) return null;
  try {
    return callerOf(JSON.parse(Buffer.from(value, 'base64url').toString('utf8')));
  } catch {
    return null;
  }
}
