// A bearer JWT checked with jose: signature (secret, public key, or JWKS with rotation), algorithm
// allowlist, expiry and not-before with clock tolerance, issuer, audience, token age. Every failure
// becomes an AuthError with a stable reason; jose's own text never reaches a client.
import type { KeyObject } from 'node:crypto';
import { errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey, type JWTVerifyOptions } from 'jose';
import { checkAlgorithms, type JwtAlgorithm } from './algorithms.js';
import { AuthError, type AuthFailureReason } from './errors.js';
import { identityFromClaims, type VerifiedIdentity } from './identity.js';
import { publicKey, secretKey, type JwtKeySource } from './keys.js';
import { remoteKeys } from './remote-keys.js';

/** Longest token verified, characters (as the bearer header's bound). */
export const MAX_TOKEN_LENGTH = 8192;

/** Options of {@link createJwtVerifier}. */
export interface JwtVerifierOptions {
  /** The algorithms accepted. Never `none`; HMAC (HS*) and asymmetric ones cannot be mixed. */
  readonly algorithms: readonly JwtAlgorithm[];
  /** The verification key: `{ secret }`, `{ publicKeyPem }` or `{ jwksUrl, ... }`. */
  readonly keys: JwtKeySource;
  /** The `iss` required (one of them, when a list). Default: not checked. */
  readonly issuer?: string | readonly string[];
  /** An `aud` required (one of them, when a list). Default: not checked. */
  readonly audience?: string | readonly string[];
  /** Clock difference tolerated on `exp`, `nbf` and `iat`, seconds. Default 30. */
  readonly clockToleranceSec?: number;
  /** The claim naming the caller. Default `sub`. */
  readonly subjectClaim?: string;
  /** The claim listing the caller's roles: an array of strings or a space-separated string (`scope`). A dotted name reaches into nested objects (`realm_access.roles`). Default `roles`. */
  readonly rolesClaim?: string;
  /** Oldest token accepted, seconds since its `iat` (then required). Default: not checked. */
  readonly maxTokenAgeSec?: number;
  /** Refuse tokens without `exp` (they never expire). Default true. */
  readonly requireExpiry?: boolean;
  /** The clock, epoch ms (tests). Default `Date.now`. */
  readonly now?: () => number;
}

/** Checks bearer JWTs. */
export interface JwtVerifier {
  /**
   * The identity `token` carries, once every check passed.
   *
   * @param token The compact JWT (what `bearerToken` returns).
   * @example
   * const { subject, roles } = await verifier.verify(token);
   * @throws AuthError with reason missing, malformed, algorithm, signature, expired, notYetValid,
   *   issuer, audience, claims, or keysUnavailable (the JWKS could not be fetched: answer 503).
   */
  verify(token: string): Promise<VerifiedIdentity>;
}

type VerifyKey = Uint8Array | KeyObject | JWTVerifyGetKey;

function buildKey(source: JwtKeySource, algorithms: readonly JwtAlgorithm[], kind: 'hmac' | 'asymmetric', now: () => number): VerifyKey {
  if ('secret' in source) {
    if (kind !== 'hmac') throw new Error('jwt: a secret verifies HS256/HS384/HS512 only; list those algorithms or give a public key');
    return secretKey(source.secret, algorithms);
  }
  if (kind !== 'asymmetric') throw new Error('jwt: HS* algorithms need keys: { secret }; a public key cannot verify them');
  if ('publicKeyPem' in source) return publicKey(source.publicKeyPem, algorithms);
  if ('jwksUrl' in source) return remoteKeys(source, now);
  throw new Error('jwt: keys must be { secret }, { publicKeyPem } or { jwksUrl }');
}

const CLAIM_REASONS: Readonly<Record<string, AuthFailureReason>> = { nbf: 'notYetValid', iss: 'issuer', aud: 'audience' };

/** The AuthError for what jose threw. */
function failure(err: unknown): AuthError {
  if (err instanceof AuthError) return err;
  if (err instanceof errors.JOSEAlgNotAllowed) return new AuthError('algorithm', err);
  if (err instanceof errors.JWTExpired) return new AuthError('expired', err);
  if (err instanceof errors.JWTClaimValidationFailed) return new AuthError(CLAIM_REASONS[err.claim] ?? 'claims', err);
  if (err instanceof errors.JWSInvalid || err instanceof errors.JWTInvalid || err instanceof errors.JOSENotSupported) return new AuthError('malformed', err);
  // A bad signature, a kid no key has, or anything unforeseen: the token is not accepted.
  return new AuthError('signature', err);
}

function checkOptions(options: JwtVerifierOptions): void {
  const tolerance = options.clockToleranceSec;
  if (tolerance !== undefined && !(Number.isFinite(tolerance) && tolerance >= 0)) throw new Error('jwt: clockToleranceSec must be a number >= 0');
  const age = options.maxTokenAgeSec;
  if (age !== undefined && !(Number.isFinite(age) && age > 0)) throw new Error('jwt: maxTokenAgeSec must be a number > 0');
  for (const name of ['subjectClaim', 'rolesClaim'] as const) {
    const claim = options[name];
    if (claim !== undefined && (typeof claim !== 'string' || claim === '')) throw new Error(`jwt: ${name} must be a non-empty claim name`);
  }
}

/**
 * A verifier of bearer JWTs. Configuration mistakes (no algorithms, `none`, HS mixed with RS, a short
 * secret, a key that does not fit an algorithm, a bad URL) throw here, at start.
 *
 * @param options See {@link JwtVerifierOptions}: algorithms and keys required; clockToleranceSec 30,
 *   subjectClaim `sub`, rolesClaim `roles`, requireExpiry true by default.
 * @example
 * const verifier = createJwtVerifier({
 *   algorithms: ['RS256'],
 *   keys: { jwksUrl: 'https://auth.example.com/.well-known/jwks.json' },
 *   issuer: 'https://auth.example.com/',
 *   audience: 'shop-api',
 * });
 * const identity = await verifier.verify(bearerToken(req.headers.authorization)); // { subject, roles, expiresAt }
 */
export function createJwtVerifier(options: JwtVerifierOptions): JwtVerifier {
  const { algorithms, kind } = checkAlgorithms(options.algorithms);
  checkOptions(options);
  if (typeof options.keys !== 'object' || options.keys === null) throw new Error('jwt: keys must be { secret }, { publicKeyPem } or { jwksUrl }');
  const key = buildKey(options.keys, algorithms, kind, options.now ?? Date.now);
  const subjectClaim = options.subjectClaim ?? 'sub';
  const rolesClaim = options.rolesClaim ?? 'roles';
  const now = options.now;
  const base: JWTVerifyOptions = {
    algorithms,
    clockTolerance: options.clockToleranceSec ?? 30,
    ...(options.issuer !== undefined ? { issuer: typeof options.issuer === 'string' ? options.issuer : [...options.issuer] } : {}),
    ...(options.audience !== undefined ? { audience: typeof options.audience === 'string' ? options.audience : [...options.audience] } : {}),
    ...(options.maxTokenAgeSec !== undefined ? { maxTokenAge: options.maxTokenAgeSec } : {}),
    ...(options.requireExpiry === false ? {} : { requiredClaims: ['exp'] }),
  };

  const check = async (token: string, verifyOptions: JWTVerifyOptions): Promise<JWTPayload> => {
    try {
      const result = typeof key === 'function' ? await jwtVerify(token, key, verifyOptions) : await jwtVerify(token, key, verifyOptions);
      return result.payload;
    } catch (err) {
      // Several JWKS keys fit a token without `kid`: jose leaves trying each to the caller.
      if (!(err instanceof errors.JWKSMultipleMatchingKeys)) throw failure(err);
      for await (const candidate of err) {
        try {
          return (await jwtVerify(token, candidate, verifyOptions)).payload;
        } catch (inner) {
          if (!(inner instanceof errors.JWSSignatureVerificationFailed)) throw failure(inner);
        }
      }
      throw new AuthError('signature', err);
    }
  };

  return {
    async verify(token: string): Promise<VerifiedIdentity> {
      if (typeof token !== 'string' || token === '') throw new AuthError('missing');
      if (token.length > MAX_TOKEN_LENGTH) throw new AuthError('malformed');
      const payload = await check(token, now ? { ...base, currentDate: new Date(now()) } : base);
      const expiresAt = typeof payload.exp === 'number' ? payload.exp * 1000 : undefined;
      return identityFromClaims(payload, subjectClaim, rolesClaim, expiresAt);
    },
  };
}
