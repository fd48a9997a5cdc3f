// The `WWW-Authenticate` header a 401 carries (RFC 6750 §3): a client library reads it to know that it
// should (re)authenticate, and whether its token was absent, unreadable or refused.
import type { AuthError } from './errors.js';

const SAFE_REALM = /^[\x20-\x7e]{1,64}$/;

/**
 * The `WWW-Authenticate` value for `error`, or undefined when the answer is not a 401 (403 and 503
 * carry no challenge). A missing token gets no error code, as RFC 6750 asks.
 *
 * @param error The failure being answered.
 * @param realm Named in the challenge; quotes and backslashes are dropped. Default `mesh`.
 * @example
 * const challenge = wwwAuthenticate(err, 'shop');
 * if (challenge) res.setHeader('www-authenticate', challenge); // Bearer realm="shop", error="invalid_token"
 */
export function wwwAuthenticate(error: AuthError, realm = 'mesh'): string | undefined {
  if (error.status !== 401) return undefined;
  const plain = realm.replace(/["\\]/g, '');
  const quoted = `Bearer realm="${SAFE_REALM.test(plain) ? plain : 'mesh'}"`;
  if (error.reason === 'missing') return quoted;
  const code = error.reason === 'malformed' ? 'invalid_request' : 'invalid_token';
  return `${quoted}, error="${code}"`;
}
