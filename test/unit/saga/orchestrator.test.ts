// The orchestrator over the memory log, with fake steps: the order of calls, their idempotency keys,
// what each step sees, compensation in reverse order, retries, `stuck`, and the final events.
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { BadRequest, Conflict, NotFound, Unavailable } from '../../../runtime/errors/index.js';
import { BulkheadFull, CircuitOpen } from '../../../runtime/resilience/errors.js';
import { createMemorySagaLog } from '../../../runtime/saga/log/memory.js';
import { createSagaOrchestrator, type SagaOrchestrator } from '../../../runtime/saga/orchestrator.js';
import type { SagaOrchestratorOptions } from '../../../runtime/saga/options.js';
import type { SagaDefinition, SagaStep, SagaView, StepCall } from '../../../runtime/saga/types.js';

interface Call {
  readonly name: string;
  readonly key: string;
  readonly view: SagaView;
}

/** Fake steps: each behaves as its script says, call after call (the last entry repeats). */
function fakeSaga(scripts: Record<string, Array<() => unknown>>, compensations: Record<string, Array<() => unknown>>, calls: Call[]): SagaDefinition {
  const runner = (name: string, script: Array<() => unknown>) => {
    let n = 0;
    return async (view: SagaView, call: StepCall) => {
      calls.push({ name, key: call.idempotencyKey, view: structuredClone(view) });
      expect(call.requestId).toBe(view.id);
      const behave = script[Math.min(n, script.length - 1)]!;
      n += 1;
      return behave();
    };
  };
  const steps: SagaStep[] = Object.entries(scripts).map(([name, script]) => ({
    name,
    endpoint: `svc.${name}`,
    run: runner(name, script),
    ...(compensations[name] ? { compensation: { endpoint: `svc.undo${name}`, run: runner(`undo:${name}`, compensations[name]!) } } : {}),
  }));
  return { name: 'placeOrder', steps, output: (view) => ({ order: view.outputs['create'] ?? null }) };
}

const ok = (value: unknown) => () => value;
const fail = (error: Error) => () => {
  throw error;
};

interface Harness {
  orchestrator: SagaOrchestrator;
  calls: Call[];
  events: Array<{ event: string; payload: unknown }>;
  errors: string[];
}

function harness(definition: (calls: Call[]) => SagaDefinition, overrides: Partial<SagaOrchestratorOptions> = {}): Harness {
  const calls: Call[] = [];
  const events: Array<{ event: string; payload: unknown }> = [];
  const errors: string[] = [];
  const logger = pino(
    { level: 'error' },
    {
      write: (line: string) => {
        errors.push(JSON.parse(line).msg as string);
      },
    },
  );
  const orchestrator = createSagaOrchestrator({
    service: 'orders',
    sagas: [definition(calls)],
    log: createMemorySagaLog(),
    logger,
    publish: async (event, payload) => void events.push({ event, payload }),
    stepAttempts: 3,
    compensationAttempts: 4,
    backoff: { initialMs: 1, maxMs: 5 },
    sleep: async () => undefined,
    ...overrides,
  });
  return { orchestrator, calls, events, errors };
}

describe('saga orchestrator (memory log)', () => {
  it('runs every step in order, each with its own key, outputs flowing into later views, and publishes completed', async () => {
    const h = harness((calls) =>
      fakeSaga({ validate: [ok({ user: 'u-1' })], reserve: [ok({ total: 12 })], create: [ok({ orderId: 'o-1' })] }, { reserve: [ok(null)] }, calls),
    );
    const id = await h.orchestrator.start('placeOrder', { userId: 'u-1' });
    const record = await h.orchestrator.wait(id, 5000);
    await h.orchestrator.close();

    expect(record.state).toBe('completed');
    expect(record.output).toEqual({ order: { orderId: 'o-1' } });
    expect(h.calls.map((c) => [c.name, c.key])).toEqual([
      ['validate', `saga:${id}:validate`],
      ['reserve', `saga:${id}:reserve`],
      ['create', `saga:${id}:create`],
    ]);
    expect(h.calls[0]!.view).toEqual({ id, input: { userId: 'u-1' }, outputs: {} });
    expect(h.calls[2]!.view.outputs).toEqual({ validate: { user: 'u-1' }, reserve: { total: 12 } });
    expect(record.steps.map((s) => [s.step, s.phase, s.outcome, s.attempts])).toEqual([
      ['validate', 'forward', 'succeeded', 1],
      ['reserve', 'forward', 'succeeded', 1],
      ['create', 'forward', 'succeeded', 1],
    ]);
    expect(record.finishedAt).toBeGreaterThanOrEqual(record.createdAt);
    expect(h.events).toEqual([{ event: 'placeOrder.completed', payload: { sagaId: id, output: { order: { orderId: 'o-1' } } } }]);
    expect(h.orchestrator.stats()).toMatchObject({ started: 1, completed: 1, compensated: 0, stuck: 0 });
  });

  it('a rejected step compensates the earlier steps in reverse order, never itself', async () => {
    const h = harness((calls) =>
      fakeSaga(
        { a: [ok('A')], b: [ok('B')], c: [fail(new Conflict('declined'))] },
        { a: [ok(null)], b: [ok(null)], c: [ok(null)] },
        calls,
      ),
    );
    const id = await h.orchestrator.start('placeOrder', { n: 1 });
    const record = await h.orchestrator.wait(id, 5000);
    await h.orchestrator.close();

    expect(record.state).toBe('compensated');
    expect(record.failure).toEqual({ step: 'c', code: 'Conflict', message: 'declined' });
    expect(h.calls.map((c) => c.name)).toEqual(['a', 'b', 'c', 'undo:b', 'undo:a']);
    expect(h.calls.filter((c) => c.name.startsWith('undo:')).map((c) => c.key)).toEqual([`saga:${id}:b:compensate`, `saga:${id}:a:compensate`]);
    // A compensation never sees its own step's output (nor later ones'), only the earlier steps'.
    expect(h.calls[3]!.view.outputs).toEqual({ a: 'A' });
    expect(h.calls[4]!.view.outputs).toEqual({});
    expect(h.events).toEqual([{ event: 'placeOrder.failed', payload: { sagaId: id, state: 'compensated', failure: record.failure } }]);
    expect(h.orchestrator.stats()).toMatchObject({ compensated: 1, compensations: 2, stepRetries: 0 });
  });

  it('an unknown outcome is retried with the same key, then compensated including the step itself', async () => {
    const h = harness((calls) => fakeSaga({ a: [ok('A')], b: [fail(new Unavailable('down'))] }, { a: [ok(null)], b: [ok(null)] }, calls));
    const id = await h.orchestrator.start('placeOrder', {});
    const record = await h.orchestrator.wait(id, 5000);
    await h.orchestrator.close();

    expect(record.state).toBe('compensated');
    expect(h.calls.map((c) => `${c.name} ${c.key}`)).toEqual([
      `a saga:${id}:a`,
      `b saga:${id}:b`,
      `b saga:${id}:b`,
      `b saga:${id}:b`,
      `undo:b saga:${id}:b:compensate`,
      `undo:a saga:${id}:a:compensate`,
    ]);
    expect(record.steps.find((s) => s.step === 'b' && s.phase === 'forward')).toMatchObject({ outcome: 'failed', attempts: 3, error: { code: 'Unavailable' } });
    expect(h.orchestrator.stats()).toMatchObject({ stepRetries: 2, compensations: 2 });
  });

  it('an unknown outcome that then succeeds goes on forward', async () => {
    const h = harness((calls) => fakeSaga({ a: [fail(new Error('socket hang up')), ok('A')], b: [ok('B')] }, {}, calls));
    const id = await h.orchestrator.start('placeOrder', {});
    const record = await h.orchestrator.wait(id, 5000);
    await h.orchestrator.close();
    expect(record.state).toBe('completed');
    expect(record.steps[0]).toMatchObject({ step: 'a', outcome: 'succeeded', attempts: 2 });
    expect(record.steps[0]!.error).toBeUndefined();
  });

  it('a compensation failing N times then succeeding is retried until it does', async () => {
    const h = harness((calls) =>
      fakeSaga(
        { a: [ok('A')], b: [fail(new BadRequest('no'))] },
        { a: [fail(new Unavailable('1')), fail(new Error('2')), fail(new Conflict('3')), ok(null)] },
        calls,
      ),
    );
    const id = await h.orchestrator.start('placeOrder', {});
    const record = await h.orchestrator.wait(id, 5000);
    await h.orchestrator.close();
    expect(record.state).toBe('compensated');
    expect(h.calls.filter((c) => c.name === 'undo:a').map((c) => c.key)).toEqual(Array(4).fill(`saga:${id}:a:compensate`));
    expect(record.steps.find((s) => s.phase === 'compensate')).toMatchObject({ step: 'a', outcome: 'succeeded', attempts: 4 });
    expect(h.orchestrator.stats()).toMatchObject({ compensationRetries: 3, stuck: 0 });
  });

  it('a compensation answering NotFound counts as done', async () => {
    const h = harness((calls) => fakeSaga({ a: [ok('A')], b: [fail(new BadRequest('no'))] }, { a: [fail(new NotFound('nothing reserved'))] }, calls));
    const id = await h.orchestrator.start('placeOrder', {});
    const record = await h.orchestrator.wait(id, 5000);
    await h.orchestrator.close();
    expect(record.state).toBe('compensated');
    expect(h.calls.filter((c) => c.name === 'undo:a')).toHaveLength(1);
  });

  it('a compensation that always fails leaves the saga stuck: listed, counted, logged, published', async () => {
    const h = harness((calls) => fakeSaga({ a: [ok('A')], b: [ok('B')], c: [fail(new Conflict('no'))] }, { a: [ok(null)], b: [fail(new Unavailable('down'))] }, calls));
    const id = await h.orchestrator.start('placeOrder', {});
    const record = await h.orchestrator.wait(id, 5000);
    const stuck = await h.orchestrator.list({ state: 'stuck', limit: 10 });
    const counts = await h.orchestrator.counts();
    await h.orchestrator.close();

    expect(record.state).toBe('stuck');
    // b's compensation gave up: a's is never called (a person resolves the saga).
    expect(h.calls.map((c) => c.name)).toEqual(['a', 'b', 'c', 'undo:b', 'undo:b', 'undo:b', 'undo:b']);
    expect(stuck.map((s) => s.id)).toEqual([id]);
    expect(counts).toEqual({ running: 0, compensating: 0, completed: 0, compensated: 0, stuck: 1 });
    expect(h.orchestrator.stats().stuck).toBe(1);
    expect(h.errors.some((m) => m.includes('saga stuck'))).toBe(true);
    expect(h.events).toEqual([{ event: 'placeOrder.failed', payload: { sagaId: id, state: 'stuck', failure: { step: 'c', code: 'Conflict', message: 'no' } } }]);
  });

  it('a step without compensation after steps that have one is not given up on an unknown outcome: retried like a compensation, then stuck', async () => {
    const h = harness((calls) => fakeSaga({ a: [ok('A')], confirm: [fail(new Unavailable('down'))] }, { a: [ok(null)] }, calls));
    const id = await h.orchestrator.start('placeOrder', {});
    const record = await h.orchestrator.wait(id, 5000);
    await h.orchestrator.close();
    expect(record.state).toBe('stuck');
    expect(record.failure).toMatchObject({ step: 'confirm', code: 'Unavailable' });
    // compensationAttempts (4) calls, never undoing `a` while `confirm` may have taken effect.
    expect(h.calls.map((c) => c.name)).toEqual(['a', 'confirm', 'confirm', 'confirm', 'confirm']);
    expect(h.errors.some((m) => m.includes('saga stuck'))).toBe(true);
    expect(h.events).toEqual([{ event: 'placeOrder.failed', payload: { sagaId: id, state: 'stuck', failure: record.failure } }]);

    const late = harness((calls) =>
      fakeSaga({ a: [ok('A')], confirm: [fail(new Unavailable('1')), fail(new Unavailable('2')), fail(new Unavailable('3')), ok('C')] }, { a: [ok(null)] }, calls),
    );
    const lateId = await late.orchestrator.start('placeOrder', {});
    expect((await late.orchestrator.wait(lateId, 5000)).state).toBe('completed');
    await late.orchestrator.close();
  });

  it('a call refused by its own open breaker (never sent) uses up no attempt where running out means stuck; elsewhere it does', async () => {
    // Six refusals: past compensationAttempts (4), as many as a breaker open for 10 s gives a backoff capped at 5 s.
    const refused = Array.from({ length: 6 }, () => fail(new CircuitOpen('inventory')));
    const confirm = harness((calls) => fakeSaga({ a: [ok('A')], confirm: [...refused, fail(new Unavailable('1')), ok('C')] }, { a: [ok(null)] }, calls));
    const confirmId = await confirm.orchestrator.start('placeOrder', {});
    const confirmed = await confirm.orchestrator.wait(confirmId, 5000);
    await confirm.orchestrator.close();
    expect(confirmed.state).toBe('completed');
    expect(confirm.calls.filter((c) => c.name === 'confirm')).toHaveLength(8);
    // The log counts the calls that went out: a saga resumed after a crash keeps its budget.
    expect(confirmed.steps.find((s) => s.step === 'confirm')).toMatchObject({ outcome: 'succeeded', attempts: 2 });

    const undo = harness((calls) =>
      fakeSaga({ a: [ok('A')], b: [fail(new Conflict('no'))] }, { a: [...refused.slice(0, 3), fail(new BulkheadFull('inventory', 1, 1)), ...refused.slice(3), ok(null)] }, calls),
    );
    const undoId = await undo.orchestrator.start('placeOrder', {});
    expect((await undo.orchestrator.wait(undoId, 5000)).state).toBe('compensated');
    await undo.orchestrator.close();
    expect(undo.calls.filter((c) => c.name === 'undo:a')).toHaveLength(8);

    // A step that can be given up: refusals count, it is compensated after stepAttempts (3).
    const step = harness((calls) => fakeSaga({ a: [ok('A')], b: refused }, { a: [ok(null)], b: [ok(null)] }, calls));
    const stepId = await step.orchestrator.start('placeOrder', {});
    expect((await step.orchestrator.wait(stepId, 5000)).state).toBe('compensated');
    await step.orchestrator.close();
    expect(step.calls.map((c) => c.name)).toEqual(['a', 'b', 'b', 'b', 'undo:b', 'undo:a']);
  });

  it('a first step without compensation whose outcome stays unknown is compensated (nothing to undo)', async () => {
    const h = harness((calls) => fakeSaga({ read: [fail(new Unavailable('down'))], b: [ok('B')] }, {}, calls));
    const id = await h.orchestrator.start('placeOrder', {});
    const record = await h.orchestrator.wait(id, 5000);
    await h.orchestrator.close();
    expect(record.state).toBe('compensated');
    expect(h.calls.map((c) => c.name)).toEqual(['read', 'read', 'read']);
  });

  it('a saga without steps completes at once', async () => {
    const h = harness((calls) => fakeSaga({}, {}, calls));
    const id = await h.orchestrator.start('placeOrder', { n: 1 });
    const record = await h.orchestrator.wait(id, 5000);
    await h.orchestrator.close();
    expect(record).toMatchObject({ state: 'completed', output: { order: null }, steps: [] });
  });

  it('a first step rejected compensates nothing and is compensated at once', async () => {
    const h = harness((calls) => fakeSaga({ a: [fail(new Conflict('no'))] }, { a: [ok(null)] }, calls));
    const id = await h.orchestrator.start('placeOrder', {});
    const record = await h.orchestrator.wait(id, 5000);
    await h.orchestrator.close();
    expect(record.state).toBe('compensated');
    expect(h.calls.map((c) => c.name)).toEqual(['a']);
  });

  it('a step that exceeds its timeout is an unknown outcome', async () => {
    const h = harness(
      (calls) => ({ ...fakeSaga({ slow: [() => new Promise(() => undefined), ok('late')] }, {}, calls), name: 'placeOrder' }),
      { stepTimeoutMs: 30 },
    );
    const id = await h.orchestrator.start('placeOrder', {});
    const record = await h.orchestrator.wait(id, 5000);
    await h.orchestrator.close();
    expect(record.state).toBe('completed');
    expect(record.steps[0]).toMatchObject({ attempts: 2, outcome: 'succeeded' });
  });

  it('starting again with an existing id starts nothing; an unknown saga or id is refused', async () => {
    const h = harness((calls) => fakeSaga({ a: [ok('A')] }, {}, calls));
    const id = await h.orchestrator.start('placeOrder', {}, { id: 'fixed-1' });
    expect(await h.orchestrator.start('placeOrder', {}, { id: 'fixed-1' })).toBe(id);
    await h.orchestrator.wait(id, 5000);
    await expect(h.orchestrator.start('nope', {})).rejects.toThrow(/unknown saga 'nope'/);
    await expect(h.orchestrator.wait('missing', 10)).rejects.toThrow(NotFound);
    await expect(h.orchestrator.start('placeOrder', {}, { id: 'not an id' })).rejects.toThrow(/not valid/);
    await h.orchestrator.close();
    expect(h.calls).toHaveLength(1);
    await expect(h.orchestrator.start('placeOrder', {})).rejects.toThrow(/closed/);
  });

  it('a replica whose lease expired mid-step writes nothing more; the one that took the saga over finishes it', async () => {
    let clock = Date.now();
    const log = createMemorySagaLog({ now: () => clock });
    let release: () => void = () => undefined;
    const calls: string[] = [];
    const definition = (who: string, hold: boolean): SagaDefinition => ({
      name: 'held',
      steps: [
        {
          name: 'one',
          endpoint: 'x.one',
          run: async () => {
            calls.push(who);
            if (hold) await new Promise<void>((resolve) => (release = resolve));
            return who;
          },
        },
      ],
      output: (view) => view.outputs['one'],
    });
    const logger = pino({ level: 'silent' });
    const common = { log, logger, leaseMs: 60_000, resumeIntervalMs: 60_000, now: () => clock };
    const a = createSagaOrchestrator({ service: 'x', sagas: [definition('a', true)], ...common });
    const id = await a.start('held', {});
    await expect.poll(() => calls.length).toBe(1);
    clock += 60_001;
    const b = createSagaOrchestrator({ service: 'x', sagas: [definition('b', false)], ...common });
    expect(await b.resumeNow()).toBe(1);
    expect((await b.wait(id, 5000)).output).toBe('b');
    release();
    await expect.poll(() => a.stats().leasesLost).toBe(1);
    await Promise.all([a.close(), b.close()]);
    const record = await log.get(id);
    expect(record).toMatchObject({ state: 'completed', output: 'b' });
    expect(record!.steps).toEqual([expect.objectContaining({ step: 'one', outcome: 'succeeded', attempts: 2, output: 'b' })]);
    expect(b.stats()).toMatchObject({ resumed: 1, completed: 1 });
  });

  it('close lets a step in flight finish and be written, then releases the lease for another replica at once', async () => {
    const log = createMemorySagaLog();
    let release: () => void = () => undefined;
    const calls: string[] = [];
    const definition = (who: string): SagaDefinition => ({
      name: 'two',
      steps: ['one', 'two'].map((name) => ({
        name,
        endpoint: `x.${name}`,
        run: async () => {
          calls.push(`${who}:${name}`);
          if (who === 'a') await new Promise<void>((resolve) => (release = resolve));
          return name;
        },
      })),
    });
    const common = { log, logger: pino({ level: 'silent' }), leaseMs: 60_000, resumeIntervalMs: 60_000 };
    const a = createSagaOrchestrator({ service: 'x', sagas: [definition('a')], ...common });
    const id = await a.start('two', {});
    await expect.poll(() => calls.length).toBe(1);
    const closed = a.close();
    release();
    await closed;
    expect(a.inFlight()).toBe(0);
    expect((await log.get(id))!.steps).toEqual([expect.objectContaining({ step: 'one', outcome: 'succeeded' })]);

    const b = createSagaOrchestrator({ service: 'x', sagas: [definition('b')], ...common });
    expect(await b.resumeNow()).toBe(1);
    expect((await b.wait(id, 5000)).state).toBe('completed');
    await b.close();
    expect(calls).toEqual(['a:one', 'b:two']);
  });

  it('close cuts a backoff wait short and leaves the saga in flight for a replica', async () => {
    const log = createMemorySagaLog();
    let calls = 0;
    const saga: SagaDefinition = {
      name: 'waiting',
      steps: [{ name: 'one', endpoint: 'x.one', run: async () => Promise.reject(new Unavailable(`down ${++calls}`)) }],
    };
    // Real timers, a backoff of about a minute: close must not wait for it (the test would time out).
    const a = createSagaOrchestrator({ service: 'x', sagas: [saga], log, logger: pino({ level: 'silent' }), stepAttempts: 5, backoff: { initialMs: 60_000, maxMs: 60_000 } });
    const id = await a.start('waiting', {});
    await expect.poll(async () => (await log.get(id))?.steps[0]?.error?.code).toBe('Unavailable');
    await a.close();
    expect((await log.get(id))!.state).toBe('running');
    expect(await log.claimDue('other', 1000, 10)).toEqual([id]);
  });

  it('wait does not read the log when the saga it waits for is driven here (its final write answered the record), however long its steps take', async () => {
    const log = createMemorySagaLog();
    let reads = 0;
    const counted = { ...log, get: (id: string) => ((reads += 1), log.get(id)) };
    const slow = () => new Promise((resolve) => setTimeout(() => resolve('done'), 150));
    const h = harness((calls) => fakeSaga({ reserve: [slow], create: [slow] }, {}, calls), { log: counted });
    const id = await h.orchestrator.start('placeOrder', {});
    const record = await h.orchestrator.wait(id, 5000);
    expect(record.state).toBe('completed');
    expect(reads).toBe(0);
    // The record the final write answered is the one the log holds.
    expect(record).toEqual(await log.get(id));
    // Past its timeout it answers the saga as it is, still running.
    const next = await h.orchestrator.start('placeOrder', {});
    expect((await h.orchestrator.wait(next, 50)).state).toBe('running');
    await h.orchestrator.close();
  });

  it('writes the log once per step: the first step\'s start goes with the saga, a success with the next step\'s start, the last with the completion', async () => {
    const log = createMemorySagaLog();
    const writes: string[] = [];
    const counted = {
      ...log,
      create: (...args: Parameters<typeof log.create>) => (writes.push(`create${args[0].firstStep ? ` + start ${args[0].firstStep}` : ''}`), log.create(...args)),
      stepStarted: (...args: Parameters<typeof log.stepStarted>) => (writes.push(`start ${args[2].step}${args[4] ? ` + ${args[4].step} ${args[4].outcome}` : ''}`), log.stepStarted(...args)),
      record: (...args: Parameters<typeof log.record>) => (writes.push(`record ${args[3].result?.step ?? '-'} ${args[3].next?.state ?? ''}`.trim()), log.record(...args)),
    };
    const h = harness((calls) => fakeSaga({ reserve: [ok('r')], charge: [ok('c')], create: [ok('o')] }, {}, calls), { log: counted });
    const id = await h.orchestrator.start('placeOrder', {});
    const record = await h.orchestrator.wait(id, 5000);
    expect(writes).toEqual(['create + start reserve', 'start charge + reserve succeeded', 'start create + charge succeeded', 'record create completed']);
    expect(record.steps.map((s) => `${s.step}:${s.outcome}:${JSON.stringify(s.output)}`)).toEqual(['reserve:succeeded:"r"', 'charge:succeeded:"c"', 'create:succeeded:"o"']);
    await h.orchestrator.close();
  });

  it('rejects bad options at creation', () => {
    expect(() => harness((calls) => fakeSaga({}, {}, calls), { leaseMs: 0 })).toThrow(/leaseMs/);
    expect(() => harness((calls) => fakeSaga({}, {}, calls), { backoff: { initialMs: 10, maxMs: 1 } })).toThrow(/backoff/);
  });
});
