// The keys that sign and verify the identity the gateway asserts. They come from a Secret as one
// variable, `MESH_IDENTITY_KEYS=id1:base64key,id2:base64key`: the first signs, all verify, so a key is
// rotated by putting the new one first, deploying, then dropping the old one.
import { createSecretKey, randomBytes, type KeyObject } from 'node:crypto';

/** One identity key. */
export interface IdentityKey {
  /** Names the key inside every value it signs (1-32 of `A-Z a-z 0-9 _ -`). */
  readonly id: string;
  /** The HMAC-SHA256 key. */
  readonly secret: KeyObject;
}

/** The environment variable {@link identityKeysFromEnv} reads by default. */
export const IDENTITY_KEYS_VARIABLE = 'MESH_IDENTITY_KEYS';
/** Shortest key accepted, bytes (HMAC-SHA256's output size). */
export const MIN_IDENTITY_KEY_BYTES = 32;

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]+={0,2}|[A-Za-z0-9_-]+)$/;

/**
 * An identity key, checked.
 *
 * @param id The key's id (1-32 of `A-Z a-z 0-9 _ -`).
 * @param secret The key's bytes, at least {@link MIN_IDENTITY_KEY_BYTES}.
 * @throws Error naming the key when the id or the length is wrong (never the key's bytes).
 * @example
 * const key = identityKey('2026-12', randomBytes(32));
 */
export function identityKey(id: string, secret: Uint8Array): IdentityKey {
  if (!KEY_ID.test(id)) throw new Error(`identity key id ${JSON.stringify(id.slice(0, 40))} must be 1-32 characters of A-Z a-z 0-9 _ -`);
  if (secret.length < MIN_IDENTITY_KEY_BYTES) {
    throw new Error(`identity key ${id} is ${secret.length} bytes; at least ${MIN_IDENTITY_KEY_BYTES} are needed (openssl rand -base64 32)`);
  }
  return { id, secret: createSecretKey(secret) };
}

/**
 * The identity keys of `env`: the first signs, all verify.
 *
 * @param env The environment. Default `process.env`.
 * @param variable The variable holding `id1:base64key,id2:base64key`. Default `MESH_IDENTITY_KEYS`.
 * @throws Error when the variable is missing or empty, an entry is not `id:base64`, an id repeats, or a key is too short.
 * @example
 * // MESH_IDENTITY_KEYS=k2:q83v...,k1:Zm9v...
 * const keys = identityKeysFromEnv();
 * const value = signIdentity({ subject: 'u1', roles: [] }, keys[0]!);
 */
export function identityKeysFromEnv(env: Readonly<Record<string, string | undefined>> = process.env, variable = IDENTITY_KEYS_VARIABLE): IdentityKey[] {
  const raw = env[variable]?.trim();
  if (!raw) throw new Error(`${variable} is not set: it must hold the mesh's identity keys as id:base64key[,id:base64key...] (first signs, all verify)`);
  const keys = raw.split(',').map((entry, index) => {
    const at = entry.indexOf(':');
    const id = entry.slice(0, at).trim();
    const encoded = entry.slice(at + 1).trim();
    if (at <= 0 || !BASE64.test(encoded)) throw new Error(`${variable}: entry ${index + 1} must be id:base64key`);
    return identityKey(id, Buffer.from(encoded, encoded.includes('-') || encoded.includes('_') ? 'base64url' : 'base64'));
  });
  const ids = new Set(keys.map((k) => k.id));
  if (ids.size !== keys.length) throw new Error(`${variable}: a key id appears twice`);
  return keys;
}

/**
 * A fresh random key (32 bytes), e.g. for `meshspec dev`.
 *
 * @param id The key's id. Default `dev`.
 * @example
 * const key = generateIdentityKey('k1');
 */
export function generateIdentityKey(id = 'dev'): IdentityKey {
  return identityKey(id, randomBytes(MIN_IDENTITY_KEY_BYTES));
}

/**
 * `keys` as the value {@link identityKeysFromEnv} reads (to hand the same keys to child processes).
 *
 * @param keys First signs, all verify.
 * @example
 * env.MESH_IDENTITY_KEYS = formatIdentityKeys([generateIdentityKey()]);
 */
export function formatIdentityKeys(keys: readonly IdentityKey[]): string {
  return keys.map((k) => `${k.id}:${k.secret.export().toString('base64')}`).join(',');
}
