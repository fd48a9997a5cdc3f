// An IdempotencyStore in the service's own database (PostgreSQL or PGlite), so that a handler's
// effect and its key commit together. Every statement goes through `db.current() ?? db`:
// - Inside a transaction (the hook's), claim, complete and release are statements of that
//   transaction. A rollback then undoes the effect, the claim and the done record alike: the key is
//   free again and no stale claim blocks the retry; a commit makes effect and record visible at once.
//   The claim must be in the transaction too, not only `complete`: a committed claim whose `complete`
//   rolled back would stay pending and block retries until its lease ran out.
// - A claim inside a transaction is invisible to others until commit, so it also holds a
//   transaction-scoped advisory lock on the key: a concurrent claimer that cannot take the lock
//   answers `in-progress` at once instead of waiting in the database (holding a connection, past
//   its caller's deadline) for the first transaction to end.
// - Outside a transaction each call is its own short transaction (claim) or one statement.
// Times come from the database's clock (statement_timestamp, one clock for all replicas) unless a
// `now` is given. Old rows go by a bounded delete, at most once per `sweepIntervalMs`, run by a claim
// (after its transaction commits when it is inside one).
import { randomUUID } from 'node:crypto';
import type { Database, Queryable } from '../storage/types.js';
import { checkTableName, DEFAULT_IDEMPOTENCY_TABLE, ensureIdempotencyTable } from './database-table.js';
import type { ClaimOptions, ClaimResult, IdempotencyRecord, IdempotencyStore } from './types.js';

/**
 * Options of {@link createDatabaseIdempotencyStore}.
 *
 * @example
 * const options: DatabaseIdempotencyStoreOptions = { table: 'orders_idempotency', retentionMs: 3_600_000 };
 */
export interface DatabaseIdempotencyStoreOptions {
  /** The table (`name` or `schema.name`). Default `meshspec_idempotency`. */
  readonly table?: string;
  /** How long a done key answers with its result. Default 86_400_000 (24 h). */
  readonly retentionMs?: number;
  /** The clock in ms since the epoch. Default the database's (statement_timestamp), shared by replicas. */
  readonly now?: () => number;
  /** Create the table if missing when the store is made. Default true (false: a migration does it). */
  readonly createTable?: boolean;
  /** Least time between two deletes of expired rows. Default 60_000. */
  readonly sweepIntervalMs?: number;
  /** Most rows one delete removes. Default 500. */
  readonly sweepLimit?: number;
}

/**
 * The database store, with its table and its cleanup.
 *
 * @example
 * const store: DatabaseIdempotencyStore = await createDatabaseIdempotencyStore(db);
 * await store.sweep(); // rows removed
 */
export interface DatabaseIdempotencyStore extends IdempotencyStore {
  /** The table in use. */
  readonly table: string;
  /** Deletes up to `sweepLimit` expired rows now (outside any transaction); answers how many. */
  sweep(): Promise<number>;
}

interface RecordRow {
  state: 'pending' | 'done';
  lease_expires_at: string | null;
  result_json: string | null;
  completed_at: string | null;
  expires_at: string;
}

const resultOf = (json: string | null): unknown => (json === null ? undefined : JSON.parse(json));

function recordOf(row: RecordRow): IdempotencyRecord {
  if (row.state === 'pending') return { state: 'pending', leaseExpiresAt: Number(row.lease_expires_at) };
  return { state: 'done', result: resultOf(row.result_json), completedAt: Number(row.completed_at), expiresAt: Number(row.expires_at) };
}

function positiveInteger(name: string, value: number): number {
  if (!(Number.isInteger(value) && value > 0)) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}

/**
 * Creates an idempotency store in a table of the service's database (created if missing), for a
 * hook whose effect is in the same database: called inside `db.transaction`, the claim and the
 * done record are statements of that transaction and commit or roll back with the effect. Claims
 * are atomic on PostgreSQL under any number of replicas (INSERT ... ON CONFLICT ... WHERE the
 * record is free, plus an advisory lock on the key) and on PGlite (one connection). Make it at
 * start-up, outside any transaction (it may create the table in a transaction of its own).
 *
 * @param db the service's database
 * @param options.table the table (`name` or `schema.name`); default `meshspec_idempotency`
 * @param options.retentionMs how long a done key answers with its result; default 86_400_000 (24 h)
 * @param options.now the clock in ms since the epoch; default the database's clock
 * @param options.createTable create the table if missing; default true
 * @param options.sweepIntervalMs least time between two deletes of expired rows; default 60_000
 * @param options.sweepLimit most rows one delete removes; default 500
 * @throws TypeError for a table name that is not an identifier; RangeError for a non-positive setting
 * @example
 * const store = await createDatabaseIdempotencyStore(db);
 * await db.transaction(() =>
 *   once(store, `billing:charge:${envelope.id}`, async () => {
 *     await db.current()!.query(sql`insert into charges (order_id) values (${envelope.payload.orderId})`);
 *     return { charged: true };
 *   }),
 * );
 */
export async function createDatabaseIdempotencyStore(db: Database, options: DatabaseIdempotencyStoreOptions = {}): Promise<DatabaseIdempotencyStore> {
  const table = checkTableName(options.table ?? DEFAULT_IDEMPOTENCY_TABLE);
  const retentionMs = positiveInteger('retentionMs', options.retentionMs ?? 86_400_000);
  const sweepIntervalMs = positiveInteger('sweepIntervalMs', options.sweepIntervalMs ?? 60_000);
  const sweepLimit = positiveInteger('sweepLimit', options.sweepLimit ?? 500);
  const clock = options.now;
  if (options.createTable ?? true) await ensureIdempotencyTable(db, table);

  /** `text` with `NOW` replaced by the clock: a parameter, or the database's time of the statement. */
  const timed = (text: string, params: unknown[]): [string, unknown[]] => {
    if (!clock) return [text.replaceAll('NOW', '(extract(epoch from statement_timestamp()) * 1000)::bigint'), params];
    return [text.replaceAll('NOW', `$${params.length + 1}::bigint`), [...params, Math.floor(clock())]];
  };
  const run = <R>(q: Queryable, text: string, params: unknown[]) => q.query<R>(...timed(text, params));

  const LIVE = `((state = 'pending' and lease_expires_at > NOW) or (state = 'done' and expires_at > NOW))`;
  const SELECT_LIVE = `select state, lease_expires_at, result::text as result_json, completed_at, expires_at from ${table} where key = $1 and ${LIVE}`;
  // Takes the key when it is new or its record is free: released (no row), an expired lease, an
  // expired done record. Row-locked by PostgreSQL, so of concurrent claims exactly one returns a row.
  const CLAIM = `insert into ${table} as t (key, state, token, lease_expires_at, expires_at)
    values ($1, 'pending', $2, NOW + $3, NOW + $3 + $4)
    on conflict (key) do update set state = 'pending', token = excluded.token, lease_expires_at = excluded.lease_expires_at,
      result = null, completed_at = null, expires_at = excluded.expires_at
    where (t.state = 'pending' and t.lease_expires_at <= NOW) or t.expires_at <= NOW
    returning token`;

  let lastSweep = -Infinity;

  const claimIn = async (q: Queryable, key: string, leaseMs: number): Promise<ClaimResult> => {
    // Held to the end of the transaction: a claim not yet committed is seen by its lock.
    const { rows: lock } = await q.query<{ locked: boolean }>('select pg_try_advisory_xact_lock(hashtextextended($1, 0)) as locked', [key]);
    const locked = lock[0]!.locked;
    for (let attempt = 0; attempt < 5; attempt++) {
      if (locked) {
        const token = randomUUID();
        const { rows } = await run<{ token: string }>(q, CLAIM, [key, token, leaseMs, retentionMs]);
        if (rows.length === 1) return { status: 'claimed', token };
      }
      const { rows } = await run<RecordRow>(q, SELECT_LIVE, [key]);
      const record = rows[0] ? recordOf(rows[0]) : undefined;
      if (record?.state === 'done') return { status: 'done', result: record.result };
      if (record) return { status: 'in-progress', leaseExpiresAt: record.leaseExpiresAt };
      // Another transaction's claim, not committed yet: its lease is not visible, this is its earliest end.
      if (!locked) return { status: 'in-progress', leaseExpiresAt: (clock ?? Date.now)() + leaseMs };
      // The holder released the key between the two statements: try again.
    }
    return { status: 'in-progress', leaseExpiresAt: (clock ?? Date.now)() + leaseMs };
  };

  const sweep = async (): Promise<number> => {
    const { rowCount } = await run(
      db,
      // The outer condition is checked again on a row a claim took over meanwhile, so that row stays.
      `delete from ${table} where key in (select key from ${table} where expires_at <= NOW order by expires_at limit $1) and expires_at <= NOW`,
      [sweepLimit],
    );
    return rowCount;
  };

  const sweepIfDue = async (): Promise<void> => {
    const at = Date.now();
    if (at - lastSweep < sweepIntervalMs) return;
    lastSweep = at;
    // Never inside the caller's transaction: it would widen what that transaction locks. A failed
    // sweep is retried by the next one due; expired rows are already ignored by every read.
    const tx = db.current();
    if (tx) tx.afterCommit(() => sweep().catch(() => undefined));
    else await sweep().catch(() => undefined);
  };

  return {
    table,

    async claim(key: string, { leaseMs }: ClaimOptions): Promise<ClaimResult> {
      positiveInteger('leaseMs', leaseMs);
      await sweepIfDue();
      const tx = db.current();
      return tx ? claimIn(tx, key, leaseMs) : db.transaction((own) => claimIn(own, key, leaseMs));
    },

    async complete(key: string, token: string, result: unknown): Promise<boolean> {
      const json = result === undefined ? null : JSON.stringify(result);
      const { rowCount } = await run(
        db.current() ?? db,
        `update ${table} set state = 'done', token = null, lease_expires_at = null, result = $3::json, completed_at = NOW, expires_at = NOW + $4
          where key = $1 and state = 'pending' and token = $2`,
        [key, token, json, retentionMs],
      );
      return rowCount === 1;
    },

    async release(key: string, token: string): Promise<void> {
      await (db.current() ?? db).query(`delete from ${table} where key = $1 and state = 'pending' and token = $2`, [key, token]);
    },

    async get(key: string): Promise<IdempotencyRecord | undefined> {
      const { rows } = await run<RecordRow>(db.current() ?? db, SELECT_LIVE, [key]);
      return rows[0] ? recordOf(rows[0]) : undefined;
    },

    sweep,
  };
}
