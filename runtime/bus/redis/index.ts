// meshspec/runtime/bus/redis: the Redis Streams EventBus adapter (ioredis).
export { createRedisBus, type RedisBus } from './bus.js';
export { connectRedisBus } from './connect.js';
export { deadLetterKey, streamKey, type RedisBusOptions } from './options.js';
export { connectRedisDeadLetters, type RedisDeadLettersOptions } from './dead-letters.js';
export type { DeadLetter, DeadLetterAdmin, ListDeadLettersOptions, ReplayResult } from '../dead-letters.js';
