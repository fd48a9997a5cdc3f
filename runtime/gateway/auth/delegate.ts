// Authentication delegated to an auth service: the client's Authorization header goes to its URL,
// and its answer (2xx with `{ subject, roles? }`, or 401/403) decides. Answers are cached under a
// SHA-256 digest of the header (never the token itself), briefly for refusals, and concurrent requests
// with the same token share one call.
import { createHash } from 'node:crypto';
import { decodeJwt } from 'jose';
import { Pool } from 'undici';
import { AnswerCache } from './answer-cache.js';
import { MAX_AUTHORIZATION_LENGTH } from './bearer.js';
import { AuthError, type AuthFailureReason } from './errors.js';
import { identityFromClaims, type VerifiedIdentity } from './identity.js';

/** Options of {@link createAuthDelegate}. */
export interface AuthDelegateOptions {
  /** The auth service's check endpoint (`http(s)://auth:8080/verify`), called with GET. */
  readonly url: string;
  /** How long one call may take before the request is answered 503, ms. Default 2_000. */
  readonly timeoutMs?: number;
  /** How long an accepted credential is remembered, ms; never past a JWT's own `exp`. Default 30_000. */
  readonly cacheTtlMs?: number;
  /** How long a refused credential is remembered, ms (a client retrying a bad token costs one call). Default 2_000. */
  readonly negativeCacheTtlMs?: number;
  /** Most credentials remembered; the least recently used goes first. Default 10_000. */
  readonly maxEntries?: number;
  /** Most connections open to the auth service. Default 16. */
  readonly maxConnections?: number;
  /** The clock, epoch ms (tests). Default `Date.now`. */
  readonly now?: () => number;
}

/** Authenticates requests by asking the auth service. */
export interface AuthDelegate {
  /**
   * The identity the auth service answers for `authorization`.
   *
   * @param authorization The client's `Authorization` header, forwarded as is.
   * @param requestId Sent along as `x-request-id`, to follow a request into the auth service's logs.
   * @example
   * const identity = await auth.authenticate(req.headers.authorization, requestId);
   * @throws AuthError `missing` (no header), `malformed` (too long), `rejected` (401), `forbidden`
   *   (403), `unavailable` (anything else, a timeout, a broken answer: answer 503).
   */
  authenticate(authorization: string | undefined, requestId?: string): Promise<VerifiedIdentity>;
  /**
   * The cache keys held, least recently used first: SHA-256 digests (base64url) of Authorization
   * headers, never the headers. For diagnostics and tests.
   *
   * @example
   * auth.cachedKeys().length; // credentials remembered
   */
  cachedKeys(): string[];
  /**
   * Closes the connections to the auth service.
   *
   * @example
   * await auth.close();
   */
  close(): Promise<void>;
}

/** Largest answer read from the auth service, bytes. */
const MAX_ANSWER_BYTES = 64 * 1024;

type Answer = { identity: VerifiedIdentity } | { refused: AuthFailureReason };

function positive(name: string, value: number | undefined, fallback: number, min = 0): number {
  const chosen = value ?? fallback;
  if (!Number.isFinite(chosen) || chosen < min) throw new Error(`auth delegate: ${name} must be a number >= ${min}`);
  return chosen;
}

function parseUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error('auth delegate: url is not a URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('auth delegate: url must use http or https');
  if (parsed.username || parsed.password) throw new Error('auth delegate: url must not carry credentials');
  return parsed;
}

/** Epoch ms at which a bearer JWT in `authorization` expires, when it is one (read unverified: it can only shorten the cache). */
function tokenExpiry(authorization: string): number | undefined {
  const match = /^bearer +(\S+)$/i.exec(authorization);
  if (!match) return undefined;
  try {
    const { exp } = decodeJwt(match[1]!);
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

async function readJson(body: AsyncIterable<Buffer>): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > MAX_ANSWER_BYTES) throw new Error(`auth service answer over ${MAX_ANSWER_BYTES} bytes`);
    chunks.push(chunk);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

/**
 * Delegation of authentication to an auth service.
 *
 * @param options See {@link AuthDelegateOptions}: url required; timeoutMs 2_000, cacheTtlMs 30_000,
 *   negativeCacheTtlMs 2_000, maxEntries 10_000, maxConnections 16 by default.
 * @example
 * const auth = createAuthDelegate({ url: 'http://auth:8080/verify' });
 * const identity = await auth.authenticate(req.headers.authorization, requestId);
 * // on shutdown
 * await auth.close();
 */
export function createAuthDelegate(options: AuthDelegateOptions): AuthDelegate {
  const url = parseUrl(options.url);
  const timeoutMs = positive('timeoutMs', options.timeoutMs, 2_000, 1);
  const cacheTtlMs = positive('cacheTtlMs', options.cacheTtlMs, 30_000);
  const negativeTtlMs = positive('negativeCacheTtlMs', options.negativeCacheTtlMs, 2_000);
  const maxEntries = positive('maxEntries', options.maxEntries, 10_000, 1);
  const now = options.now ?? Date.now;
  const path = `${url.pathname}${url.search}`;
  const pool = new Pool(url.origin, {
    connections: positive('maxConnections', options.maxConnections, 16, 1),
    pipelining: 1,
    connect: { timeout: timeoutMs },
  });
  const cache = new AnswerCache<Answer>(maxEntries, now);

  const ask = async (authorization: string, requestId: string | undefined): Promise<{ value: Answer; ttlMs: number }> => {
    const headers: Record<string, string> = { authorization, accept: 'application/json' };
    if (requestId) headers['x-request-id'] = requestId;
    let status: number;
    let json: unknown;
    try {
      const response = await pool.request({ path, method: 'GET', headers, signal: AbortSignal.timeout(timeoutMs) });
      status = response.statusCode;
      if (status >= 200 && status < 300) json = await readJson(response.body);
      else await response.body.dump();
    } catch (err) {
      throw new AuthError('unavailable', err);
    }
    if (status === 401 || status === 403) {
      return { value: { refused: status === 401 ? 'rejected' : 'forbidden' }, ttlMs: negativeTtlMs };
    }
    if (status < 200 || status >= 300) throw new AuthError('unavailable', new Error(`auth service answered ${status}`));
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new AuthError('unavailable', new Error('auth service answer is not a JSON object'));
    let identity: VerifiedIdentity;
    try {
      identity = identityFromClaims(json as Record<string, unknown>, 'subject', 'roles');
    } catch (err) {
      throw new AuthError('unavailable', new Error('auth service answer lacks a valid subject or roles', { cause: err }));
    }
    const expiry = tokenExpiry(authorization);
    const ttlMs = expiry === undefined ? cacheTtlMs : Math.min(cacheTtlMs, expiry - now());
    return { value: { identity: expiry === undefined ? identity : { ...identity, expiresAt: expiry } }, ttlMs };
  };

  return {
    async authenticate(authorization, requestId) {
      if (authorization === undefined || authorization === '') throw new AuthError('missing');
      if (authorization.length > MAX_AUTHORIZATION_LENGTH) throw new AuthError('malformed');
      const digest = createHash('sha256').update(authorization).digest('base64url');
      const answer = await cache.get(digest, () => ask(authorization, requestId));
      if ('refused' in answer) throw new AuthError(answer.refused);
      return answer.identity;
    },
    cachedKeys: () => cache.keys(),
    close: () => pool.close(),
  };
}
