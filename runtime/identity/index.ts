// `meshspec/runtime/identity`: the caller identity the gateway asserts, signed (HMAC-SHA256 with
// rotating keys from MESH_IDENTITY_KEYS) so that a service can tell it from a header anyone could set.
export { IDENTITY_HEADER, MAX_IDENTITY_LENGTH } from './format.js';
export type { AssertedIdentity, IdentityCheck, IdentityFailure, SignedIdentity } from './identity.js';
export { formatIdentityKeys, generateIdentityKey, IDENTITY_KEYS_VARIABLE, identityKey, identityKeysFromEnv, MIN_IDENTITY_KEY_BYTES, type IdentityKey } from './keys.js';
export { signIdentity, type SignIdentityOptions } from './sign.js';
export { IDENTITY_SKEW_MS, verifyIdentity } from './verify.js';
export { createCallerTrust, decodeUnsignedCaller, encodeUnsignedCaller, UNSIGNED_CALLER_HEADER, UNSIGNED_TRUST, type CallerTrust } from './trust.js';
