// Who is calling, as the gateway decides it for every route that is not public: a bearer JWT checked
// here (secret or public key from the environment, or a JWKS URL), or the founding guide's auth
// service asked per request (with a short cache). Secrets are named by environment variable in the
// config and read once at start: a config never holds one.
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
    return { authenticate: (authorization, requestId) => delegate.authenticate(authorization, requestId), close: () => delegate.close() };
  }
  const { secretEnv, publicKeyEnv, jwksUrl, ...checks } = auth.jwt;
  const verifier: JwtVerifier = createJwtVerifier({
    ...checks,
    keys: secretEnv ? { secret: required(options.env, secretEnv) } : publicKeyEnv ? { publicKeyPem: required(options.env, publicKeyEnv) } : { jwksUrl: jwksUrl ?? '' },
  });
  return {
    authenticate: async (authorization) => verifier.verify(bearerToken(authorization)),
    close: async () => undefined,
  };
}

function required(env: Env, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`gateway: ${name} is not set; it holds the key that verifies the clients' tokens (see the README's gateway section)`);
  return value;
}
