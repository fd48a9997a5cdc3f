// Tables the runtime creates for itself (the outbox, the idempotency store) rather than through the
// user's migrations: created at start-up if missing, by whichever replica comes first.
import type { Database } from './types.js';

/**
 * Runs `statements` (each a `create ... if not exists`) in one transaction, under a
 * transaction-scoped advisory lock named `lockName`: replicas starting together take turns, because
 * PostgreSQL does not make two concurrent `create table if not exists` of one table safe (the second
 * fails on its catalog). Must not be called inside a transaction's callback (it opens its own).
 *
 * @param db - the service's database
 * @param lockName - names the lock (hashed to its key); one per set of tables
 * @param statements - the DDL, run in order
 * @example
 * await createIfMissing(db, 'meshspec_outbox:ddl', ['create table if not exists meshspec_outbox (...)']);
 */
export async function createIfMissing(db: Database, lockName: string, statements: readonly string[]): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(`select pg_advisory_xact_lock(hashtext($1))`, [lockName]);
    for (const statement of statements) await tx.query(statement);
  });
}
