// One pass of the relay: the oldest waiting rows, forwarded to the bus in sequence order, marked
// sent. The publishes of a pass are started together, in sequence order (each adapter writes them to
// its one connection or channel in call order), and awaited in that order: one round trip per pass
// instead of one per event, which is what lets the relay keep up with the writers (bench/storage.ts).
// Only the rows before the first one the bus refuses are marked sent; that row and every row after
// it are sent again by the next pass, in order (consumers may see a later event twice, with its id).
import type { EventBus, EventEnvelope } from '../../bus/types.js';
import type { Database, Queryable } from '../types.js';
import { OUTBOX_TABLE } from './table.js';

/**
 * What one pass did.
 *
 * @example
 * const result: BatchResult = { busy: false, sent: 3, read: 4, error: new Error('the broker is unreachable') };
 */
export interface BatchResult {
  /** Another replica's relay holds the service's lock: nothing was read. */
  readonly busy: boolean;
  /** Rows forwarded and marked sent. */
  readonly sent: number;
  /** Rows read (all of them sent unless `error` is set). */
  readonly read: number;
  /** Why the bus refused the row the pass stopped at. */
  readonly error?: unknown;
}

/**
 * Settings of {@link forwardBatch}.
 *
 * @example
 * const settings: BatchSettings = { db, bus, service: 'orders', batchSize: 100, publishTimeoutMs: 5000 };
 */
export interface BatchSettings {
  readonly db: Database;
  readonly bus: EventBus;
  /** The service: names the advisory lock that lets one relay at a time forward its outbox. */
  readonly service: string;
  /** Rows per pass. */
  readonly batchSize: number;
  /** Longest wait for the bus to accept one event; past it the event counts as refused. */
  readonly publishTimeoutMs: number;
}

interface WaitingRow {
  seq: string;
  envelope: EventEnvelope;
}

/**
 * Forwards one batch. On PostgreSQL the pass runs in a transaction holding
 * `pg_try_advisory_xact_lock(service)`: with several replicas, one relay forwards at a time and the
 * others see `busy`; the rows are marked sent in that transaction, so a crash after the bus accepted
 * an event and before the commit sends it again (same event id). PGlite is one process: no lock.
 *
 * @param settings - database, bus, service, batch size and per-event publish timeout
 * @example
 * const { sent, error } = await forwardBatch({ db, bus, service: 'orders', batchSize: 100, publishTimeoutMs: 5000 });
 */
export async function forwardBatch(settings: BatchSettings): Promise<BatchResult> {
  const { db, service } = settings;
  if (db.engine !== 'pg') return forwardRows(db, settings);
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ locked: boolean }>(`select pg_try_advisory_xact_lock(hashtext($1)) as locked`, [
      `${OUTBOX_TABLE}:relay:${service}`,
    ]);
    if (!rows[0]?.locked) return { busy: true, sent: 0, read: 0 };
    return forwardRows(tx, settings);
  });
}

async function forwardRows(q: Queryable, settings: BatchSettings): Promise<BatchResult> {
  const { rows } = await q.query<WaitingRow>(
    `select seq, envelope from ${OUTBOX_TABLE} where sent_at is null order by seq limit $1`,
    [settings.batchSize],
  );
  const sent: string[] = [];
  let error: unknown;
  const publishing = rows.map((row) => withTimeout(settings.bus.publish(row.envelope), settings.publishTimeoutMs));
  // The ones after a refusal are not awaited below: their outcome is settled by the next pass.
  for (const attempt of publishing) attempt.catch(() => undefined);
  for (const [index, row] of rows.entries()) {
    try {
      await publishing[index];
      sent.push(row.seq);
    } catch (err) {
      error = err;
      await q.query(`update ${OUTBOX_TABLE} set attempts = attempts + 1, last_error = $2 where seq = $1`, [
        row.seq,
        describe(err),
      ]);
      break;
    }
  }
  if (sent.length > 0) {
    await q.query(`update ${OUTBOX_TABLE} set sent_at = now(), attempts = attempts + 1 where seq = any($1::bigint[])`, [sent]);
  }
  return error === undefined ? { busy: false, sent: sent.length, read: rows.length } : { busy: false, sent: sent.length, read: rows.length, error };
}

function withTimeout(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the bus did not accept the event within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

// Bounded: the row is for inspection, not a log sink.
function describe(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).slice(0, 300);
}
