// The saga log's tables, created by the log itself when it opens (like the outbox's): a service with
// sagas gets them without a migration of its own.
import { createIfMissing } from '../../storage/ddl.js';
import type { Database } from '../../storage/types.js';

/**
 * One row per saga: its state, input, output, failure, and its lease (owner + expiry).
 *
 * @example
 * await db.query(`select id, saga, failure_step, failure_message from ${SAGAS_TABLE} where state = 'stuck'`);
 */
export const SAGAS_TABLE = 'meshspec_sagas';

/**
 * One row per step and phase of a saga (forward or compensate): outcome, attempts, timing, output, last error.
 *
 * @example
 * await db.query(`select step, phase, outcome, attempts from ${SAGA_STEPS_TABLE} where saga_id = $1 order by seq`, [id]);
 */
export const SAGA_STEPS_TABLE = 'meshspec_saga_steps';

// `json`, not jsonb: inputs and outputs are stored as written and read back whole. The partial
// index keeps the resume loop's scan on sagas in flight however many finished ones remain.
const DDL = [
  `create table if not exists ${SAGAS_TABLE} (
    id text primary key,
    saga text not null,
    state text not null,
    input json not null,
    output json,
    failure_step text,
    failure_code text,
    failure_message text,
    failed_step_may_have_applied boolean not null default false,
    owner text,
    lease_expires_at timestamptz not null,
    created_at timestamptz not null,
    updated_at timestamptz not null,
    finished_at timestamptz
  )`,
  `create index if not exists ${SAGAS_TABLE}_due on ${SAGAS_TABLE} (lease_expires_at) where state in ('running', 'compensating')`,
  `create index if not exists ${SAGAS_TABLE}_by_state on ${SAGAS_TABLE} (state, created_at)`,
  `create index if not exists ${SAGAS_TABLE}_by_name on ${SAGAS_TABLE} (saga, state, created_at)`,
  `create table if not exists ${SAGA_STEPS_TABLE} (
    saga_id text not null references ${SAGAS_TABLE} (id) on delete cascade,
    step text not null,
    phase text not null,
    seq bigint generated always as identity,
    outcome text not null,
    attempts integer not null,
    started_at timestamptz not null,
    finished_at timestamptz,
    output json,
    error_code text,
    error_message text,
    primary key (saga_id, step, phase)
  )`,
];

/**
 * Creates the saga log's tables and indexes if missing (idempotent; replicas take turns).
 *
 * @param db - the service's database
 * @example
 * await ensureSagaTables(db);
 */
export async function ensureSagaTables(db: Database): Promise<void> {
  await createIfMissing(db, `${SAGAS_TABLE}:ddl`, DDL);
}
