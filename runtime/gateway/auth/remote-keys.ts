// Keys from a JWKS endpoint, through jose's remote key set (keys by kid, a refetch on an unknown kid at
// most once per cooldown), refreshed in the background once they are `cacheMaxAgeMs` old: requests keep
// being checked with the keys in hand meanwhile, so a slow or failing identity provider neither stalls
// requests nor fails them, for up to `staleIfErrorMs`. Past that, or before any key was ever fetched,
// requests wait for a fetch, and a failed one is `keysUnavailable` (503).
import { createRemoteJWKSet, errors, type JWTVerifyGetKey } from 'jose';
import { AuthError } from './errors.js';
import { jwksUrl, type JwtRemoteKeys } from './keys.js';

function duration(name: string, value: number | undefined, fallback: number): number {
  const chosen = value ?? fallback;
  if (!Number.isSafeInteger(chosen) || chosen < 0) throw new Error(`jwt: ${name} must be a whole number of ms >= 0`);
  return chosen;
}

/**
 * The key getter jose's `jwtVerify` calls for a token, backed by `source.jwksUrl`.
 *
 * @param source The endpoint and its timings: cacheMaxAgeMs 600_000, cooldownMs 30_000, timeoutMs
 *   5_000, staleIfErrorMs 3_600_000 by default.
 * @param now The clock, epoch ms.
 * @throws Error for a URL that is not http(s) or carries credentials, or a negative duration.
 * @example
 * const getKey = remoteKeys({ jwksUrl: 'https://idp/.well-known/jwks.json' }, Date.now);
 * await jwtVerify(token, getKey, { algorithms: ['RS256'] });
 */
export function remoteKeys(source: JwtRemoteKeys, now: () => number): JWTVerifyGetKey {
  const url = jwksUrl(source.jwksUrl);
  const maxAgeMs = duration('cacheMaxAgeMs', source.cacheMaxAgeMs, 600_000);
  const cooldownMs = duration('cooldownMs', source.cooldownMs, 30_000);
  const staleMs = duration('staleIfErrorMs', source.staleIfErrorMs, 3_600_000);
  const timeoutMs = duration('timeoutMs', source.timeoutMs, 5_000);
  if (timeoutMs === 0) throw new Error('jwt: timeoutMs must be > 0');
  // jose never refetches by age here: the age is handled below, without making requests wait.
  const remote = createRemoteJWKSet(url, { cacheMaxAge: Infinity, cooldownDuration: cooldownMs, timeoutDuration: timeoutMs });
  let fetchedAt = -1;
  let lastAttempt = -Infinity;

  const reload = async (): Promise<void> => {
    lastAttempt = now();
    await remote.reload();
    fetchedAt = now();
  };

  const refreshIfOld = async (): Promise<void> => {
    if (fetchedAt < 0) return;
    const age = now() - fetchedAt;
    if (age < maxAgeMs) return;
    if (age >= maxAgeMs + staleMs) return reload();
    if (remote.reloading || now() - lastAttempt < cooldownMs) return;
    reload().catch((err: unknown) => source.onRefreshError?.(err));
  };

  return async (header, token) => {
    try {
      await refreshIfOld();
      const key = await remote(header, token);
      if (fetchedAt < 0) fetchedAt = now();
      return key;
    } catch (err) {
      // No key for this kid (even after a refetch) is the token's problem; anything else (refused,
      // timeout, not 200, not a key set) means the keys could not be had: 503, not 401.
      if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys) throw err;
      throw new AuthError('keysUnavailable', err);
    }
  };
}
