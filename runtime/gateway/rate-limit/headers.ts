// The response headers of a decision, as the IETF draft "RateLimit header fields for HTTP"
// (draft-ietf-httpapi-ratelimit-headers-07) names them, plus Retry-After (RFC 9110) on a refusal.
import type { RateLimitDecision } from './types.js';

/**
 * The headers {@link rateLimitHeaders} sets.
 *
 * @example
 * const headers: RateLimitHeaders = { 'RateLimit-Limit': '100', 'RateLimit-Remaining': '0', 'RateLimit-Reset': '42', 'RateLimit-Policy': '100;w=60', 'Retry-After': '1' };
 */
export interface RateLimitHeaders {
  readonly 'RateLimit-Limit': string;
  readonly 'RateLimit-Remaining': string;
  /** Whole seconds until the quota is whole again, rounded up. */
  readonly 'RateLimit-Reset': string;
  readonly 'RateLimit-Policy': string;
  /** Only on a refusal: whole seconds to wait, rounded up, at least 1. */
  readonly 'Retry-After'?: string;
}

/**
 * A decision's response headers as the flat `[name, value, ...]` list `writeHead` takes. Seconds are
 * rounded up, so a client that waits them is never early; `Retry-After` is at least 1 (0 would invite
 * an immediate retry that is refused again).
 *
 * @param decision what the limiter answered: `limit`, `remaining`, `resetMs`, `retryAfterMs`, `policy`, `allowed`
 * @example
 * const decision = await limiter.consume(clientIp(req.socket.remoteAddress, req.headers['x-forwarded-for'], 1));
 * if (!decision.allowed) res.writeHead(429, [...rateLimitHeaderList(decision), 'content-type', 'application/json']);
 */
export function rateLimitHeaderList(decision: Omit<RateLimitDecision, 'degraded'>): string[] {
  const list = [
    'RateLimit-Limit', String(decision.limit),
    'RateLimit-Remaining', String(Math.max(0, decision.remaining)),
    'RateLimit-Reset', String(Math.max(0, Math.ceil(decision.resetMs / 1000))),
    'RateLimit-Policy', decision.policy,
  ];
  if (!decision.allowed) list.push('Retry-After', String(Math.max(1, Math.ceil(decision.retryAfterMs / 1000))));
  return list;
}

/**
 * A decision's response headers as an object (what {@link rateLimitHeaderList} lists).
 *
 * @param decision what the limiter answered
 * @example
 * const headers = rateLimitHeaders(decision);
 * if (!decision.allowed) res.writeHead(429, { ...headers, 'content-type': 'application/json' });
 */
export function rateLimitHeaders(decision: Omit<RateLimitDecision, 'degraded'>): RateLimitHeaders {
  const list = rateLimitHeaderList(decision);
  const headers: Record<string, string> = {};
  for (let i = 0; i < list.length; i += 2) headers[list[i]!] = list[i + 1]!;
  return headers as unknown as RateLimitHeaders;
}
