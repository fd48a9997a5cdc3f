// A service's part in choreographed sagas: each step it takes is its event hook for the step's `on`,
// run here in one transaction with the step's row (tables.ts) and a report to the saga's owner, so
// the step's effect, the event it published (through the outbox), its row and its report commit
// together or not at all. A step redelivered after it was decided does nothing; a compensation runs
// only for a step that took effect, once, and is retried until it succeeds or the saga is `stuck`.
import type { Logger } from 'pino';
import { eventContext, type EventContextFields } from '../../bus/index.js';
import { currentPayload } from '../../bus/versions.js';
import { UnprocessableEvent, type BusSubscription, type EventBus, type EventEnvelope } from '../../bus/types.js';
import { isMeshError } from '../../errors/index.js';
import { StartupError } from '../../host/startup-error.js';
import { traceSagaAttempt } from '../../observability/tracing/saga.js';
import type { ContextFactory } from '../../service/context.js';
import type { ChoreographyStepDescriptor, EventCatalog, ServiceDefinition } from '../../service/definition.js';
import type { Outbox } from '../../storage/outbox/index.js';
import type { Database, Queryable } from '../../storage/types.js';
import type { Validators } from '../../validation/types.js';
import type { PublishRecorder } from './published.js';
import { correlatedId, failureOf, hookError, reportEvent, type StepReport } from './reports.js';
import { ensureParticipantsTable, PARTICIPANTS_TABLE } from './tables.js';

/**
 * What a participant needs of its service.
 *
 * @example
 * const options: ParticipantOptions = { definition, subscriptions, compensations, db, outbox, bus, events, validators, contextFor, runOnce, recorder, logger, compensationAttempts: 8 };
 */
export interface ParticipantOptions {
  readonly definition: ServiceDefinition;
  /** The hook file's `subscriptions`. */
  readonly subscriptions: object | undefined;
  /** The hook file's `compensations`. */
  readonly compensations: object | undefined;
  /** The service's database (a participant needs storage). */
  readonly db: Database;
  /** Its outbox: reports are written to it in the step's transaction. */
  readonly outbox: Outbox;
  readonly bus: EventBus;
  readonly events: EventCatalog;
  readonly validators: Validators;
  readonly contextFor: ContextFactory;
  readonly runOnce: EventContextFields['runOnce'];
  /** Watches the publisher the service's contexts use (the step's outcome is the event its hook published). */
  readonly recorder: PublishRecorder;
  readonly logger: Logger;
  /** Failed runs of a compensation before the saga is `stuck` (MESH_SAGA_COMPENSATION_ATTEMPTS). */
  readonly compensationAttempts: number;
}

/**
 * A participant: the hook file's subscriptions with each step's hook wrapped, and the compensations' subscriptions.
 *
 * @example
 * const participant = await createParticipant(options);
 * await subscribeAll({ ...rest, subscriptions: participant.subscriptions });
 * const compensating = await participant.subscribeCompensations();
 */
export interface Participant {
  /** The hook file's `subscriptions`, each step's hook run as the step (the others untouched). */
  readonly subscriptions: object;
  /** Subscribes each event that triggers one of the service's compensations (group `<service>.compensations`). */
  subscribeCompensations(): Promise<BusSubscription[]>;
}

type Hook = (payload: unknown, ctx: unknown) => Promise<unknown>;
type Row = { outcome: string; attempts: number; compensation: string | null; compensation_attempts: number };

/**
 * Makes a service's participant from the steps its definition lists (`choreographies`); creates
 * its table if missing.
 *
 * @param options - see ParticipantOptions
 * @throws StartupError when a step's compensation is missing from the hook file's `compensations`
 * @example
 * const participant = await createParticipant({ definition, subscriptions, compensations, db, outbox, bus, events, validators, contextFor, runOnce, recorder, logger, compensationAttempts: 8 });
 */
export async function createParticipant(options: ParticipantOptions): Promise<Participant> {
  const { definition, db } = options;
  const steps = definition.choreographies ?? [];
  checkCompensations(definition, steps, options.compensations);
  await ensureParticipantsTable(db);
  const hooks = (options.subscriptions ?? {}) as Record<string, Hook>;
  const wrapped: Record<string, Hook> = { ...hooks };
  for (const step of steps) {
    const hook = hooks[step.hook];
    // A missing hook is checkSubscriptions' to report, with every other one.
    if (typeof hook === 'function') wrapped[step.hook] = stepHook(options, step, (payload, ctx) => hook.call(hooks, payload, ctx));
  }
  return { subscriptions: wrapped, subscribeCompensations: () => subscribeCompensations(options, steps) };
}

function checkCompensations(definition: ServiceDefinition, steps: readonly ChoreographyStepDescriptor[], compensations: object | undefined): void {
  const missing = steps.filter((s) => s.compensate !== null && typeof (compensations as Record<string, unknown> | undefined)?.[s.compensate] !== 'function');
  if (missing.length === 0) return;
  const names = missing.map((s) => `'${s.compensate}' (undoes ${s.saga}.${s.step})`).join(', ');
  throw new StartupError(`${definition.name} cannot take part in its sagas: no compensation ${names} (export it in the service's compensations)`, { service: definition.name });
}

/** The step's hook, run once per saga id: in a transaction with its row and its report. */
function stepHook(options: ParticipantOptions, step: ChoreographyStepDescriptor, hook: Hook): Hook {
  const { db, outbox, recorder, definition } = options;
  return async (payload, ctx) => {
    const sagaId = correlatedId(payload, step.correlate, step.on);
    const log = (ctx as { logger: Logger }).logger;
    try {
      await db.transaction(async (tx) => {
        const row = await lockRow(tx, step, sagaId, 'started');
        if (row.outcome !== 'started') {
          log.info({ sagaId, saga: step.saga, step: step.step, outcome: row.outcome }, `step ${step.saga}.${step.step} already ${row.outcome} for this saga: event ignored`);
          return;
        }
        const attempts = row.attempts + 1;
        const subject = { service: definition.name, saga: step.saga, sagaId };
        // Decided inside the span: a step that published its `fails` event ends it in error; one that published neither throws.
        const report = await traceSagaAttempt(subject, { step: step.step, phase: 'forward' }, attempts, async () => {
          const { published } = await recorder.record(() => hook(payload, ctx));
          return decide(definition.name, step, sagaId, published, attempts);
        }, (decided) => decided.error);
        await tx.query(
          `update ${PARTICIPANTS_TABLE} set outcome = $4, attempts = $5, error_code = null, error_message = null, updated_at = clock_timestamp()
           where saga = $1 and saga_id = $2 and step = $3`,
          [step.saga, sagaId, step.step, report.outcome, report.attempts],
        );
        await outbox.publish(reportEvent(step.owner), report, { requestId: sagaId });
      });
    } catch (err) {
      await recordFailedAttempt(options, step, sagaId, err).catch((recordErr: unknown) => log.warn({ err: recordErr, sagaId }, `could not record the failed attempt of ${step.saga}.${step.step}`));
      throw err;
    }
  };
}

/**
 * The step's row, locked for this transaction: inserted with `fresh` as its outcome when missing (a
 * concurrent delivery of the same event waits here for the first to commit, then finds it decided).
 */
async function lockRow(tx: Queryable, step: ChoreographyStepDescriptor, sagaId: string, fresh: 'started' | 'skipped'): Promise<Row & { inserted: boolean }> {
  const inserted = await tx.query(
    `insert into ${PARTICIPANTS_TABLE} (saga, saga_id, step, outcome) values ($1, $2, $3, $4) on conflict do nothing`,
    [step.saga, sagaId, step.step, fresh],
  );
  const { rows } = await tx.query<Row>(
    `select outcome, attempts, compensation, compensation_attempts from ${PARTICIPANTS_TABLE} where saga = $1 and saga_id = $2 and step = $3 for update`,
    [step.saga, sagaId, step.step],
  );
  return { ...rows[0]!, inserted: inserted.rowCount === 1 };
}

/** The step's outcome from the events its hook published: exactly one of `succeeds` and `fails`. */
function decide(service: string, step: ChoreographyStepDescriptor, sagaId: string, published: readonly { event: string; payload: unknown }[], attempts: number): StepReport {
  const succeeded = published.find((p) => p.event === step.succeeds);
  const failed = step.fails === null ? undefined : published.find((p) => p.event === step.fails);
  const base = { saga: step.saga, sagaId, step: step.step, phase: 'forward', attempts } as const;
  if (succeeded && !failed) return { ...base, outcome: 'succeeded', event: step.succeeds };
  if (failed && !succeeded) return { ...base, outcome: 'failed', event: step.fails!, error: failureOf(step.step, step.fails!, failed.payload) };
  const expected = step.fails === null ? `'${step.succeeds}'` : `one of '${step.succeeds}' and '${step.fails}'`;
  const what = succeeded ? 'both' : 'neither';
  // Thrown: nothing commits, and the event comes again (then goes to the dead letters): a bug to fix in the hook.
  throw new Error(`${service}.${step.hook} took step ${step.saga}.${step.step} for saga ${sagaId} and published ${what}: it must publish ${expected} (or throw to be retried)`);
}

/** Counts a failed attempt of a step outside its rolled-back transaction, and tells the owner (visible while the bus retries). */
async function recordFailedAttempt(options: ParticipantOptions, step: ChoreographyStepDescriptor, sagaId: string, err: unknown): Promise<void> {
  if (err instanceof UnprocessableEvent) return;
  const error = hookError(err, options.definition.name);
  await options.db.transaction(async (tx) => {
    const { rows } = await tx.query<{ attempts: number }>(
      `insert into ${PARTICIPANTS_TABLE} (saga, saga_id, step, outcome, attempts, error_code, error_message) values ($1, $2, $3, 'started', 1, $4, $5)
       on conflict (saga, saga_id, step) do update set attempts = ${PARTICIPANTS_TABLE}.attempts + 1, error_code = $4, error_message = $5, updated_at = clock_timestamp()
       where ${PARTICIPANTS_TABLE}.outcome = 'started'
       returning attempts`,
      [step.saga, sagaId, step.step, error.code, error.message],
    );
    if (rows.length === 0) return;
    const report: StepReport = { saga: step.saga, sagaId, step: step.step, phase: 'forward', outcome: 'started', attempts: rows[0]!.attempts, error };
    await options.outbox.publish(reportEvent(step.owner), report, { requestId: sagaId });
  });
}

/** One subscription per event that triggers compensations here: it runs each of them for the event's saga id. */
async function subscribeCompensations(options: ParticipantOptions, steps: readonly ChoreographyStepDescriptor[]): Promise<BusSubscription[]> {
  const { definition, bus, events, validators, logger } = options;
  const byEvent = new Map<string, ChoreographyStepDescriptor[]>();
  for (const step of steps) {
    if (step.compensate === null) continue;
    for (const event of step.compensateOn) byEvent.set(event, [...(byEvent.get(event) ?? []), step]);
  }
  const taken: BusSubscription[] = [];
  try {
    for (const [event, compensated] of byEvent) {
      const entry = events[event];
      if (entry === undefined) throw new StartupError(`${definition.name} compensates on '${event}', which is not in the event catalog`, { service: definition.name });
      taken.push(await bus.subscribe(event, `${definition.name}.compensations`, async (envelope) => {
        // Only the current version: a compensation has no upgrade hook, so an older one is dead-lettered with why.
        await currentPayload(envelope, { service: `${definition.name}'s compensations`, entry, validators, upgrade: () => undefined });
        // Each compensation on its own: one that fails is retried with the event, the others are done by then.
        const failures: unknown[] = [];
        for (const step of compensated) {
          const failure = await compensate(options, step, envelope);
          if (failure !== undefined) failures.push(failure);
        }
        if (failures.length > 0) throw failures[0];
      }, { maxAttempts: options.compensationAttempts + 2 }));
    }
  } catch (err) {
    await Promise.allSettled(taken.map((s) => s.unsubscribe()));
    throw err;
  }
  logger.debug({ events: [...byEvent.keys()] }, `${definition.name} compensations subscribed`);
  return taken;
}

/**
 * Runs one step's compensation for the saga id of a failure event, once: only when the step took
 * effect; a step not taken yet is marked `skipped` (its trigger, arriving late, does nothing). A
 * NotFound counts as done. Resolves with the error to retry on, or undefined (done, or `stuck` after
 * `compensationAttempts` failed runs).
 */
async function compensate(options: ParticipantOptions, step: ChoreographyStepDescriptor, envelope: EventEnvelope): Promise<unknown> {
  const { db, outbox, definition, contextFor, runOnce, logger } = options;
  const sagaId = correlatedId(envelope.payload, step.correlate, envelope.event);
  const name = step.compensate!;
  const hook = (options.compensations as Record<string, Hook>)[name]!;
  const log = logger.child({ requestId: envelope.requestId ?? sagaId, operation: name, eventId: envelope.id, sagaId });
  const report = (outcome: StepReport['outcome'], attempts: number, error?: StepReport['error']): StepReport => ({ saga: step.saga, sagaId, step: step.step, phase: 'compensate', outcome, attempts, ...(error ? { error } : {}) });
  try {
    await db.transaction(async (tx) => {
      const row = await lockRow(tx, step, sagaId, 'skipped');
      if (row.compensation !== null || row.outcome === 'failed') return;
      if (row.outcome !== 'succeeded') {
        // Never took effect (not run yet, or only failed attempts): nothing to undo, and it never will.
        await tx.query(`update ${PARTICIPANTS_TABLE} set outcome = 'skipped', compensation = 'compensated', updated_at = clock_timestamp() where saga = $1 and saga_id = $2 and step = $3`, [step.saga, sagaId, step.step]);
        await outbox.publish(reportEvent(step.owner), report('succeeded', 0), { requestId: sagaId });
        log.info(`${step.saga}.${step.step} had not taken effect: nothing to compensate, and it is skipped if its event comes`);
        return;
      }
      const ctx = eventContext({ service: definition.name, handler: name, envelope, contextFor, logger: log, runOnce });
      const attempts = row.compensation_attempts + 1;
      await traceSagaAttempt({ service: definition.name, saga: step.saga, sagaId }, { step: step.step, phase: 'compensate' }, attempts, async () => {
        try {
          // A savepoint: a compensation that answers NotFound leaves none of its writes.
          await tx.transaction(() => hook.call(options.compensations, envelope.payload, ctx));
        } catch (err) {
          if (!isMeshError(err, 'NotFound')) throw err;
        }
      });
      await tx.query(`update ${PARTICIPANTS_TABLE} set compensation = 'compensated', compensation_attempts = $4, error_code = null, error_message = null, updated_at = clock_timestamp() where saga = $1 and saga_id = $2 and step = $3`, [step.saga, sagaId, step.step, attempts]);
      await outbox.publish(reportEvent(step.owner), report('succeeded', attempts), { requestId: sagaId });
    });
    return undefined;
  } catch (err) {
    if (err instanceof UnprocessableEvent) throw err;
    const error = hookError(err, definition.name);
    log.warn({ err }, `compensation ${name} of ${step.saga}.${step.step} failed`);
    const stuck = await db.transaction(async (tx) => {
      const { rows } = await tx.query<{ compensation_attempts: number }>(
        `update ${PARTICIPANTS_TABLE} set compensation_attempts = compensation_attempts + 1, error_code = $4, error_message = $5, updated_at = clock_timestamp(),
           compensation = case when compensation_attempts + 1 >= $6 then 'stuck' end
         where saga = $1 and saga_id = $2 and step = $3 and compensation is null returning compensation_attempts`,
        [step.saga, sagaId, step.step, error.code, error.message, options.compensationAttempts],
      );
      if (rows.length === 0) return false;
      const attempts = rows[0]!.compensation_attempts;
      const givenUp = attempts >= options.compensationAttempts;
      await outbox.publish(reportEvent(step.owner), report(givenUp ? 'failed' : 'started', attempts, error), { requestId: sagaId });
      return givenUp;
    }).catch((recordErr: unknown) => {
      log.warn({ err: recordErr }, `could not record the failed compensation ${name}`);
      return false;
    });
    if (stuck) {
      log.error({ saga: step.saga, step: step.step, compensation: name, attempts: options.compensationAttempts }, `saga stuck: compensation ${name} of ${step.saga}.${step.step} kept failing; a person must resolve it`);
      return undefined;
    }
    return err;
  }
}
