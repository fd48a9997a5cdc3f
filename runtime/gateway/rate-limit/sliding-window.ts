// The sliding-window counter (as Cloudflare's and nginx-style limiters use it): two fixed windows per
// key, the current one's count and the previous one's, the previous weighted by how much of it still
// overlaps the sliding window ending now. Two numbers per key instead of one timestamp per request
// (a sliding log), and no burst of 2x the limit at a window edge (a fixed window). It assumes the
// previous window's requests were spread evenly: the approximation is what buys O(1) memory.
// All arithmetic is scaled by the window length, so with integer milliseconds it is exact: limit N
// allows exactly N and refuses the N+1st, never off by a floating-point rounding.
import { REDIS_NOW } from './redis-clock.js';
import type { KeyState, RateLimitAlgorithm, RateLimitDecision } from './types.js';

/**
 * Settings of {@link slidingWindow}.
 *
 * @example
 * const settings: SlidingWindowSettings = { limit: 100, windowMs: 60_000 };
 */
export interface SlidingWindowSettings {
  /** Requests allowed per window, a positive integer. */
  readonly limit: number;
  /** The window, ms, a positive integer. */
  readonly windowMs: number;
}

/**
 * One key's counts: the fixed window that `current` counts, and the count of the window before it.
 *
 * @example
 * const state: SlidingWindowState = { windowStart: 60_000, previous: 12, current: 3, expiresAt: 180_000 };
 */
export interface SlidingWindowState extends KeyState {
  windowStart: number;
  previous: number;
  current: number;
}

/**
 * The sliding-window counter: at most `limit` requests in any `windowMs`, estimated from two fixed
 * windows (aligned to multiples of `windowMs` since the epoch). `resetMs` is when every request made
 * so far has stopped counting: the end of the next window when this window has requests.
 *
 * @param settings.limit requests per window (positive integer)
 * @param settings.windowMs the window in ms (positive integer)
 * @throws RangeError when a setting is not a positive integer
 * @example
 * const algorithm = slidingWindow({ limit: 2, windowMs: 1_000 });
 * const state = algorithm.create(0);
 * algorithm.consume(state, 0).allowed; // true
 * algorithm.consume(state, 1).allowed; // true
 * algorithm.consume(state, 2).retryAfterMs; // 1_498: at 1_500 the full window before weighs half, 1 request
 */
export function slidingWindow(settings: SlidingWindowSettings): RateLimitAlgorithm<SlidingWindowState> {
  const { limit, windowMs } = settings;
  positiveInteger('limit', limit);
  positiveInteger('windowMs', windowMs);
  const policy = `${limit};w=${Math.ceil(windowMs / 1000)}`;
  return {
    kind: 'sliding-window',
    limit,
    policy,
    create: (now) => ({ windowStart: now - (now % windowMs), previous: 0, current: 0, expiresAt: now }),
    reset(state, now) {
      state.windowStart = now - (now % windowMs);
      state.previous = 0;
      state.current = 0;
      state.expiresAt = now;
    },
    consume(state, now) {
      const start = now - (now % windowMs);
      if (state.windowStart !== start) {
        state.previous = state.windowStart === start - windowMs ? state.current : 0;
        state.current = 0;
        state.windowStart = start;
      }
      const elapsed = now - start;
      // used × windowMs, in integers: previous × (part of it still inside the window) + current × windowMs.
      const weighted = state.previous * (windowMs - elapsed);
      const allowed = weighted + (state.current + 1) * windowMs <= limit * windowMs;
      let retryAfterMs = 0;
      if (allowed) state.current += 1;
      else if (state.current + 1 <= limit) {
        // The previous window must weigh less: wait until its share has shrunk enough.
        retryAfterMs = Math.ceil(windowMs - elapsed - ((limit - state.current - 1) * windowMs) / state.previous);
      } else {
        // This window alone is full: wait for the next one, and there until this one weighs little enough.
        retryAfterMs = windowMs - elapsed + Math.ceil(windowMs - ((limit - 1) * windowMs) / state.current);
      }
      state.expiresAt = start + 2 * windowMs;
      return {
        allowed,
        limit,
        remaining: Math.max(0, Math.floor((limit * windowMs - weighted - state.current * windowMs) / windowMs)),
        resetMs: state.current > 0 ? 2 * windowMs - elapsed : state.previous > 0 ? windowMs - elapsed : 0,
        retryAfterMs,
        policy,
        degraded: false,
      } satisfies RateLimitDecision;
    },
    script: SLIDING_WINDOW_SCRIPT,
    scriptArgs: [String(limit), String(windowMs)],
  };
}

/** The same arithmetic in Redis: a hash {s: window start, p: previous, c: current}; ARGV limit, windowMs. */
const SLIDING_WINDOW_SCRIPT = `${REDIS_NOW}
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local start = now - now % window
local saved = redis.call('HMGET', KEYS[1], 's', 'p', 'c')
local savedStart = tonumber(saved[1])
local previous, current = 0, 0
if savedStart == start then
  previous = tonumber(saved[2]) or 0
  current = tonumber(saved[3]) or 0
elseif savedStart == start - window then
  previous = tonumber(saved[3]) or 0
end
local elapsed = now - start
local weighted = previous * (window - elapsed)
local allowed, retry = 0, 0
if weighted + (current + 1) * window <= limit * window then
  allowed = 1
  current = current + 1
  redis.call('HSET', KEYS[1], 's', start, 'p', previous, 'c', current)
  redis.call('PEXPIRE', KEYS[1], start + 2 * window - now)
elseif current + 1 <= limit then
  retry = math.ceil(window - elapsed - (limit - current - 1) * window / previous)
else
  retry = window - elapsed + math.ceil(window - (limit - 1) * window / current)
end
local remaining = math.max(0, math.floor((limit * window - weighted - current * window) / window))
local reset = 0
if current > 0 then reset = 2 * window - elapsed elseif previous > 0 then reset = window - elapsed end
return {allowed, remaining, reset, retry}`;

function positiveInteger(name: string, value: number): void {
  if (!(Number.isSafeInteger(value) && value > 0)) throw new RangeError(`rate limit ${name} must be a positive integer, got ${String(value)}`);
}
