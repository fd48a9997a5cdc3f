// The key material a verifier checks signatures with, validated when the verifier is built so that a
// configuration mistake stops the gateway at start instead of answering 401 to everyone.
import { createPublicKey, type KeyObject } from 'node:crypto';
import type { JwtAlgorithm } from './algorithms.js';

/** Where the verification key comes from: a shared secret, a public key, or a JWKS endpoint. */
export type JwtKeySource = JwtSecretKey | JwtPublicKey | JwtRemoteKeys;

/** A shared secret (HS256/384/512). */
export interface JwtSecretKey {
  /** The secret: a string (its UTF-8 bytes) or bytes. At least 32 bytes for HS256, 48 for HS384, 64 for HS512. */
  readonly secret: string | Uint8Array;
}

/** One public key (RS*, PS*, ES*, EdDSA). */
export interface JwtPublicKey {
  /** SPKI PEM (`-----BEGIN PUBLIC KEY-----`) or an X.509 certificate PEM. */
  readonly publicKeyPem: string;
}

/** A JWKS endpoint (RS*, PS*, ES*, EdDSA): keys picked by `kid`, refetched when an unknown `kid` shows up. */
export interface JwtRemoteKeys {
  /** `http(s)` URL of the JSON Web Key Set. */
  readonly jwksUrl: string;
  /** Age at which the key set is refetched in the background (requests keep using it meanwhile), ms. Default 600_000. */
  readonly cacheMaxAgeMs?: number;
  /** How much longer an old key set is used while refetching it fails; after that, requests wait for a fetch and get 503 when it fails, ms. Default 3_600_000. */
  readonly staleIfErrorMs?: number;
  /** Told each failed background refetch (to log it: the set in use is getting old). Default none. */
  readonly onRefreshError?: (error: unknown) => void;
  /** Least time between two fetches caused by unknown `kid`s, ms (a flood of made-up kids costs one fetch). Default 30_000. */
  readonly cooldownMs?: number;
  /** How long one fetch may take, ms. Default 5_000. */
  readonly timeoutMs?: number;
}

/** Smallest HMAC secret per algorithm, bytes: the hash's output size (RFC 7518 §3.2). */
const MIN_SECRET_BYTES: Readonly<Record<string, number>> = { HS256: 32, HS384: 48, HS512: 64 };

const PEM = /-----BEGIN [A-Z ]*KEY-----|-----BEGIN CERTIFICATE-----/;

/** The curve each ECDSA algorithm signs with (node's names). */
const CURVES: Readonly<Record<string, string>> = { ES256: 'prime256v1', ES384: 'secp384r1', ES512: 'secp521r1' };

/**
 * The secret's bytes, checked: long enough for every listed algorithm, and not a PEM key (a public key
 * used as an HMAC secret is public).
 *
 * @param secret As configured.
 * @param algorithms The verifier's HMAC algorithms.
 * @example
 * secretKey(process.env.JWT_SECRET!, ['HS256']);
 */
export function secretKey(secret: string | Uint8Array, algorithms: readonly JwtAlgorithm[]): Uint8Array {
  const bytes = typeof secret === 'string' ? new TextEncoder().encode(secret) : secret;
  if (!(bytes instanceof Uint8Array)) throw new Error('jwt: secret must be a string or bytes');
  if (PEM.test(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1'))) {
    throw new Error('jwt: the secret is a PEM key; give a public key as publicKeyPem and use an asymmetric algorithm');
  }
  const needed = Math.max(...algorithms.map((alg) => MIN_SECRET_BYTES[alg] ?? 32));
  if (bytes.length < needed) {
    throw new Error(`jwt: the secret is ${bytes.length} bytes; ${algorithms.join('/')} needs at least ${needed} (e.g. openssl rand -base64 ${needed})`);
  }
  return bytes;
}

/**
 * The public key of `pem`, checked to fit every listed algorithm.
 *
 * @param pem SPKI PEM or X.509 certificate PEM.
 * @param algorithms The verifier's asymmetric algorithms.
 * @throws Error for a private key, unreadable PEM, or a key that does not fit an algorithm.
 * @example
 * publicKey(readFileSync('jwt.pub.pem', 'utf8'), ['RS256']);
 */
export function publicKey(pem: string, algorithms: readonly JwtAlgorithm[]): KeyObject {
  if (typeof pem !== 'string' || !pem.includes('-----BEGIN')) throw new Error('jwt: publicKeyPem must be a PEM public key or certificate');
  if (/PRIVATE KEY-----/.test(pem)) throw new Error('jwt: publicKeyPem holds a private key; give the public key (SPKI) or certificate only');
  let key: KeyObject;
  try {
    // A certificate PEM yields its subject's public key.
    key = createPublicKey(pem);
  } catch {
    throw new Error('jwt: publicKeyPem could not be read as an SPKI public key or X.509 certificate');
  }
  for (const alg of algorithms) {
    const problem = misfit(key, alg);
    if (problem) throw new Error(`jwt: publicKeyPem does not fit ${alg}: ${problem}`);
  }
  return key;
}

function misfit(key: KeyObject, alg: JwtAlgorithm): string | undefined {
  const type = key.asymmetricKeyType;
  if (alg.startsWith('RS') || alg.startsWith('PS')) {
    if (type !== 'rsa' && !(type === 'rsa-pss' && alg.startsWith('PS'))) return `it is a ${type} key, not RSA`;
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    return bits < 2048 ? `RSA keys must have at least 2048 bits, this one has ${bits}` : undefined;
  }
  if (alg.startsWith('ES')) {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    return type === 'ec' && curve === CURVES[alg] ? undefined : `it is a ${type}${curve ? ` ${curve}` : ''} key, not EC ${CURVES[alg]}`;
  }
  return type === 'ed25519' ? undefined : `it is a ${type} key, not Ed25519`;
}

/**
 * The JWKS URL, checked to be http(s) and to carry no credentials (they would end up in logs).
 *
 * @param url As configured.
 * @example
 * jwksUrl('https://auth.example.com/.well-known/jwks.json');
 */
export function jwksUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error('jwt: jwksUrl is not a URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error('jwt: jwksUrl must use https (or http inside the cluster)');
  if (parsed.username || parsed.password) throw new Error('jwt: jwksUrl must not carry credentials');
  return parsed;
}
