// Who is calling, as the gateway decides it for every route that is not public: a bearer JWT checked
// here (secret or public key from the environment, or a JWKS URL), or the founding guide's auth
// service asked per request (with a short cache). Secrets are named by environment variable in the
// config and read once at start: a config never holds one.
import { createHash } from 'node:crypto';
import { AnswerCache } from './auth/answer-cache.js';
import { bearerToken, createAuthDelegate, createJwtVerifier, type AuthDelegate, type JwtVerifier, type VerifiedIdentity } from './auth/index.js';
import type { GatewayAuth } from './types.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The gateway's authentication.
 *
 * @example
 * const auth = createGatewayAuth(config.auth, { resolveOrigin, env: process.env });
 * const { subject, roles } = await auth.authenticate(req.headers.authorization, requestId);
 */
export interface GatewayAuthenticator {
  /**
   * The caller's identity.
   *
   * @param authorization - the request's Authorization header
   * @param requestId - passed to an auth service, for its logs
   * @throws AuthError (401, 403, or 503 when the keys or the auth service cannot be reached)
   */
  authenticate(authorization: string | undefined, requestId: string): Promise<VerifiedIdentity>;
  /**
   * The identity of a token verified before and still remembered, without a promise (the hot path of
   * a client's second and later requests); undefined when it must be authenticated.
   *
   * @param authorization - the request's Authorization header
   * @example
   * const identity = auth.known(authorization) ?? (await auth.authenticate(authorization, requestId));
   */
  known(authorization: string | undefined): VerifiedIdentity | undefined;
  /** Closes the connections to a JWKS endpoint or an auth service. */
  close(): Promise<void>;
}

/**
 * Builds the authentication a config asks for.
 *
 * @param auth - the config's `auth`
 * @param options - where services are (the auth service's origin) and the environment (secrets, PEMs)
 * @throws Error naming the environment variable that is missing or unusable, or the invalid setting
 * @example
 * createGatewayAuth({ jwt: { algorithms: ['HS256'], secretEnv: 'JWT_SECRET', issuer: 'shop' } }, { resolveOrigin, env });
 */
export function createGatewayAuth(auth: GatewayAuth, options: { resolveOrigin: (service: string) => string; env: Env }): GatewayAuthenticator {
  if ('delegate' in auth) {
    const { service, path, cacheTtlMs, timeoutMs } = auth.delegate;
    const delegate: AuthDelegate = createAuthDelegate({
      url: new URL(path, options.resolveOrigin(service)).toString(),
      ...(cacheTtlMs === undefined ? {} : { cacheTtlMs }),
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    });
    return { authenticate: (authorization, requestId) => delegate.authenticate(authorization, requestId), known: () => undefined, close: () => delegate.close() };
  }
  const { secretEnv, publicKeyEnv, jwksUrl, ...checks } = auth.jwt;
  const verifier: JwtVerifier = createJwtVerifier({
    ...checks,
    keys: secretEnv ? { secret: required(options.env, secretEnv) } : publicKeyEnv ? { publicKeyPem: required(options.env, publicKeyEnv) } : { jwksUrl: jwksUrl ?? '' },
  });
  // A token's signature and claims do not change: verified once (tens of microseconds with jose), it
  // is remembered until it expires (at most VERIFIED_TTL_MS), keyed by its digest, never the token.
  const verified = new AnswerCache<VerifiedIdentity>(VERIFIED_TOKENS);
  const digestOf = (token: string) => createHash('sha256').update(token).digest('base64url');
  return {
    known: (authorization) => {
      if (authorization === undefined) return undefined;
      try {
        return verified.peek(digestOf(bearerToken(authorization)));
      } catch {
        return undefined; // not a bearer token: authenticate() says why
      }
    },
    authenticate: async (authorization) => {
      const token = bearerToken(authorization);
      return verified.get(digestOf(token), async () => {
        const identity = await verifier.verify(token);
        const ttlMs = Math.min(VERIFIED_TTL_MS, (identity.expiresAt ?? Date.now()) - Date.now());
        return { value: identity, ttlMs };
      });
    },
    close: async () => undefined,
  };
}

/** Most verified tokens remembered (the least recently used goes first). */
const VERIFIED_TOKENS = 10_000;
/** Longest a verified token is remembered, ms (it is never remembered past its own expiry). */
const VERIFIED_TTL_MS = 300_000;

function required(env: Env, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`gateway: ${name} is not set; it holds the key that verifies the clients' tokens (see the README's gateway section)`);
  return value;
}
