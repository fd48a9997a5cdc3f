// Writing an event into the outbox, inside the caller's transaction.
import type { EventEnvelope } from '../../bus/types.js';
import type { Database } from '../types.js';
import { OUTBOX_TABLE } from './table.js';

/**
 * Inserts `envelope` into the outbox in the transaction running in this async context
 * (`db.current()`) and calls `wake` once that transaction commits. Outside a transaction it writes
 * nothing and resolves false: the caller publishes directly, as without an outbox.
 *
 * @param db - the service's database (its `current()` transaction receives the row)
 * @param envelope - the event, complete (its `id` is the one consumers deduplicate on)
 * @param wake - called after the commit (never after a rollback): the relay's wake-up
 * @returns true when the event is in the transaction, false when there is no transaction
 * @example
 * if (!(await enqueueEvent(db, envelope, () => relay.wake()))) await bus.publish(envelope);
 */
export async function enqueueEvent(db: Database, envelope: EventEnvelope, wake: () => void): Promise<boolean> {
  const tx = db.current();
  if (!tx) return false;
  await tx.query(`insert into ${OUTBOX_TABLE} (id, event, envelope) values ($1, $2, $3)`, [
    envelope.id,
    envelope.event,
    JSON.stringify(envelope),
  ]);
  tx.afterCommit(wake);
  return true;
}
