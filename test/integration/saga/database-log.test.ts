// The orchestrator over the database log, on PostgreSQL and PGlite: what the tables keep, events
// committed with the final transition, starting inside a caller's transaction, a saga surviving an
// orchestrator that stops mid-step, and (PostgreSQL) two orchestrators sharing 50 sagas.
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Conflict, Unavailable } from '../../../runtime/errors/index.js';
import { CircuitOpen } from '../../../runtime/resilience/errors.js';
import { createDatabaseSagaLog } from '../../../runtime/saga/log/database.js';
import { SAGA_STEPS_TABLE, SAGAS_TABLE } from '../../../runtime/saga/log/tables.js';
import type { SagaLog } from '../../../runtime/saga/log/types.js';
import { createSagaOrchestrator } from '../../../runtime/saga/orchestrator.js';
import type { SagaDefinition, StepCall } from '../../../runtime/saga/types.js';
import type { Database } from '../../../runtime/storage/index.js';
import { enginesUnderTest, type EngineUnderTest } from '../storage/engines.js';

const logger = pino({ level: 'silent' });
const engines = await enginesUnderTest();
const fast = { stepAttempts: 3, compensationAttempts: 3, backoff: { initialMs: 1, maxMs: 5 } };

/** A log whose every call fails once `crash()` is called: the process "died" (its timers keep running, its writes never land). */
function crashable(log: SagaLog): SagaLog & { crash(): void } {
  let crashed = false;
  const dead = () => Promise.reject(new Error('this process is dead'));
  const wrapped = Object.fromEntries(
    Object.entries(log).map(([name, method]) => [name, (...args: unknown[]) => (crashed ? dead() : (method as (...a: unknown[]) => Promise<unknown>)(...args))]),
  ) as unknown as SagaLog;
  return Object.assign(wrapped, { crash: () => void (crashed = true) });
}

describe.each(engines)('saga orchestrator on $engine', (engine: EngineUnderTest) => {
  let db: Database;

  beforeAll(async () => {
    if (engine.available) db = await engine.open();
  });
  afterAll(() => engine.cleanup());

  it.skipIf(!engine.available)('keeps each step and compensation in the tables, and publishes in the final transition', async () => {
    const log = await createDatabaseSagaLog({ db });
    const published: Array<{ event: string; inTransaction: boolean }> = [];
    const saga: SagaDefinition = {
      name: 'transfer',
      steps: [
        { name: 'debit', endpoint: 'bank.debit', run: async (v) => ({ debited: (v.input as { amount: number }).amount }), compensation: { endpoint: 'bank.credit', run: async () => null } },
        { name: 'notify', endpoint: 'mail.send', run: async (v) => ({ echoed: v.outputs['debit'] }) },
        {
          name: 'credit',
          endpoint: 'bank.credit',
          run: async (v) => {
            if ((v.input as { amount: number }).amount > 100) throw new Conflict('too much');
            return { ok: true };
          },
        },
      ],
      output: (v) => v.outputs['notify'],
    };
    const orchestrator = createSagaOrchestrator({
      service: 'bank',
      sagas: [saga],
      log,
      logger,
      ...fast,
      publish: async (event) => void published.push({ event, inTransaction: db.current() !== undefined }),
    });
    const good = await orchestrator.start('transfer', { amount: 5 });
    const bad = await orchestrator.start('transfer', { amount: 500 });
    const [done, undone] = await Promise.all([orchestrator.wait(good, 10_000), orchestrator.wait(bad, 10_000)]);
    await orchestrator.close();

    expect(done).toMatchObject({ id: good, saga: 'transfer', state: 'completed', input: { amount: 5 }, output: { echoed: { debited: 5 } } });
    expect(done.steps.map((s) => [s.step, s.phase, s.outcome, s.attempts])).toEqual([
      ['debit', 'forward', 'succeeded', 1],
      ['notify', 'forward', 'succeeded', 1],
      ['credit', 'forward', 'succeeded', 1],
    ]);
    expect(done.finishedAt).toBeGreaterThanOrEqual(done.steps[2]!.startedAt);
    expect(undone).toMatchObject({ state: 'compensated', failure: { step: 'credit', code: 'Conflict', message: 'too much' } });
    expect(undone.steps.map((s) => [s.step, s.phase, s.outcome])).toEqual([
      ['debit', 'forward', 'succeeded'],
      ['notify', 'forward', 'succeeded'],
      ['credit', 'forward', 'failed'],
      ['debit', 'compensate', 'succeeded'],
    ]);
    expect(undone.steps[2]!.error).toEqual({ code: 'Conflict', message: 'too much' });
    expect(published.sort((a, b) => a.event.localeCompare(b.event))).toEqual([
      { event: 'transfer.completed', inTransaction: true },
      { event: 'transfer.failed', inTransaction: true },
    ]);
    expect(await log.counts()).toMatchObject({ completed: 1, compensated: 1, running: 0 });
    expect((await log.list({ state: 'compensated', limit: 5 })).map((s) => s.id)).toEqual([bad]);
    expect((await log.list({ saga: 'other', limit: 5 })).length).toBe(0);
    const owners = await db.query<{ owner: string | null }>(`select owner from ${SAGAS_TABLE}`);
    expect(owners.rows.every((r) => r.owner === null)).toBe(true);
  });

  it.skipIf(!engine.available)('a publish that throws rolls the final transition back: the saga stays in flight', async () => {
    const log = await createDatabaseSagaLog({ db });
    const saga: SagaDefinition = { name: 'once', steps: [{ name: 'only', endpoint: 'x.y', run: async () => 1 }] };
    let fail = true;
    const orchestrator = createSagaOrchestrator({
      service: 'x',
      sagas: [saga],
      log,
      logger,
      ...fast,
      leaseMs: 300,
      resumeIntervalMs: 50,
      publish: async () => {
        if (fail) throw new Error('bus refused');
      },
    });
    const id = await orchestrator.start('once', {});
    await expect.poll(async () => (await log.get(id))?.steps[0]?.attempts, { timeout: 10_000 }).toBe(1);
    await sleep(100);
    expect((await log.get(id))!.state).toBe('running');
    fail = false;
    const record = await orchestrator.wait(id, 10_000);
    await orchestrator.close();
    expect(record.state).toBe('completed');
    expect(orchestrator.stats().resumed).toBeGreaterThanOrEqual(1);
  });

  it.skipIf(!engine.available)('a compensation refused by an open breaker (never sent) gets its attempt back in the table: a resume still has every attempt', async () => {
    const log = await createDatabaseSagaLog({ db });
    let undo = 0;
    const saga: SagaDefinition = {
      name: 'refused',
      steps: [
        { name: 'hold', endpoint: 'stock.hold', run: async () => 'held', compensation: { endpoint: 'stock.release', run: async () => (++undo <= 4 ? Promise.reject(new CircuitOpen('stock')) : null) } },
        { name: 'pay', endpoint: 'bank.pay', run: async () => Promise.reject(new Conflict('declined')) },
      ],
    };
    const orchestrator = createSagaOrchestrator({ service: 'x', sagas: [saga], log, logger, ...fast });
    const id = await orchestrator.start('refused', {});
    const record = await orchestrator.wait(id, 10_000);
    await orchestrator.close();
    // Four refusals and the call that went out: one attempt in the table, not five (compensationAttempts is 3).
    expect(record.state).toBe('compensated');
    expect(undo).toBe(5);
    expect(record.steps.find((s) => s.phase === 'compensate')).toMatchObject({ step: 'hold', outcome: 'succeeded', attempts: 1 });
  });

  it.skipIf(!engine.available)('a saga started in a transaction exists and runs only once it commits', async () => {
    const log = await createDatabaseSagaLog({ db });
    const ran: string[] = [];
    const saga: SagaDefinition = { name: 'tx', steps: [{ name: 'only', endpoint: 'x.y', run: async (v) => void ran.push(v.id) }] };
    const orchestrator = createSagaOrchestrator({ service: 'x', sagas: [saga], log, logger, ...fast });
    let rolledBack = '';
    await expect(
      db.transaction(async () => {
        rolledBack = await orchestrator.start('tx', {});
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    const committed = await db.transaction(() => orchestrator.start('tx', {}));
    expect((await orchestrator.wait(committed, 10_000)).state).toBe('completed');
    await orchestrator.close();
    expect(await log.get(rolledBack)).toBeUndefined();
    expect(ran).toEqual([committed]);
  });

  it.skipIf(!engine.available)('survives an orchestrator that stops mid-step: another resumes it, calling the step again with the same key', async () => {
    const base = await createDatabaseSagaLog({ db });
    const first = crashable(base);
    const calls: Array<{ who: string; step: string; call: StepCall }> = [];
    const definition = (who: string, hang: boolean): SagaDefinition => ({
      name: 'resumable',
      steps: [
        { name: 'one', endpoint: 'a.one', run: async (_v, call) => void calls.push({ who, step: 'one', call }) },
        {
          name: 'two',
          endpoint: 'a.two',
          run: async (_v, call) => {
            calls.push({ who, step: 'two', call });
            if (hang) await new Promise(() => undefined);
            return { done: who };
          },
        },
      ],
      output: (v) => v.outputs['two'],
    });
    const a = createSagaOrchestrator({ service: 'a', sagas: [definition('a', true)], log: first, logger, ...fast, leaseMs: 400, stepTimeoutMs: 60_000 });
    const id = await a.start('resumable', {});
    await expect.poll(() => calls.filter((c) => c.step === 'two').length, { timeout: 10_000 }).toBe(1);
    first.crash(); // abandoned, never closed: its lease runs out

    const b = createSagaOrchestrator({ service: 'a', sagas: [definition('b', false)], log: base, logger, ...fast, leaseMs: 400, resumeIntervalMs: 50 });
    const record = await b.wait(id, 15_000);
    await b.close();

    expect(record.state).toBe('completed');
    expect(record.output).toEqual({ done: 'b' });
    expect(calls.map((c) => `${c.who}:${c.step}`)).toEqual(['a:one', 'a:two', 'b:two']);
    expect(calls[2]!.call.idempotencyKey).toBe(calls[1]!.call.idempotencyKey);
    expect(calls[2]!.call.idempotencyKey).toBe(`saga:${id}:two`);
    expect(record.steps.find((s) => s.step === 'two')).toMatchObject({ outcome: 'succeeded', attempts: 2 });
    expect(b.stats().resumed).toBe(1);
  });

  it.skipIf(!engine.available)('resumes a compensating saga from where its compensations stopped', async () => {
    const base = await createDatabaseSagaLog({ db });
    const first = crashable(base);
    const calls: string[] = [];
    const definition = (who: string): SagaDefinition => ({
      name: 'undoing',
      steps: [
        { name: 'a', endpoint: 's.a', run: async () => 'A', compensation: { endpoint: 's.undoA', run: async () => void calls.push(`${who}:undoA`) } },
        {
          name: 'b',
          endpoint: 's.b',
          run: async () => 'B',
          compensation: {
            endpoint: 's.undoB',
            run: async () => {
              calls.push(`${who}:undoB`);
              if (who === 'first') {
                first.crash();
                return new Promise(() => undefined);
              }
            },
          },
        },
        // An unknown outcome, run out: c's own compensation runs first, then b's, then a's.
        { name: 'c', endpoint: 's.c', run: async () => Promise.reject(new Unavailable('down')), compensation: { endpoint: 's.undoC', run: async () => null } },
      ],
    });
    const a = createSagaOrchestrator({ service: 's', sagas: [definition('first')], log: first, logger, ...fast, stepAttempts: 2, leaseMs: 400, stepTimeoutMs: 60_000 });
    const id = await a.start('undoing', {});
    await expect.poll(() => calls.length, { timeout: 10_000 }).toBe(1);
    const b = createSagaOrchestrator({ service: 's', sagas: [definition('second')], log: base, logger, ...fast, leaseMs: 400, resumeIntervalMs: 50 });
    const record = await b.wait(id, 15_000);
    await b.close();
    expect(record.state).toBe('compensated');
    expect(calls).toEqual(['first:undoB', 'second:undoB', 'second:undoA']);
    expect(record.steps.find((s) => s.step === 'b' && s.phase === 'compensate')!.attempts).toBe(2);
  });

  it.skipIf(!engine.available)('a stuck saga is listed, and compensates once a person sets it compensating again', async () => {
    const log = await createDatabaseSagaLog({ db });
    let undoWorks = false;
    const undo: string[] = [];
    const saga: SagaDefinition = {
      name: 'sticky',
      steps: [
        { name: 'a', endpoint: 's.a', run: async () => 'A', compensation: { endpoint: 's.undoA', run: async () => void undo.push('a') } },
        {
          name: 'b',
          endpoint: 's.b',
          run: async () => 'B',
          compensation: {
            endpoint: 's.undoB',
            run: async () => {
              undo.push('b');
              if (!undoWorks) throw new Unavailable('down');
            },
          },
        },
        { name: 'c', endpoint: 's.c', run: async () => Promise.reject(new Conflict('no')) },
      ],
    };
    const orchestrator = createSagaOrchestrator({ service: 's', sagas: [saga], log, logger, ...fast, resumeIntervalMs: 50 });
    const id = await orchestrator.start('sticky', {});
    const stuck = await orchestrator.wait(id, 10_000);
    expect(stuck.state).toBe('stuck');
    expect(undo).toEqual(['b', 'b', 'b']);
    expect((await orchestrator.list({ state: 'stuck', limit: 10 })).map((s) => s.id)).toEqual([id]);
    expect(orchestrator.stats().stuck).toBe(1);

    undoWorks = true;
    await db.query(`update ${SAGAS_TABLE} set state = 'compensating', lease_expires_at = now() where id = $1`, [id]);
    await expect.poll(async () => (await log.get(id))?.state, { timeout: 10_000 }).toBe('compensated');
    await orchestrator.close();
    expect(undo).toEqual(['b', 'b', 'b', 'b', 'a']);
  });

  it.skipIf(!engine.available || engine.engine !== 'pg')('two orchestrators over one database never run one saga\'s steps at once, and finish every saga once', { timeout: 60_000 }, async () => {
    const SAGAS = 50;
    const replica = engine.replicaOf(db)!;
    const logA = await createDatabaseSagaLog({ db });
    const logB = await createDatabaseSagaLog({ db: replica });
    const runs: Array<{ saga: string; step: string; who: string; start: number; end: number }> = [];
    const finals: string[] = [];
    const definition = (who: string): SagaDefinition => ({
      name: 'shared',
      steps: ['one', 'two', 'three'].map((step) => ({
        name: step,
        endpoint: `s.${step}`,
        run: async (view) => {
          const start = performance.now();
          await sleep(Math.random() * 15);
          // Now and then an unknown outcome, retried with the same key.
          if (Math.random() < 0.1) {
            runs.push({ saga: view.id, step, who, start, end: performance.now() });
            throw new Unavailable('flaky');
          }
          runs.push({ saga: view.id, step, who, start, end: performance.now() });
          return { who };
        },
      })),
    });
    const common = { logger, stepAttempts: 10, compensationAttempts: 3, backoff: { initialMs: 1, maxMs: 10 }, leaseMs: 500, resumeIntervalMs: 20 };
    const publish = async (event: string, payload: unknown) => void finals.push(`${event}:${(payload as { sagaId: string }).sagaId}`);
    const a = createSagaOrchestrator({ service: 's', sagas: [definition('a')], log: logA, publish, ...common });
    const b = createSagaOrchestrator({ service: 's', sagas: [definition('b')], log: logB, publish, ...common });
    // Half are started normally; half are written as if by a replica that died at once, so both
    // orchestrators race for them through their resume loops.
    const ids: string[] = [];
    for (let n = 0; n < SAGAS; n += 1) {
      if (n % 2 === 0) ids.push(await (n % 4 === 0 ? a : b).start('shared', { n }));
      else {
        const id = `orphan-${n}`;
        await logA.create({ id, saga: 'shared', input: { n } }, 'dead-replica', 1, () => undefined);
        ids.push(id);
      }
    }
    const records = await Promise.all(ids.map((id) => a.wait(id, 45_000)));
    await Promise.all([a.close(), b.close()]);

    expect(records.map((r) => r.state)).toEqual(Array(SAGAS).fill('completed'));
    expect(finals.sort()).toEqual(ids.map((id) => `shared.completed:${id}`).sort());
    const bySaga = new Map<string, typeof runs>();
    for (const run of runs) bySaga.set(run.saga, [...(bySaga.get(run.saga) ?? []), run]);
    for (const [saga, sagaRuns] of bySaga) {
      const sorted = [...sagaRuns].sort((x, y) => x.start - y.start);
      for (let i = 1; i < sorted.length; i += 1) {
        expect(sorted[i]!.start, `saga ${saga}: ${sorted[i - 1]!.who}/${sorted[i - 1]!.step} and ${sorted[i]!.who}/${sorted[i]!.step} overlap`).toBeGreaterThanOrEqual(sorted[i - 1]!.end);
      }
      // Each step succeeded once: the last run of each step is its only success.
      expect(new Set(sagaRuns.map((r) => r.step))).toEqual(new Set(['one', 'two', 'three']));
    }
    const whoDrove = new Set(runs.filter((r) => r.saga.startsWith('orphan-')).map((r) => r.who));
    expect(whoDrove.size).toBeGreaterThanOrEqual(1);
    const steps = await db.query<{ n: number }>(`select count(*)::int as n from ${SAGA_STEPS_TABLE} s join ${SAGAS_TABLE} g on g.id = s.saga_id where g.saga = 'shared' and s.outcome <> 'succeeded'`);
    expect(steps.rows[0]!.n).toBe(0);
  });
});
