// Sent rows stay a while for inspection (what was published, when, after how many attempts), then go.
import type { Database } from '../types.js';
import { OUTBOX_TABLE } from './table.js';

/** Rows deleted per statement: a long backlog is removed in steps that never hold many locks. */
const DELETE_CHUNK = 10_000;

/**
 * Deletes rows sent more than `retentionMs` ago, in chunks. Waiting rows are never deleted.
 *
 * @param db - the service's database
 * @param retentionMs - how long a sent row is kept
 * @returns how many rows were deleted
 * @example
 * await deleteSentRows(db, 60 * 60 * 1000); // keep one hour of sent events
 */
export async function deleteSentRows(db: Database, retentionMs: number): Promise<number> {
  const cutoff = new Date(Date.now() - retentionMs);
  let deleted = 0;
  for (;;) {
    const { rowCount } = await db.query(
      `delete from ${OUTBOX_TABLE} where seq in (select seq from ${OUTBOX_TABLE} where sent_at < $1 limit $2)`,
      [cutoff, DELETE_CHUNK],
    );
    deleted += rowCount;
    if (rowCount < DELETE_CHUNK) return deleted;
  }
}
