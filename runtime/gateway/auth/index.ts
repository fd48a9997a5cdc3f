// `meshspec/runtime/gateway/auth`: who is calling, checked at the front door. A bearer JWT verified
// locally (secret, public key, or JWKS), or delegation to an auth service; failures as AuthError with
// a stable reason (401, 403, or 503 when the keys or the service could not be reached).
export { ASYMMETRIC_ALGORITHMS, HMAC_ALGORITHMS, type AsymmetricAlgorithm, type HmacAlgorithm, type JwtAlgorithm } from './algorithms.js';
export { bearerToken, MAX_AUTHORIZATION_LENGTH } from './bearer.js';
export { wwwAuthenticate } from './challenge.js';
export { createAuthDelegate, type AuthDelegate, type AuthDelegateOptions } from './delegate.js';
export { developmentToken, type DevelopmentTokenOptions } from './dev-token.js';
export { AuthError, isAuthError, type AuthFailureReason } from './errors.js';
export { identityFromClaims, MAX_ROLE_LENGTH, MAX_ROLES, MAX_SUBJECT_LENGTH, type VerifiedIdentity } from './identity.js';
export { createJwtVerifier, MAX_TOKEN_LENGTH, type JwtVerifier, type JwtVerifierOptions } from './jwt.js';
export type { JwtKeySource, JwtPublicKey, JwtRemoteKeys, JwtSecretKey } from './keys.js';
