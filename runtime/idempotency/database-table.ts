// The table of the database-backed idempotency store, and how it is created. One row per key; times
// are ms since the epoch (bigint) by the store's clock. `expires_at` is when the row may be deleted:
// a done row's completed_at + retention, a pending row's lease + retention (so a holder whose lease
// ran out can still complete while nobody claimed the key since, as the contract asks).
import { createIfMissing } from '../storage/ddl.js';
import type { Database } from '../storage/types.js';

/** The table a store uses unless told otherwise. */
export const DEFAULT_IDEMPOTENCY_TABLE = 'meshspec_idempotency';

// A plain or schema-qualified lower-case identifier: table names are written into the SQL text
// (identifiers cannot be parameters), so nothing else is accepted.
const TABLE_NAME = /^(?:[a-z_][a-z0-9_]{0,62}\.)?[a-z_][a-z0-9_]{0,62}$/;


/**
 * Checks a table name for the store (`name` or `schema.name`, lower case, at most 63 characters
 * each) and returns it.
 *
 * @param table the name to check
 * @throws TypeError for anything else (it is written into SQL text)
 * @example
 * checkTableName('orders_idempotency'); // 'orders_idempotency'
 */
export function checkTableName(table: string): string {
  if (typeof table !== 'string' || !TABLE_NAME.test(table)) {
    throw new TypeError(`idempotency table name must be a lower-case identifier (optionally schema.name), got '${String(table)}'`);
  }
  return table;
}

/**
 * The DDL of the store's table and its expiry index, for a migration file of your own if the
 * service's role may not create tables at run time.
 *
 * @param table the table's name; default `meshspec_idempotency`
 * @example
 * await writeFile('migrations/0001_idempotency.sql', idempotencyTableDdl());
 */
export function idempotencyTableDdl(table: string = DEFAULT_IDEMPOTENCY_TABLE): string {
  checkTableName(table);
  const index = `${table.replace('.', '_')}_expires_at`.slice(0, 63);
  return `create table if not exists ${table} (
  key text primary key,
  state text not null check (state in ('pending', 'done')),
  token text,
  lease_expires_at bigint,
  result json,
  completed_at bigint,
  expires_at bigint not null
);
create index if not exists ${index} on ${table} (expires_at);
`;
}

/**
 * Creates the store's table if it is missing; replicas doing it at once take turns (an advisory
 * lock). Must not be called inside a transaction's callback (it opens its own).
 *
 * @param db the service's database
 * @param table the table's name; default `meshspec_idempotency`
 * @example
 * await ensureIdempotencyTable(db);
 */
export async function ensureIdempotencyTable(db: Database, table: string = DEFAULT_IDEMPOTENCY_TABLE): Promise<void> {
  const statements = idempotencyTableDdl(table).split(';\n').filter((statement) => statement.trim() !== '');
  await createIfMissing(db, `${table}:ddl`, statements);
}
