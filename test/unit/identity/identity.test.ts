// The signed identity: what the gateway signs, a service verifies; any change to a value, a key it
// does not know, an expired or oversized value is refused with its own reason.
import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  formatIdentityKeys,
  generateIdentityKey,
  IDENTITY_HEADER,
  IDENTITY_SKEW_MS,
  identityKey,
  identityKeysFromEnv,
  MAX_IDENTITY_LENGTH,
  signIdentity,
  verifyIdentity,
  type IdentityFailure,
} from '../../../runtime/identity/index.js';

const NOW = 1_800_000_000_000;
const currentBytes = randomBytes(32);
const current = identityKey('k2', currentBytes);
const previous = identityKey('k1', randomBytes(32));
const keys = [current, previous];
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';

function reason(value: string | string[] | undefined, ring = keys, now = NOW): IdentityFailure | 'ok' {
  const check = verifyIdentity(value, ring, now);
  return check.ok ? 'ok' : check.reason;
}

/** A value with a valid MAC over any claims text (what a holder of the key could make). */
function signedByHand(claimsText: string, bytes = currentBytes, id = 'k2'): string {
  const signed = `v1.${id}.${Buffer.from(claimsText).toString('base64url')}`;
  return `${signed}.${createHmac('sha256', bytes).update(signed).digest('base64url')}`;
}

describe('signIdentity / verifyIdentity', () => {
  it('round-trips every field, and the expiry', () => {
    const value = signIdentity({ subject: 'u1', roles: ['admin', 'orders:write'], service: 'orders', deadline: NOW + 900, requestId: 'req-1' }, current, { ttlMs: 30_000, now: NOW });
    expect(IDENTITY_HEADER).toBe('x-mesh-identity');
    expect(value).toMatch(/^v1\.k2\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(verifyIdentity(value, keys, NOW)).toEqual({
      ok: true,
      identity: { subject: 'u1', roles: ['admin', 'orders:write'], service: 'orders', deadline: NOW + 900, requestId: 'req-1', expiresAt: NOW + 30_000 },
    });
    const minimal = signIdentity({ subject: 'u2', roles: [] }, current, { now: NOW });
    expect(verifyIdentity(minimal, keys, NOW)).toEqual({ ok: true, identity: { subject: 'u2', roles: [], expiresAt: NOW + 60_000 } });
  });

  it('refuses a change of any character, with the reason of the part changed', () => {
    const value = signIdentity({ subject: 'u1', roles: ['a'] }, current, { now: NOW });
    const [version, id, claims] = value.split('.');
    const macStart = version!.length + id!.length + claims!.length + 3;
    for (let i = 0; i < value.length; i++) {
      for (const replacement of [ALPHABET[(ALPHABET.indexOf(value[i]!) + 1) % ALPHABET.length]!, '~', 'é']) {
        const mutated = value.slice(0, i) + replacement + value.slice(i + 1);
        const got = reason(mutated);
        expect(got, `${i} -> ${replacement}`).not.toBe('ok');
        if (replacement === '~' || replacement === 'é' || value[i] === '.' || replacement === '.') {
          expect(got).toBe('malformed');
        } else if (i < version!.length) expect(got).toBe('malformed');
        else if (i < version!.length + 1 + id!.length) expect(got).toBe('unknownKey');
        else expect(got, `${i} (mac from ${macStart})`).toBe('signature');
      }
    }
  });

  it('refuses deletions, insertions and truncations', () => {
    const value = signIdentity({ subject: 'u1', roles: ['a'] }, current, { now: NOW });
    for (let i = 0; i < value.length; i++) {
      expect(reason(value.slice(0, i) + value.slice(i + 1)), `delete ${i}`).not.toBe('ok');
      expect(reason(value.slice(0, i) + 'A' + value.slice(i)), `insert ${i}`).not.toBe('ok');
      expect(reason(value.slice(0, i)), `truncate ${i}`).not.toBe('ok');
    }
    expect(reason(`${value}A`)).not.toBe('ok');
  });

  it('verifies with the previous key while it is listed (rotation), and refuses it once dropped', () => {
    const old = signIdentity({ subject: 'u1', roles: [] }, previous, { now: NOW });
    expect(reason(old)).toBe('ok');
    expect(reason(old, [current])).toBe('unknownKey');
    expect(reason(signIdentity({ subject: 'u1', roles: [] }, current, { now: NOW }), [current])).toBe('ok');
  });

  it('refuses a value signed by a key of the same id but other bytes', () => {
    const impostor = identityKey('k2', randomBytes(32));
    expect(reason(signIdentity({ subject: 'u1', roles: [] }, impostor, { now: NOW }))).toBe('signature');
  });

  it('accepts a value up to its expiry plus the skew, and refuses it after', () => {
    const value = signIdentity({ subject: 'u1', roles: [] }, current, { ttlMs: 1_000, now: NOW });
    expect(reason(value, keys, NOW + 1_000 + IDENTITY_SKEW_MS)).toBe('ok');
    expect(reason(value, keys, NOW + 1_000 + IDENTITY_SKEW_MS + 1)).toBe('expired');
  });

  it('refuses missing, repeated, oversized and unversioned values without looking further', () => {
    expect(reason(undefined)).toBe('missing');
    expect(reason('')).toBe('missing');
    const value = signIdentity({ subject: 'u1', roles: [] }, current, { now: NOW });
    expect(reason([value, value])).toBe('malformed');
    expect(reason('a'.repeat(MAX_IDENTITY_LENGTH + 1))).toBe('tooLong');
    expect(reason(value.replace(/^v1/, 'v2'))).toBe('malformed');
    expect(reason('v1.k2.e30')).toBe('malformed');
    expect(reason('...')).toBe('malformed');
    expect(reason(`v1.k2..${'A'.repeat(43)}`)).toBe('signature');
  });

  it('refuses authentic claims of the wrong shape as malformed', () => {
    expect(reason(signedByHand('{"sub":"u1","roles":[],"exp":1900000000000}'))).toBe('ok');
    for (const text of ['not json', '[]', 'null', '{"roles":[],"exp":1900000000000}', '{"sub":"","roles":[],"exp":1900000000000}', '{"sub":"u","roles":[1],"exp":1900000000000}', '{"sub":"u","roles":[],"exp":"1900000000000"}', '{"sub":"u","roles":[],"exp":1.5}', '{"sub":"u","roles":[],"exp":1900000000000,"dl":"x"}', '{"sub":"u","roles":[],"exp":1900000000000,"svc":1}']) {
      expect(reason(signedByHand(text)), text).toBe('malformed');
    }
  });

  it('refuses to sign what the verifier would refuse', () => {
    expect(() => signIdentity({ subject: '', roles: [] }, current)).toThrow(/subject/);
    expect(() => signIdentity({ subject: 'u', roles: [1 as unknown as string] }, current)).toThrow(/roles/);
    expect(() => signIdentity({ subject: 'u', roles: [] }, current, { ttlMs: 0 })).toThrow(/ttlMs/);
    expect(() => signIdentity({ subject: 'u', roles: Array(200).fill('r'.repeat(100)) }, current)).toThrow(/over 16384/);
  });
});

describe('identity keys', () => {
  it('reads MESH_IDENTITY_KEYS: the first signs, all verify; base64 and base64url both read', () => {
    const a = randomBytes(32);
    const b = randomBytes(40);
    const ring = identityKeysFromEnv({ MESH_IDENTITY_KEYS: ` new:${a.toString('base64')} , old:${b.toString('base64url')}` });
    expect(ring.map((k) => k.id)).toEqual(['new', 'old']);
    expect(ring[1]!.secret.export().equals(b)).toBe(true);
    const value = signIdentity({ subject: 'u1', roles: [] }, ring[0]!, { now: NOW });
    expect(reason(value, [identityKey('new', a)])).toBe('ok');
  });

  it('round-trips through formatIdentityKeys, and generates fresh 32-byte keys', () => {
    const generated = [generateIdentityKey('g1'), generateIdentityKey()];
    expect(generated[1]!.id).toBe('dev');
    const back = identityKeysFromEnv({ X: formatIdentityKeys(generated) }, 'X');
    expect(back.map((k) => [k.id, k.secret.export().toString('hex')])).toEqual(generated.map((k) => [k.id, k.secret.export().toString('hex')]));
    expect(generated[0]!.secret.export()).toHaveLength(32);
  });

  it('refuses a missing variable, bad entries, repeated ids and short keys, without printing key bytes', () => {
    const short = randomBytes(16).toString('base64');
    expect(() => identityKeysFromEnv({})).toThrow(/MESH_IDENTITY_KEYS is not set/);
    expect(() => identityKeysFromEnv({ MESH_IDENTITY_KEYS: '  ' })).toThrow(/is not set/);
    expect(() => identityKeysFromEnv({ MESH_IDENTITY_KEYS: 'nocolon' })).toThrow(/entry 1 must be id:base64key/);
    expect(() => identityKeysFromEnv({ MESH_IDENTITY_KEYS: `a:${randomBytes(32).toString('base64')},b:not base64!` })).toThrow(/entry 2/);
    expect(() => identityKeysFromEnv({ MESH_IDENTITY_KEYS: `bad id:${randomBytes(32).toString('base64')}` })).toThrow(/must be 1-32 characters/);
    const k = randomBytes(32).toString('base64');
    expect(() => identityKeysFromEnv({ MESH_IDENTITY_KEYS: `a:${k},a:${k}` })).toThrow(/appears twice/);
    let message = '';
    try {
      identityKeysFromEnv({ MESH_IDENTITY_KEYS: `weak:${short}` });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toBe('identity key weak is 16 bytes; at least 32 are needed (openssl rand -base64 32)');
    expect(message).not.toContain(short);
  });
});
