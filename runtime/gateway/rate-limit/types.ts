// What a rate limiter answers, and what its algorithms and stores share. A decision is a plain object
// the gateway turns into headers (headers.ts) and a 429; nothing here depends on a store or on HTTP.

/**
 * One rate-limit decision for one request (a cost of 1) of one key.
 *
 * @example
 * const decision: RateLimitDecision = { allowed: false, limit: 100, remaining: 0, resetMs: 42_000, retryAfterMs: 600, policy: '100;w=60', degraded: false };
 */
export interface RateLimitDecision {
  /** Whether the request may go through. */
  readonly allowed: boolean;
  /** The quota: requests per window (sliding window) or the bucket's capacity (token bucket). */
  readonly limit: number;
  /** Requests the key may still make right now, after this one (never negative). */
  readonly remaining: number;
  /** Milliseconds until the key's whole quota is available again (0 when it already is). */
  readonly resetMs: number;
  /** Milliseconds until a refused request would be allowed; 0 when allowed. */
  readonly retryAfterMs: number;
  /** The limiter's policy as the IETF draft's `RateLimit-Policy` spells it, e.g. `100;w=60`. */
  readonly policy: string;
  /** True when the store was unavailable and the limiter's failure policy (fail open or closed) decided. */
  readonly degraded: boolean;
}

/**
 * The state of one key, kept by the memory store, that an algorithm reads and updates in place.
 * `expiresAt` is when the state becomes equal to a fresh one, so the store may drop it.
 *
 * @example
 * const state: KeyState = { expiresAt: 1_000_000 };
 */
export interface KeyState {
  expiresAt: number;
}

/**
 * A rate-limit algorithm: its pure arithmetic for the memory store, and the Lua twin of the same
 * arithmetic that the Redis store runs inside Redis (with Redis's clock).
 *
 * @example
 * const algorithm: RateLimitAlgorithm<SlidingWindowState> = slidingWindow({ limit: 100, windowMs: 60_000 });
 */
export interface RateLimitAlgorithm<State extends KeyState = KeyState> {
  /** `sliding-window` or `token-bucket`. */
  readonly kind: 'sliding-window' | 'token-bucket';
  /** The quota reported as `RateLimit-Limit`. */
  readonly limit: number;
  /** `RateLimit-Policy`, e.g. `100;w=60`. */
  readonly policy: string;
  /** A key's state before its first request. @param now epoch ms */
  create(now: number): State;
  /**
   * Makes `state` a fresh one in place (the memory store recycles the state of a key it dropped, so a
   * flood of new keys does not feed the garbage collector long-lived objects).
   *
   * @param state any state of this algorithm
   * @param now epoch ms
   */
  reset(state: State, now: number): void;
  /**
   * Takes one request (cost 1) for a key at `now`: updates `state` in place (also its `expiresAt`)
   * and answers the decision.
   *
   * @param state the key's state (from {@link RateLimitAlgorithm.create} or an earlier call)
   * @param now epoch ms, never earlier than the state's previous `now`
   */
  consume(state: State, now: number): RateLimitDecision;
  /** The Lua script: KEYS[1] the key; ARGV {@link RateLimitAlgorithm.scriptArgs}; returns {allowed, remaining, resetMs, retryAfterMs}. */
  readonly script: string;
  /** The script's arguments (the algorithm's settings). */
  readonly scriptArgs: readonly string[];
}
