// The bearer token of a request, read strictly: a gateway that guesses (trims, takes the last of two
// headers, accepts `Token x`) lets two components disagree about which token was checked.
import { AuthError } from './errors.js';

/** Longest `Authorization` value read, characters: real JWTs are well under; anything longer is hostile. */
export const MAX_AUTHORIZATION_LENGTH = 8192;

// RFC 6750 §2.1: scheme, one or more spaces, a b64token (which is what a JWT's characters are).
const BEARER = /^bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

/**
 * The token of an `Authorization: Bearer <token>` header.
 *
 * @param header The header's value: a string, or every value when it was sent more than once.
 * @returns The token, as sent.
 * @throws AuthError `missing` when there is no header (or it is empty); `malformed` when it is sent
 *   twice, is longer than {@link MAX_AUTHORIZATION_LENGTH}, uses another scheme, or is not one b64token.
 * @example
 * bearerToken('Bearer eyJhbGciOi...'); // 'eyJhbGciOi...'
 * bearerToken('Basic dXNlcjpwdw=='); // throws AuthError('malformed')
 */
export function bearerToken(header: string | readonly string[] | undefined): string {
  let value: string | undefined;
  if (typeof header === 'string') value = header;
  else if (header !== undefined && header.length > 0) {
    if (header.length > 1) throw new AuthError('malformed');
    value = header[0];
  }
  if (value === undefined || value === '') throw new AuthError('missing');
  if (value.length > MAX_AUTHORIZATION_LENGTH) throw new AuthError('malformed');
  const match = BEARER.exec(value);
  if (!match) throw new AuthError('malformed');
  return match[1]!;
}
