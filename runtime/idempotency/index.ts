// Idempotency keys: running a side effect at most once per key across duplicate deliveries, retries
// and processes. Shared by the event bus (a subscriber's effect keyed by event id), calls (idempotency
// keys of requests) and the storage layer (a store in the service's database); hence its own folder
// beside runtime/bus rather than inside it. Loads no library: the Redis store is its own entry,
// ./redis.ts (ioredis), not re-exported here. The database store needs only a Database (it loads no
// engine itself).
export { once, type OnceOptions } from './once.js';
export { createMemoryIdempotencyStore, type MemoryIdempotencyStore, type MemoryIdempotencyStoreOptions } from './memory.js';
export {
  createDatabaseIdempotencyStore,
  type DatabaseIdempotencyStore,
  type DatabaseIdempotencyStoreOptions,
} from './database.js';
export { DEFAULT_IDEMPOTENCY_TABLE, ensureIdempotencyTable, idempotencyTableDdl } from './database-table.js';
export { IdempotencyKeyBusy, IdempotencyLeaseLost, IdempotencyStoreFull } from './errors.js';
export type { ClaimOptions, ClaimResult, IdempotencyRecord, IdempotencyStore } from './types.js';
