// The token bucket: a key holds up to `capacity` tokens, refilled continuously at `refillPerSec`; a
// request takes one. Bursts up to the capacity, a sustained rate of the refill. Two numbers per key
// (tokens, last update); the refill is computed on read, so nothing ticks.
import { REDIS_NOW } from './redis-clock.js';
import type { KeyState, RateLimitAlgorithm, RateLimitDecision } from './types.js';

/**
 * Settings of {@link tokenBucket}.
 *
 * @example
 * const settings: TokenBucketSettings = { capacity: 20, refillPerSec: 5 };
 */
export interface TokenBucketSettings {
  /** Tokens a full bucket holds (the largest burst), a positive integer. */
  readonly capacity: number;
  /** Tokens added per second, a positive number (0.5 is one every 2 s). */
  readonly refillPerSec: number;
}

/**
 * One key's bucket: its tokens as of `updatedAt`.
 *
 * @example
 * const state: TokenBucketState = { tokens: 3.5, updatedAt: 1_000_000, expiresAt: 1_003_300 };
 */
export interface TokenBucketState extends KeyState {
  tokens: number;
  updatedAt: number;
}

/** Tokens short of a whole one by less than this count as whole (fractions of refills add up inexactly). */
const EPSILON = 1e-9;
/** Waits over a whole ms by less than this are that whole ms (the same inexact fractions, in time). */
const MS_EPSILON = 1e-6;

/**
 * The token bucket. `remaining` is the whole tokens left, `resetMs` the time until the bucket is full,
 * `retryAfterMs` the time until the next whole token.
 *
 * @param settings.capacity the bucket's size (positive integer), reported as `RateLimit-Limit`
 * @param settings.refillPerSec tokens per second (positive, finite)
 * @throws RangeError when a setting is out of range
 * @example
 * const algorithm = tokenBucket({ capacity: 2, refillPerSec: 10 });
 * const state = algorithm.create(0);
 * algorithm.consume(state, 0); algorithm.consume(state, 0);
 * algorithm.consume(state, 0).retryAfterMs; // 100: one token every 100 ms
 */
export function tokenBucket(settings: TokenBucketSettings): RateLimitAlgorithm<TokenBucketState> {
  const { capacity, refillPerSec } = settings;
  if (!(Number.isSafeInteger(capacity) && capacity > 0)) throw new RangeError(`rate limit capacity must be a positive integer, got ${String(capacity)}`);
  if (!(Number.isFinite(refillPerSec) && refillPerSec > 0)) throw new RangeError(`rate limit refillPerSec must be a positive number, got ${String(refillPerSec)}`);
  const perMs = refillPerSec / 1000;
  const policy = tokenBucketPolicy(capacity, refillPerSec);
  return {
    kind: 'token-bucket',
    limit: capacity,
    policy,
    create: (now) => ({ tokens: capacity, updatedAt: now, expiresAt: now }),
    reset(state, now) {
      state.tokens = capacity;
      state.updatedAt = now;
      state.expiresAt = now;
    },
    consume(state, now) {
      const tokens = Math.min(capacity, state.tokens + Math.max(0, now - state.updatedAt) * perMs);
      const allowed = tokens + EPSILON >= 1;
      const left = allowed ? Math.max(0, tokens - 1) : tokens;
      state.tokens = left;
      state.updatedAt = now;
      const resetMs = Math.max(0, Math.ceil((capacity - left) / perMs - MS_EPSILON));
      state.expiresAt = now + resetMs;
      return {
        allowed,
        limit: capacity,
        remaining: Math.floor(left + EPSILON),
        resetMs,
        retryAfterMs: allowed ? 0 : Math.max(1, Math.ceil((1 - left) / perMs - MS_EPSILON)),
        policy,
        degraded: false,
      } satisfies RateLimitDecision;
    },
    script: TOKEN_BUCKET_SCRIPT,
    scriptArgs: [String(capacity), String(perMs)],
  };
}

/**
 * `RateLimit-Policy` for a bucket: the sustained rate as a quota per window of whole seconds (the
 * shortest window, up to an hour, in which the refill is a whole number), with the capacity as
 * `burst` (the draft's example of an extension parameter), e.g. `5;w=1;burst=20`.
 */
function tokenBucketPolicy(capacity: number, refillPerSec: number): string {
  for (let seconds = 1; seconds <= 3600; seconds += 1) {
    const quota = refillPerSec * seconds;
    if (Math.abs(quota - Math.round(quota)) < 1e-9) return `${Math.round(quota)};w=${seconds};burst=${capacity}`;
  }
  return `${Math.max(1, Math.floor(refillPerSec * 3600))};w=3600;burst=${capacity}`;
}

/**
 * The same arithmetic in Redis: a hash {t: tokens, u: updated at}; ARGV capacity, tokens per ms. A
 * refused request writes nothing (its refill is recomputed on the next read).
 */
const TOKEN_BUCKET_SCRIPT = `${REDIS_NOW}
local capacity = tonumber(ARGV[1])
local perMs = tonumber(ARGV[2])
local saved = redis.call('HMGET', KEYS[1], 't', 'u')
local tokens = tonumber(saved[1])
local updated = tonumber(saved[2])
if tokens == nil or updated == nil then
  tokens = capacity
else
  tokens = math.min(capacity, tokens + math.max(0, now - updated) * perMs)
end
local allowed, retry = 0, 0
if tokens + ${EPSILON} >= 1 then
  allowed = 1
  tokens = math.max(0, tokens - 1)
else
  retry = math.max(1, math.ceil((1 - tokens) / perMs - ${MS_EPSILON}))
end
local reset = math.max(0, math.ceil((capacity - tokens) / perMs - ${MS_EPSILON}))
if allowed == 1 then
  redis.call('HSET', KEYS[1], 't', string.format('%.17g', tokens), 'u', now)
  redis.call('PEXPIRE', KEYS[1], math.max(1, reset))
end
return {allowed, math.floor(tokens + ${EPSILON}), reset, retry}`;
