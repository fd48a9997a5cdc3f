// meshspec/runtime/bus/redis: the Redis Streams EventBus adapter (ioredis).
export { createRedisBus, type RedisBus } from './bus.js';
export { connectRedisBus } from './connect.js';
export { deadLetterKey, streamKey, type RedisBusOptions } from './options.js';
