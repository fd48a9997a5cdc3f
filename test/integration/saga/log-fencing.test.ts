// The SagaLog contract, run against the memory log and the database log on both engines with an
// injected clock: leases fence every write, expired leases are claimed once, results and
// transitions land together.
import { afterAll, describe, expect, it } from 'vitest';
import { createDatabaseSagaLog } from '../../../runtime/saga/log/database.js';
import { createMemorySagaLog } from '../../../runtime/saga/log/memory.js';
import { LeaseLost, type SagaLog } from '../../../runtime/saga/log/types.js';
import { enginesUnderTest } from '../storage/engines.js';

const engines = await enginesUnderTest();
afterAll(() => Promise.all(engines.map((e) => e.cleanup())));

const cases: Array<{ name: string; available: boolean; open: (now: () => number) => Promise<SagaLog> }> = [
  { name: 'memory', available: true, open: async (now) => createMemorySagaLog({ now }) },
  ...engines.map((engine) => ({ name: engine.engine, available: engine.available, open: async (now: () => number) => createDatabaseSagaLog({ db: await engine.open(), now }) })),
];

describe.each(cases)('saga log on $name', ({ available, open }) => {
  it.skipIf(!available)('fences every write by owner and lease expiry', async () => {
    let clock = Date.UTC(2030, 0, 1);
    const log = await open(() => clock);
    let committed = 0;
    expect(await log.create({ id: 's-1', saga: 'demo', input: { n: 1 } }, 'A', 1000, () => void (committed += 1))).toBe(true);
    expect(await log.create({ id: 's-1', saga: 'demo', input: { n: 2 } }, 'A', 1000, () => void (committed += 1))).toBe(false);
    expect(committed).toBe(1);

    await expect(log.stepStarted('s-1', 'B', { step: 'one', phase: 'forward' }, 1000)).rejects.toThrow(LeaseLost);
    expect(await log.claim('s-1', 'B', 1000)).toBeUndefined();
    expect(await log.claimDue('B', 1000, 10)).toEqual([]);
    await log.stepStarted('s-1', 'A', { step: 'one', phase: 'forward' }, 1000);
    expect(await log.renew(['s-1', 'missing'], 'A', 1000)).toEqual(['s-1']);

    clock += 1001; // A's lease ran out (A paused, or died)
    expect(await log.renew(['s-1'], 'A', 1000)).toEqual([]);
    await expect(log.record('s-1', 'A', 1000, { result: { step: 'one', phase: 'forward', outcome: 'succeeded', output: 1 } })).rejects.toThrow(LeaseLost);
    expect(await log.claimDue('B', 1000, 10)).toEqual(['s-1']);
    expect(await log.claimDue('C', 1000, 10)).toEqual([]);
    const loaded = await log.claim('s-1', 'B', 1000);
    expect(loaded?.record.steps).toEqual([expect.objectContaining({ step: 'one', phase: 'forward', outcome: 'started', attempts: 1 })]);
    await expect(log.stepStarted('s-1', 'A', { step: 'one', phase: 'forward' }, 1000)).rejects.toThrow(LeaseLost);

    await log.stepStarted('s-1', 'B', { step: 'one', phase: 'forward' }, 1000);
    await log.record('s-1', 'B', 1000, { result: { step: 'one', phase: 'forward', outcome: 'retrying', error: { code: 'Unavailable', message: 'down' } } });
    await log.stepStarted('s-1', 'B', { step: 'one', phase: 'forward' }, 1000);
    clock += 10;
    let inside = 0;
    const answered = await log.record('s-1', 'B', 1000, {
      result: { step: 'one', phase: 'forward', outcome: 'succeeded', output: { ok: true } },
      next: { state: 'completed', output: { total: 3 } },
      inTransaction: async () => void (inside += 1),
    });
    expect(inside).toBe(1);
    const record = await log.get('s-1');
    expect(record).toMatchObject({ id: 's-1', saga: 'demo', state: 'completed', input: { n: 1 }, output: { total: 3 }, finishedAt: clock });
    // A final transition answers the record as it left it: what a read finds afterwards.
    expect(answered).toEqual(record);
    expect(record!.steps).toEqual([{ step: 'one', phase: 'forward', outcome: 'succeeded', attempts: 3, startedAt: Date.UTC(2030, 0, 1), finishedAt: clock, output: { ok: true } }]);
    // Final: no lease to take or write under.
    clock += 5000;
    expect(await log.claimDue('C', 1000, 10)).toEqual([]);
    await expect(log.stepStarted('s-1', 'B', { step: 'two', phase: 'forward' }, 1000)).rejects.toThrow(LeaseLost);
  });

  it.skipIf(!available)('writes a saga with its first step started in one write, or nothing for a repeated start; only final transitions answer the record', async () => {
    let clock = Date.UTC(2030, 0, 1);
    const log = await open(() => clock);
    expect(await log.create({ id: 's-3', saga: 'demo', input: { n: 1 }, firstStep: 'one' }, 'A', 1000, () => undefined)).toBe(true);
    expect(await log.create({ id: 's-3', saga: 'demo', input: { n: 2 }, firstStep: 'other' }, 'A', 1000, () => undefined)).toBe(false);
    expect((await log.get('s-3'))!.steps).toEqual([{ step: 'one', phase: 'forward', outcome: 'started', attempts: 1, startedAt: clock }]);
    clock += 5;
    expect(await log.stepStarted('s-3', 'A', { step: 'two', phase: 'forward' }, 1000, { step: 'one', phase: 'forward', outcome: 'succeeded', output: 1 })).toBeUndefined();
    expect(await log.record('s-3', 'A', 1000, { result: { step: 'two', phase: 'forward', outcome: 'retrying', error: { code: 'Unavailable', message: 'down' } } })).toBeUndefined();
    clock += 5;
    const compensating = await log.record('s-3', 'A', 1000, {
      result: { step: 'two', phase: 'forward', outcome: 'failed', error: { code: 'Conflict', message: 'no' } },
      next: { state: 'compensating', failure: { step: 'two', code: 'Conflict', message: 'no' } },
    });
    expect(compensating).toBeUndefined();
    await log.stepStarted('s-3', 'A', { step: 'one', phase: 'compensate' }, 1000);
    clock += 5;
    const answered = await log.record('s-3', 'A', 1000, { result: { step: 'one', phase: 'compensate', outcome: 'succeeded', output: null }, next: { state: 'compensated' } });
    const record = await log.get('s-3');
    expect(answered).toEqual(record);
    expect(record).toMatchObject({ state: 'compensated', failure: { step: 'two', code: 'Conflict', message: 'no' }, finishedAt: clock });
    expect(record!.steps.map((s) => `${s.step}:${s.phase}:${s.outcome}:${s.attempts}`)).toEqual(['one:forward:succeeded:1', 'two:forward:failed:1', 'one:compensate:succeeded:1']);
    // Without a step result too.
    await log.create({ id: 's-4', saga: 'demo', input: null }, 'A', 1000, () => undefined);
    const stuck = await log.record('s-4', 'A', 1000, { next: { state: 'stuck', failure: { step: 'x', code: 'Internal', message: 'gone' } } });
    expect(stuck).toEqual(await log.get('s-4'));
    expect(stuck).toMatchObject({ state: 'stuck', steps: [] });
  });

  it.skipIf(!available)('writes nothing when the transaction callback throws; a release lets another replica claim at once', async () => {
    let clock = Date.UTC(2030, 0, 1);
    const log = await open(() => clock);
    await log.create({ id: 's-2', saga: 'demo', input: null }, 'A', 60_000, () => undefined);
    await log.stepStarted('s-2', 'A', { step: 'one', phase: 'forward' }, 60_000);
    await expect(
      log.record('s-2', 'A', 60_000, {
        result: { step: 'one', phase: 'forward', outcome: 'failed', error: { code: 'Conflict', message: 'no' } },
        next: { state: 'compensated', failure: { step: 'one', code: 'Conflict', message: 'no' } },
        inTransaction: async () => {
          throw new Error('outbox refused');
        },
      }),
    ).rejects.toThrow('outbox refused');
    const unchanged = await log.get('s-2');
    expect(unchanged).toMatchObject({ state: 'running', steps: [{ outcome: 'started' }] });
    expect(unchanged!.failure).toBeUndefined();

    expect(await log.claimDue('B', 1000, 10)).toEqual([]);
    await log.release('s-2', 'A');
    expect(await log.claimDue('B', 1000, 10)).toEqual(['s-2']);
    expect(await log.counts()).toMatchObject({ running: 1, completed: 0 });
    expect((await log.list({ state: 'running', saga: 'demo', limit: 1 })).map((s) => s.id)).toEqual(['s-2']);
  });
});
