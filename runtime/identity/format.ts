// The signed identity's wire format, shared by the signer (the gateway) and the verifier (every
// service): `v1.<key id>.<base64url JSON claims>.<base64url HMAC-SHA256 of everything before it>`.
// Plain HMAC rather than a JWS: a service checks one on every request, and node:crypto's HMAC costs a
// few microseconds where jose's (WebCrypto, async) costs tens.

/** The header carrying the signed identity from the gateway to the services. */
export const IDENTITY_HEADER = 'x-mesh-identity';
/** Longest value accepted, characters (64 roles of 128 characters fit). */
export const MAX_IDENTITY_LENGTH = 16_384;
/** First part of every value: a new format gets a new version, and old services refuse it cleanly. */
export const VERSION = 'v1';
/** Length of a base64url HMAC-SHA256 (32 bytes, no padding). */
export const MAC_LENGTH = 43;

/** The claims inside a value, with short names (the header goes on every request). */
export interface WireClaims {
  sub: string;
  roles: string[];
  /** Expiry, epoch ms. */
  exp: number;
  svc?: string;
  /** The request's deadline, epoch ms. */
  dl?: number;
  rid?: string;
}
