// The table a participant of a choreographed saga keeps in its own database: one row per saga id
// and step it took part in, written in the transaction of its event hook, so a step redelivered after
// a crash, or a compensation, knows exactly whether the step took effect.
import { createIfMissing } from '../../storage/ddl.js';
import type { Database } from '../../storage/types.js';

/**
 * One row per (saga, saga id, step) a service took part in: the step's `outcome` (`started` while
 * its hook has only failed, `succeeded`, `failed`, or `skipped` when a compensation came first) and
 * its compensation's state (null, `compensated`, `stuck`), attempts and last error.
 *
 * @example
 * await db.query(`select saga_id, step, compensation from ${PARTICIPANTS_TABLE} where compensation = 'stuck'`);
 */
export const PARTICIPANTS_TABLE = 'meshspec_saga_participants';

const DDL = [
  `create table if not exists ${PARTICIPANTS_TABLE} (
    saga text not null,
    saga_id text not null,
    step text not null,
    outcome text not null,
    attempts integer not null default 0,
    compensation text,
    compensation_attempts integer not null default 0,
    error_code text,
    error_message text,
    created_at timestamptz not null default clock_timestamp(),
    updated_at timestamptz not null default clock_timestamp(),
    primary key (saga, saga_id, step)
  )`,
  `create index if not exists ${PARTICIPANTS_TABLE}_stuck on ${PARTICIPANTS_TABLE} (updated_at) where compensation = 'stuck'`,
];

/**
 * Creates the participants' table if missing (idempotent; replicas take turns).
 *
 * @param db - the participant's database
 * @example
 * await ensureParticipantsTable(db);
 */
export async function ensureParticipantsTable(db: Database): Promise<void> {
  await createIfMissing(db, `${PARTICIPANTS_TABLE}:ddl`, DDL);
}
