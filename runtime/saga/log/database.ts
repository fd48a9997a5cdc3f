// The saga log in the service's database (PostgreSQL in production, PGlite embedded): two tables
// (tables.ts), every write fenced in SQL by the lease (`where owner = $owner and lease_expires_at >
// now`), so a replica that lost a saga's lease changes nothing of it. Times come from the database
// clock (one clock for every replica's leases), or from an injected clock in tests.
import type { Database, Queryable } from '../../storage/types.js';
import type { SagaRecord, SagaState, StepRecord } from '../types.js';
import { ensureSagaTables, SAGA_STEPS_TABLE, SAGAS_TABLE } from './tables.js';
import { LeaseLost, type LoadedSaga, type SagaChange, type SagaLog, type SagaSummary, type StepResult } from './types.js';

/**
 * Options of {@link createDatabaseSagaLog}.
 *
 * @example
 * const options: DatabaseSagaLogOptions = { db };
 */
export interface DatabaseSagaLogOptions {
  /** The service's database: the log's tables are created in it if missing. */
  readonly db: Database;
  /** The clock, epoch ms. Default: the database's (`clock_timestamp()`). */
  readonly now?: () => number;
}

const IN_FLIGHT_SQL = `state in ('running', 'compensating')`;
// A saga's steps as one json array, in the order they started (over rows with the steps' columns).
const STEPS_JSON = `coalesce(json_agg(json_build_object('step', step, 'phase', phase, 'outcome', outcome, 'attempts', attempts,
  'started_at', (extract(epoch from started_at) * 1000)::float8, 'finished_at', (extract(epoch from finished_at) * 1000)::float8,
  'output', output, 'error_code', error_code, 'error_message', error_message) order by started_at, seq), '[]'::json)`;
const STEP_COLUMNS = 'seq, step, phase, outcome, attempts, started_at, finished_at, output, error_code, error_message';
const SUMMARY_COLUMNS = `id, saga, state, input, output, failure_step, failure_code, failure_message, failed_step_may_have_applied,
  (extract(epoch from created_at) * 1000)::float8 as created_at, (extract(epoch from updated_at) * 1000)::float8 as updated_at,
  (extract(epoch from finished_at) * 1000)::float8 as finished_at`;

interface SagaRow {
  id: string;
  saga: string;
  state: SagaState;
  input: unknown;
  output: unknown;
  failure_step: string | null;
  failure_code: string | null;
  failure_message: string | null;
  failed_step_may_have_applied: boolean;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
}

interface StepRow {
  step: string;
  phase: StepRecord['phase'];
  outcome: StepRecord['outcome'];
  attempts: number;
  started_at: number;
  finished_at: number | null;
  output: unknown;
  error_code: string | null;
  error_message: string | null;
}

/**
 * Opens the saga log in `db`, creating its tables if missing.
 *
 * @param options - `db`; `now` (default: the database's clock)
 * @example
 * const log = await createDatabaseSagaLog({ db });
 * const orchestrator = createSagaOrchestrator({ service: 'orders', sagas, log, logger });
 */
export async function createDatabaseSagaLog(options: DatabaseSagaLogOptions): Promise<SagaLog> {
  const { db } = options;
  await ensureSagaTables(db);
  // The clock is always the last parameter `$n` of a statement: the injected time, or null for the database's.
  const clock = () => (options.now ? new Date(options.now()).toISOString() : null);
  const now = (n: number) => `coalesce($${n}::timestamptz, clock_timestamp())`;
  const leaseUntil = (ms: number, n: number) => `${now(n)} + ${Math.trunc(ms)} * interval '1 millisecond'`;
  const fence = (n: number) => `id = $1 and owner = $2 and lease_expires_at > ${now(n)} and ${IN_FLIGHT_SQL}`;

  // One round trip: the saga's row with its steps as a json array.
  async function get(q: Queryable, id: string): Promise<SagaRecord | undefined> {
    const saga = (
      await q.query<SagaRow & { steps: StepRow[] }>(
        `select ${SUMMARY_COLUMNS}, (select ${STEPS_JSON} from ${SAGA_STEPS_TABLE} where saga_id = $1) as steps
         from ${SAGAS_TABLE} where id = $1`,
        [id],
      )
    ).rows[0];
    return saga && recordOf(saga);
  }

  return {
    async create(saga, owner, leaseMs, onCommitted) {
      const tx = db.current();
      const params: unknown[] = [saga.id, saga.saga, JSON.stringify(saga.input ?? null), owner, clock()];
      const insert = `insert into ${SAGAS_TABLE} (id, saga, state, input, owner, lease_expires_at, created_at, updated_at)
         values ($1, $2, 'running', $3, $4, ${leaseUntil(leaseMs, 5)}, ${now(5)}, ${now(5)})
         on conflict (id) do nothing`;
      // One statement with the first step's `started`: both rows, or neither (a repeated start).
      const text =
        saga.firstStep === undefined
          ? insert
          : `with created as (${insert} returning id)
             insert into ${SAGA_STEPS_TABLE} (saga_id, step, phase, outcome, attempts, started_at)
             select id, $${params.push(saga.firstStep)}, 'forward', 'started', 1, ${now(5)} from created`;
      const { rowCount } = await (tx ?? db).query(text, params);
      if (rowCount === 0) return false;
      if (tx) tx.afterCommit(onCommitted);
      else onCommitted();
      return true;
    },

    async claim(id, owner, leaseMs): Promise<LoadedSaga | undefined> {
      const claimed = await db.query<{ failed_step_may_have_applied: boolean }>(
        `update ${SAGAS_TABLE} set owner = $2, lease_expires_at = ${leaseUntil(leaseMs, 3)}
         where id = $1 and ${IN_FLIGHT_SQL} and (owner = $2 or lease_expires_at <= ${now(3)})
         returning failed_step_may_have_applied`,
        [id, owner, clock()],
      );
      if (claimed.rowCount === 0) return undefined;
      const record = await get(db, id);
      return record && { record, failedStepMayHaveApplied: claimed.rows[0]!.failed_step_may_have_applied };
    },

    async claimDue(owner, leaseMs, limit) {
      // skip locked: replicas looking at once split the due sagas instead of waiting for each other.
      const { rows } = await db.query<{ id: string }>(
        `update ${SAGAS_TABLE} set owner = $1, lease_expires_at = ${leaseUntil(leaseMs, 3)}
         where id in (
           select id from ${SAGAS_TABLE} where ${IN_FLIGHT_SQL} and lease_expires_at <= ${now(3)}
           order by lease_expires_at limit $2 for update skip locked
         ) and lease_expires_at <= ${now(3)}
         returning id`,
        [owner, Math.trunc(limit), clock()],
      );
      return rows.map((r) => r.id);
    },

    async renew(ids, owner, leaseMs) {
      if (ids.length === 0) return [];
      const { rows } = await db.query<{ id: string }>(
        `update ${SAGAS_TABLE} set lease_expires_at = ${leaseUntil(leaseMs, 3)}
         where id = any($1::text[]) and owner = $2 and lease_expires_at > ${now(3)} and ${IN_FLIGHT_SQL}
         returning id`,
        [ids, owner, clock()],
      );
      return rows.map((r) => r.id);
    },

    async release(id, owner) {
      await db.query(`update ${SAGAS_TABLE} set lease_expires_at = ${now(3)} where id = $1 and owner = $2 and ${IN_FLIGHT_SQL}`, [id, owner, clock()]);
    },

    async stepStarted(id, owner, key, leaseMs, previous) {
      // One statement: the fence (which extends the lease), the previous step's result when given,
      // and this step's row, or nothing at all.
      const params: unknown[] = [id, owner, key.step, key.phase, clock()];
      const before = previous ? `, previous as (${stepResultUpdate(previous, params, 5)})` : '';
      const { rowCount } = await db.query(
        `with fenced as (
           update ${SAGAS_TABLE} set lease_expires_at = ${leaseUntil(leaseMs, 5)}, updated_at = ${now(5)}
           where ${fence(5)} returning id
         )${before}
         insert into ${SAGA_STEPS_TABLE} as s (saga_id, step, phase, outcome, attempts, started_at)
         select id, $3, $4, 'started', 1, ${now(5)} from fenced
         on conflict (saga_id, step, phase) do update set outcome = 'started', attempts = s.attempts + 1, finished_at = null
         returning 1`,
        params,
      );
      if (rowCount === 0) throw new LeaseLost(id);
    },

    async record(id, owner, leaseMs, change: SagaChange) {
      const at = clock();
      // The saga's row (fence, lease, next state) and the step's row, each built onto a parameter
      // list that starts with $1 id, $2 owner, $3 the clock.
      const sagaUpdate = (params: unknown[]) => {
        const { next } = change;
        const param = (value: unknown) => `$${params.push(value)}`;
        const sets = [`updated_at = ${now(3)}`];
        if (next && next.state !== 'compensating') sets.push(`lease_expires_at = ${now(3)}`, `owner = null`, `finished_at = ${now(3)}`);
        else sets.push(`lease_expires_at = ${leaseUntil(leaseMs, 3)}`);
        if (next) sets.push(`state = ${param(next.state)}`);
        if (next?.output !== undefined) sets.push(`output = ${param(JSON.stringify(next.output))}::json`);
        if (next?.failure) {
          sets.push(`failure_step = ${param(next.failure.step)}`, `failure_code = ${param(next.failure.code)}`, `failure_message = ${param(next.failure.message)}`);
        }
        if (next?.failedStepMayHaveApplied !== undefined) sets.push(`failed_step_may_have_applied = ${param(next.failedStepMayHaveApplied)}`);
        return `update ${SAGAS_TABLE} set ${sets.join(', ')} where ${fence(3)}`;
      };
      const stepUpdate = (params: unknown[]) => stepResultUpdate(change.result!, params, 3);

      // One statement: the fence and both rows, or nothing (a step row is always there: `started` first).
      const params: unknown[] = [id, owner, at];
      const saga = sagaUpdate(params);
      const final = change.next !== undefined && change.next.state !== 'compensating';
      let text: string;
      if (!final) text = change.result ? `with fenced as (${saga} returning id) ${stepUpdate(params)}` : saga;
      else if (!change.result) text = `${saga} returning ${SUMMARY_COLUMNS}, (select ${STEPS_JSON} from ${SAGA_STEPS_TABLE} where saga_id = $1) as steps`;
      else {
        // A final transition also answers the saga's record as it leaves it (the step rows as the
        // statement started, the changed one as it ends): the waiting request needs no read. Nothing
        // (LeaseLost) when the fence or the step's row does not match, as without it.
        const which = `step = $${params.push(change.result.step)} and phase = $${params.push(change.result.phase)}`;
        text = `with fenced as (${saga} returning ${SUMMARY_COLUMNS}),
          changed as (${stepUpdate(params).replace(/returning 1$/, `returning s.${STEP_COLUMNS.replaceAll(', ', ', s.')}`)})
          select fenced.*, (select ${STEPS_JSON} from (
            select ${STEP_COLUMNS} from ${SAGA_STEPS_TABLE} where saga_id = $1 and not (${which})
            union all select ${STEP_COLUMNS} from changed) as all_steps) as steps
          from fenced where exists (select 1 from changed)`;
      }
      const write = async (q: Queryable): Promise<SagaRecord | undefined> => {
        const { rows, rowCount } = await q.query<SagaRow & { steps: StepRow[] }>(text, params);
        if (rowCount === 0) throw new LeaseLost(id);
        return final ? recordOf(rows[0]!) : undefined;
      };
      const inTransaction = change.inTransaction;
      if (!inTransaction) return write(db);
      return db.transaction(async (tx) => {
        const record = await write(tx);
        await inTransaction();
        return record;
      });
    },

    get: (id) => get(db, id),

    async list(filter) {
      const where: string[] = [];
      const params: unknown[] = [];
      if (filter.state !== undefined) where.push(`state = $${params.push(filter.state)}`);
      if (filter.saga !== undefined) where.push(`saga = $${params.push(filter.saga)}`);
      const { rows } = await db.query<SagaRow>(
        `select ${SUMMARY_COLUMNS} from ${SAGAS_TABLE} ${where.length ? `where ${where.join(' and ')}` : ''}
         order by created_at desc, id limit $${params.push(Math.trunc(filter.limit))}`,
        params,
      );
      return rows.map(summaryOf);
    },

    async counts() {
      const counts: Record<SagaState, number> = { running: 0, compensating: 0, completed: 0, compensated: 0, stuck: 0 };
      const { rows } = await db.query<{ state: SagaState; n: number }>(`select state, count(*)::int as n from ${SAGAS_TABLE} group by state`);
      for (const row of rows) counts[row.state] = row.n;
      return counts;
    },
  };
}

/**
 * The update of a step's row with its result, joined to the `fenced` CTE (the saga's fenced row),
 * its values appended to `params`; `clockParam` is the number of the clock's parameter.
 */
function stepResultUpdate(result: StepResult, params: unknown[], clockParam: number): string {
  const param = (value: unknown) => `$${params.push(value)}`;
  const at = `coalesce($${clockParam}::timestamptz, clock_timestamp())`;
  const sets =
    result.outcome === 'retrying'
      ? [
          `error_code = ${param(result.error?.code ?? null)}`,
          `error_message = ${param(result.error?.message ?? null)}`,
          ...(result.notSent ? ['attempts = s.attempts - 1'] : []),
        ]
      : result.outcome === 'succeeded'
        ? [`outcome = 'succeeded'`, `finished_at = ${at}`, `output = ${param(JSON.stringify(result.output ?? null))}::json`, `error_code = null`, `error_message = null`]
        : [`outcome = 'failed'`, `finished_at = ${at}`, `error_code = ${param(result.error?.code ?? null)}`, `error_message = ${param(result.error?.message ?? null)}`];
  const which = `step = ${param(result.step)} and phase = ${param(result.phase)}`;
  return `update ${SAGA_STEPS_TABLE} as s set ${sets.join(', ')} from fenced where s.saga_id = fenced.id and ${which} returning 1`;
}

function recordOf(row: SagaRow & { steps: StepRow[] }): SagaRecord {
  return { ...summaryOf(row), steps: row.steps.map(stepOf) };
}

function summaryOf(row: SagaRow): SagaSummary {
  return {
    id: row.id,
    saga: row.saga,
    state: row.state,
    input: row.input,
    ...(row.state === 'completed' ? { output: row.output } : {}),
    ...(row.failure_step !== null ? { failure: { step: row.failure_step, code: row.failure_code ?? '', message: row.failure_message ?? '' } } : {}),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ...(row.finished_at !== null ? { finishedAt: row.finished_at } : {}),
  };
}

function stepOf(row: StepRow): StepRecord {
  return {
    step: row.step,
    phase: row.phase,
    outcome: row.outcome,
    attempts: row.attempts,
    startedAt: row.started_at,
    ...(row.finished_at !== null ? { finishedAt: row.finished_at } : {}),
    ...(row.outcome === 'succeeded' ? { output: row.output } : {}),
    ...(row.error_code !== null ? { error: { code: row.error_code, message: row.error_message ?? '' } } : {}),
  };
}
