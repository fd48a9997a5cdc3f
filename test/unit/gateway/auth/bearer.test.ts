// The bearer token is read strictly, and a failure carries the status and challenge the gateway sends.
import { describe, expect, it } from 'vitest';
import { AuthError, bearerToken, isAuthError, wwwAuthenticate, type AuthFailureReason } from '../../../../runtime/gateway/auth/index.js';

function failure(header: string | string[] | undefined): AuthFailureReason | undefined {
  try {
    bearerToken(header);
    return undefined;
  } catch (err) {
    expect(err).toBeInstanceOf(AuthError);
    return (err as AuthError).reason;
  }
}

describe('bearerToken', () => {
  it('returns the token of a Bearer header, the scheme in any case, one or more spaces after it', () => {
    expect(bearerToken('Bearer abc.DEF-_~+/=')).toBe('abc.DEF-_~+/=');
    expect(bearerToken('bearer abc')).toBe('abc');
    expect(bearerToken('BEARER   abc')).toBe('abc');
    expect(bearerToken(['Bearer abc'])).toBe('abc');
  });

  it('says missing when there is no header or it is empty', () => {
    expect(failure(undefined)).toBe('missing');
    expect(failure('')).toBe('missing');
    expect(failure([])).toBe('missing');
  });

  it('says malformed for every other shape', () => {
    const hostile = ['Bearer', 'Bearer ', 'Bearer a b', 'Bearer\tabc', 'Basic dXNlcjpwdw==', 'Token abc', 'abc', ' Bearer abc', 'Bearer abc ', 'Bearer a=b', 'Bearer é', 'Bearer abc\r\nX: y', 'Bearerabc'];
    for (const header of hostile) expect(failure(header), JSON.stringify(header)).toBe('malformed');
    expect(failure(['Bearer a', 'Bearer b'])).toBe('malformed');
    expect(failure(`Bearer ${'a'.repeat(8192)}`)).toBe('malformed');
    expect(bearerToken(`Bearer ${'a'.repeat(8185)}`)).toHaveLength(8185);
  });
});

describe('AuthError', () => {
  it('maps reasons to 401, 403 and 503 with the mesh error codes and a client-safe body', () => {
    const expired = new AuthError('expired', new Error('"exp" claim timestamp check failed'));
    expect([expired.status, expired.code, expired.unavailable]).toEqual([401, 'Unauthorized', false]);
    expect(expired.toBody('r1')).toEqual({ error: { code: 'Unauthorized', message: 'token expired', requestId: 'r1' } });
    expect(JSON.stringify(expired.toBody())).not.toContain('claim');
    expect(new AuthError('forbidden').status).toBe(403);
    const down = new AuthError('keysUnavailable', new Error('connect ECONNREFUSED 10.0.0.1:443'));
    expect([down.status, down.code, down.unavailable]).toEqual([503, 'Unavailable', true]);
    expect(down.message).not.toContain('10.0.0.1');
    expect(isAuthError(down, 'keysUnavailable')).toBe(true);
    expect(isAuthError(down, 'expired')).toBe(false);
    expect(isAuthError(new Error('x'))).toBe(false);
  });

  it('gives a 401 its WWW-Authenticate challenge (RFC 6750) and others none', () => {
    expect(wwwAuthenticate(new AuthError('missing'), 'shop')).toBe('Bearer realm="shop"');
    expect(wwwAuthenticate(new AuthError('malformed'))).toBe('Bearer realm="mesh", error="invalid_request"');
    expect(wwwAuthenticate(new AuthError('signature'), 'a"b\\c')).toBe('Bearer realm="abc", error="invalid_token"');
    expect(wwwAuthenticate(new AuthError('expired'), 'line\nbreak')).toBe('Bearer realm="mesh", error="invalid_token"');
    expect(wwwAuthenticate(new AuthError('forbidden'))).toBeUndefined();
    expect(wwwAuthenticate(new AuthError('unavailable'))).toBeUndefined();
  });
});
