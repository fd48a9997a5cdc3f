// A service's database: one API (types.ts) over PostgreSQL (`pg`, production) and PGlite (in process,
// the embedded default), the `sql` tag, error mapping and the migrator. Loads neither engine's
// library until openDatabase asks for it, so a production service never loads the WASM build and
// an embedded one never loads `pg`.
import type { PgDatabaseOptions } from './pg.js';
import type { PgliteDatabaseOptions } from './pglite.js';
import type { Database } from './types.js';

export type { Database, DatabaseEngine, IsolationLevel, Queryable, QueryResult, Row, Transaction, TransactionOptions } from './types.js';
export { sql, SqlQuery } from './sql.js';
export { DatabaseError, isDatabaseError, MAX_DATABASE_MESSAGE_CHARS, SQLSTATE, TransactionMisuse, type DatabaseErrorFields } from './errors.js';
export {
  migrate,
  migrationStatus,
  MIGRATIONS_TABLE,
  MigrationError,
  type MigrateOptions,
  type MigrateReport,
  type MigrationState,
} from './migrate.js';
export type { PgDatabaseOptions } from './pg.js';
export type { PgliteDatabaseOptions } from './pglite.js';

/**
 * Which engine to open, and its options.
 *
 * @example
 * const production: DatabaseOptions = { engine: 'pg', name: 'orders' };
 * const embedded: DatabaseOptions = { engine: 'pglite', name: 'orders', dataDir: '.meshspec/data/orders' };
 */
export type DatabaseOptions = ({ readonly engine: 'pg' } & PgDatabaseOptions) | ({ readonly engine: 'pglite' } & PgliteDatabaseOptions);

/**
 * Opens a service's database on the engine asked for, loading only that engine's library.
 * PostgreSQL connects on first use; PGlite is open when this resolves.
 *
 * @param options - `engine` (`pg` or `pglite`), `name` (the service), and the engine's options
 *   (PgDatabaseOptions: url, poolSize, timeouts; PgliteDatabaseOptions: dataDir)
 * @example
 * const db = await openDatabase({ engine: 'pglite', name: 'orders' }); // in memory
 * const { rows } = await db.query<{ id: string }>(sql`select id from orders where customer = ${customer}`);
 */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.engine === 'pg') {
    const { createPgDatabase } = await import('./pg.js');
    return createPgDatabase(options);
  }
  if (options.engine === 'pglite') {
    const { createPgliteDatabase } = await import('./pglite.js');
    return createPgliteDatabase(options);
  }
  throw new TypeError(`unknown database engine '${String((options as { engine?: unknown }).engine)}': use 'pg' or 'pglite'`);
}
