// The owner of a choreographed saga keeps its log (the same tables as an orchestrated saga's, so
// `GET /sagas`, a `sagaStatus` endpoint and `meshspec sagas` show both kinds): a saga appears when
// its `starts` event is seen, and each participant's report updates its steps and state in one
// transaction, which also publishes `<saga>.completed` or `<saga>.failed` (through the outbox) on
// the transition into a final state. Reports may arrive in any order: the state is worked out from
// every step recorded so far, never from the last report alone.
import type { Logger } from 'pino';
import { UnprocessableEvent, type BusSubscription, type EventBus, type EventEnvelope } from '../../bus/types.js';
import { currentPayload } from '../../bus/versions.js';
import type { ServicePublisher } from '../../service/context.js';
import type { ChoreographedSagaDescriptor, EventCatalog, ServiceDefinition } from '../../service/definition.js';
import type { Database, Queryable } from '../../storage/types.js';
import type { Validators } from '../../validation/types.js';
import { ensureSagaTables, SAGA_STEPS_TABLE, SAGAS_TABLE } from '../log/tables.js';
import type { SagaFailure, SagaState } from '../types.js';
import { correlatedId, parseReport, reportEvent, type StepReport } from './reports.js';

/**
 * What the owner's log needs of its service.
 *
 * @example
 * const options: OwnerOptions = { definition, db, bus, events, validators, publisher, logger };
 */
export interface OwnerOptions {
  readonly definition: ServiceDefinition;
  readonly db: Database;
  readonly bus: EventBus;
  readonly events: EventCatalog;
  readonly validators: Validators;
  /** The service's publisher: inside the log's transaction it writes to the outbox. */
  readonly publisher: ServicePublisher;
  readonly logger: Logger;
}

/**
 * Counters of the owner's log since the process started: sagas it saw end.
 *
 * @example
 * const { completed, stuck } = owner.stats();
 */
export interface OwnerStats {
  started: number;
  completed: number;
  compensated: number;
  stuck: number;
}

/**
 * The running log of the choreographed sagas a service owns.
 *
 * @example
 * const owner = await followChoreographies(options);
 * await owner.close();
 */
export interface ChoreographyOwner {
  stats(): OwnerStats;
  /** Unsubscribes (the handlers running finish first). */
  close(): Promise<void>;
}

/** Sagas in this state are never changed again by a report. */
const SETTLED: ReadonlySet<SagaState> = new Set(['completed', 'compensated']);

/**
 * Subscribes the owner to its sagas' `starts` events and to its participants' reports (group
 * `<service>.sagaLog`), creating the log's tables if missing. Returns undefined for a service that
 * owns no choreographed saga.
 *
 * @param options - see OwnerOptions
 * @example
 * const owner = await followChoreographies({ definition, db, bus, events, validators, publisher, logger });
 */
export async function followChoreographies(options: OwnerOptions): Promise<ChoreographyOwner | undefined> {
  const { definition, db, bus, logger } = options;
  const sagas = new Map((definition.choreographedSagas ?? []).map((s) => [s.saga, s]));
  if (sagas.size === 0) return undefined;
  await ensureSagaTables(db);
  const stats: OwnerStats = { started: 0, completed: 0, compensated: 0, stuck: 0 };
  const group = `${definition.name}.sagaLog`;
  const taken: BusSubscription[] = [];
  try {
    for (const saga of sagas.values()) {
      taken.push(await bus.subscribe(saga.starts, group, (envelope) => recordStart(options, saga, envelope, stats)));
    }
    taken.push(await bus.subscribe(reportEvent(definition.name), group, async (envelope) => {
      const report = parseReport(envelope.payload);
      const saga = sagas.get(report.saga);
      if (!saga) throw new UnprocessableEvent(`${definition.name} owns no choreographed saga '${report.saga}'`);
      await applyReport(options, saga, report, reportTime(envelope.time), stats);
    }));
  } catch (err) {
    await Promise.allSettled(taken.map((s) => s.unsubscribe()));
    throw err;
  }
  logger.debug({ sagas: [...sagas.keys()] }, `${definition.name} follows its choreographed sagas`);
  return {
    stats: () => ({ ...stats }),
    close: async () => {
      await Promise.allSettled(taken.splice(0).map((s) => s.unsubscribe()));
    },
  };
}

/** The saga's row from its `starts` event (its input: what a status never shows, the routes do). */
async function recordStart(options: OwnerOptions, saga: ChoreographedSagaDescriptor, envelope: EventEnvelope, stats: OwnerStats): Promise<void> {
  const { validators, events, db } = options;
  const entry = events[saga.starts];
  // Only the current version: the saga's input is its `starts` payload, and the owner has no upgrade hook.
  if (entry !== undefined) await currentPayload(envelope, { service: `${options.definition.name}'s saga log`, entry, validators, upgrade: () => undefined });
  const sagaId = correlatedId(envelope.payload, saga.correlate, saga.starts);
  await db.transaction(async (tx) => {
    const inserted = await ensureSaga(tx, saga, sagaId, envelope.payload);
    if (inserted) stats.started += 1;
    else {
      // A report came first: the row has no input yet.
      await tx.query(`update ${SAGAS_TABLE} set input = $2::json where id = $1 and saga = $3 and input::text = 'null'`, [sagaId, JSON.stringify(envelope.payload), saga.saga]);
    }
  });
}

/**
 * The saga's row, inserted `running` when missing. Its lease never expires: no orchestrator of the
 * service ever claims it (its steps are the participants' to take).
 */
async function ensureSaga(tx: Queryable, saga: ChoreographedSagaDescriptor, sagaId: string, input: unknown): Promise<boolean> {
  const { rowCount } = await tx.query(
    `insert into ${SAGAS_TABLE} (id, saga, state, input, owner, lease_expires_at, created_at, updated_at)
     values ($1, $2, 'running', $3::json, null, 'infinity', clock_timestamp(), clock_timestamp()) on conflict (id) do nothing`,
    [sagaId, saga.saga, JSON.stringify(input ?? null)],
  );
  return rowCount === 1;
}

interface StepRow {
  step: string;
  phase: 'forward' | 'compensate';
  outcome: 'started' | 'succeeded' | 'failed';
  error_code: string | null;
  error_message: string | null;
}

/**
 * When the participant decided what it reports: the report's publishing time, so the log lists the
 * steps in the order they happened, not in the order their reports arrived (two participants'
 * reports race each other on the bus). An unreadable time falls back to the owner's clock.
 */
function reportTime(time: string): string | null {
  const at = Date.parse(time);
  return Number.isFinite(at) ? new Date(at).toISOString() : null;
}

/** One report in one transaction: its step row, then the saga's state from all its steps (and the final event on a final transition). */
async function applyReport(options: OwnerOptions, saga: ChoreographedSagaDescriptor, report: StepReport, at: string | null, stats: OwnerStats): Promise<void> {
  const { db, publisher, logger } = options;
  if (!saga.steps.some((s) => s.step === report.step)) throw new UnprocessableEvent(`saga ${saga.saga} has no step '${report.step}'`);
  await db.transaction(async (tx) => {
    if (await ensureSaga(tx, saga, report.sagaId, null)) stats.started += 1;
    const { rows: [row] } = await tx.query<{ saga: string; state: SagaState }>(`select saga, state from ${SAGAS_TABLE} where id = $1 for update`, [report.sagaId]);
    if (row!.saga !== saga.saga) throw new UnprocessableEvent(`saga id ${report.sagaId} belongs to ${row!.saga}, not ${saga.saga}: a service's sagas must not share ids`);
    const decided = report.outcome !== 'started';
    // A decided step is never reopened by a late report of an earlier failed attempt.
    await tx.query(
      `insert into ${SAGA_STEPS_TABLE} (saga_id, step, phase, outcome, attempts, started_at, finished_at, error_code, error_message)
       values ($1, $2, $3, $4, $5, coalesce($9::timestamptz, clock_timestamp()), case when $6 then coalesce($9::timestamptz, clock_timestamp()) end, $7, $8)
       on conflict (saga_id, step, phase) do update set outcome = excluded.outcome, attempts = greatest(${SAGA_STEPS_TABLE}.attempts, excluded.attempts),
         finished_at = excluded.finished_at, error_code = excluded.error_code, error_message = excluded.error_message
       where ${SAGA_STEPS_TABLE}.outcome = 'started'`,
      [report.sagaId, report.step, report.phase, report.outcome, report.attempts, decided, report.error?.code ?? null, report.error?.message ?? null, at],
    );
    if (SETTLED.has(row!.state)) return;
    const { rows: steps } = await tx.query<StepRow>(`select step, phase, outcome, error_code, error_message from ${SAGA_STEPS_TABLE} where saga_id = $1`, [report.sagaId]);
    const next = sagaStateOf(saga, steps);
    if (next.state === row!.state) return;
    const final = next.state === 'completed' || next.state === 'compensated' || next.state === 'stuck';
    await tx.query(
      `update ${SAGAS_TABLE} set state = $2, failure_step = $3, failure_code = $4, failure_message = $5, updated_at = clock_timestamp(),
         finished_at = case when $6 then clock_timestamp() end where id = $1`,
      [report.sagaId, next.state, next.failure?.step ?? null, next.failure?.code ?? null, next.failure?.message ?? null, final],
    );
    if (next.state === 'completed') {
      await publisher(`${saga.saga}.completed`, { sagaId: report.sagaId }, report.sagaId);
      stats.completed += 1;
    } else if (next.state === 'compensated' || next.state === 'stuck') {
      await publisher(`${saga.saga}.failed`, { sagaId: report.sagaId, state: next.state, failure: next.failure }, report.sagaId);
      stats[next.state] += 1;
      if (next.state === 'stuck') logger.error({ sagaId: report.sagaId, saga: saga.saga, failure: next.failure }, `saga stuck: a compensation of ${saga.saga} kept failing; a person must resolve it`);
    }
  });
}

/**
 * A choreographed saga's state from its steps so far: `completed` once the last step succeeded;
 * once a step failed, the steps before it that have a compensation must each report theirs
 * (`compensating` until then, `compensated` when all did, `stuck` when one gave up); else `running`.
 * A failed step implies every step before it succeeded (each was triggered by the one before), so
 * the compensations owed are known even when a success report is still on its way.
 *
 * @param saga - the saga's descriptor
 * @param steps - its step rows (both phases)
 * @example
 * sagaStateOf(fulfilOrder, [{ step: 'charge', phase: 'forward', outcome: 'succeeded', ... }]); // { state: 'running' }
 */
export function sagaStateOf(saga: ChoreographedSagaDescriptor, steps: readonly StepRow[]): { state: SagaState; failure?: SagaFailure } {
  const forward = new Map(steps.filter((s) => s.phase === 'forward').map((s) => [s.step, s]));
  const compensation = new Map(steps.filter((s) => s.phase === 'compensate').map((s) => [s.step, s]));
  if (forward.get(saga.steps[saga.steps.length - 1]!.step)?.outcome === 'succeeded') return { state: 'completed' };
  const failedAt = saga.steps.findIndex((s) => forward.get(s.step)?.outcome === 'failed');
  if (failedAt < 0) return { state: 'running' };
  const failedRow = forward.get(saga.steps[failedAt]!.step)!;
  const failure: SagaFailure = { step: failedRow.step, code: failedRow.error_code ?? 'Failed', message: failedRow.error_message ?? `step ${failedRow.step} failed` };
  const owed = saga.steps.slice(0, failedAt).filter((s) => s.compensate !== null).map((s) => compensation.get(s.step)?.outcome);
  if (owed.includes('failed')) return { state: 'stuck', failure };
  if (owed.every((outcome) => outcome === 'succeeded')) return { state: 'compensated', failure };
  return { state: 'compensating', failure };
}
