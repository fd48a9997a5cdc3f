// The outbox table, created by the outbox itself when it starts (not a migration file): a service
// with storage gets it without a migrations folder, and the user's numbering stays the user's.
import { createIfMissing } from '../ddl.js';
import type { Database } from '../types.js';

/**
 * Where the outbox keeps events: one table per service database, in its default schema.
 *
 * @example
 * const { rows } = await db.query(`select id, event, attempts, last_error from ${OUTBOX_TABLE} where sent_at is null order by seq`);
 */
export const OUTBOX_TABLE = 'meshspec_outbox';

// `seq` orders events (an identity: allocated when a row is inserted, so the rows of one transaction
// and of transactions committed one after the other keep their order). `sent_at` null = waiting for
// the relay; the partial index keeps the relay's scan on waiting rows however many sent ones remain.
// `envelope` is json, not jsonb: it is stored as written and only ever read back whole, so jsonb's
// conversion would be database CPU spent on every write for nothing.
const DDL = [
  `create table if not exists ${OUTBOX_TABLE} (
    seq bigint generated always as identity primary key,
    id text not null,
    event text not null,
    envelope json not null,
    created_at timestamptz not null default now(),
    sent_at timestamptz,
    attempts integer not null default 0,
    last_error text
  )`,
  `create index if not exists ${OUTBOX_TABLE}_waiting on ${OUTBOX_TABLE} (seq) where sent_at is null`,
  `create index if not exists ${OUTBOX_TABLE}_sent on ${OUTBOX_TABLE} (sent_at) where sent_at is not null`,
];

/**
 * Creates the outbox table and its indexes if missing. Idempotent; replicas starting together are
 * serialised by a transaction-scoped advisory lock (two concurrent `create table if not exists`
 * can otherwise collide on PostgreSQL's catalog).
 *
 * @param db - the service's database
 * @example
 * await ensureOutboxTable(db);
 */
export async function ensureOutboxTable(db: Database): Promise<void> {
  await createIfMissing(db, `${OUTBOX_TABLE}:ddl`, DDL);
}
