// Rate limiting for the gateway: createRateLimiter (sliding-window counter or token bucket, in memory
// or in Redis shared by every replica, failing open or closed when Redis is down) and the response
// headers of a decision. ioredis is loaded only when a limiter opens a Redis connection from a URL.
export { rateLimitHeaderList, rateLimitHeaders, type RateLimitHeaders } from './headers.js';
export {
  createRateLimiter,
  type RateLimiter,
  type RateLimiterOptions,
  type RateLimiterStats,
  type SlidingWindowOptions,
  type TokenBucketOptions,
} from './limiter.js';
export { MemoryRateLimitStore, type MemoryStoreSettings } from './memory-store.js';
export { RateLimitStoreUnavailable, RedisRateLimitStore, type RedisStoreSettings } from './redis-store.js';
export { slidingWindow, type SlidingWindowSettings, type SlidingWindowState } from './sliding-window.js';
export { tokenBucket, type TokenBucketSettings, type TokenBucketState } from './token-bucket.js';
export type { KeyState, RateLimitAlgorithm, RateLimitDecision } from './types.js';
