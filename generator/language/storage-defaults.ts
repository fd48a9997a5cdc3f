// What a service's `storage` means where the spec leaves a key out. The pool size equals the
// runtime's PG_DEFAULTS.poolSize (runtime/storage/pg.ts), which the generator may not import
// (test/unit/model/storage.test.ts holds the two together).

/**
 * The database engines a service's `storage` may name: `postgres` (PostgreSQL in production, PGlite
 * embedded in development and tests).
 *
 * @example
 * STORAGE_ENGINES.includes('postgres') // true
 */
export const STORAGE_ENGINES = ['postgres'] as const;

/** A database engine's name, as the spec writes it. */
export type StorageEngine = (typeof STORAGE_ENGINES)[number];

/**
 * The connections each instance of a service keeps open at most when `storage.pool` is left out.
 *
 * @example
 * const poolSize = typeof raw.storage === 'object' ? (raw.storage.pool ?? DEFAULT_POOL_SIZE) : DEFAULT_POOL_SIZE;
 */
export const DEFAULT_POOL_SIZE = 10;
