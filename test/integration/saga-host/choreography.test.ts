// The runtime of a choreographed saga, in one process: the choreography fixture's generated code and
// hooks (test/fixtures/choreography), its three services each on a database of its own, on a memory
// bus. What a participant and the owner must do when events come twice, late, early or wrong: a step
// whose hook publishes neither outcome is retried and shown, never half taken; a compensation that
// arrives before its step skips the step for good; a forged report or a saga id that is no id is
// dead-lettered; a participant without its compensation or storage does not start. The happy and
// compensating paths run on both engines (PGlite as `npm start` runs it).
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteDatabase } from '../../../runtime/storage/pglite.js';
import { createPgDatabase } from '../../../runtime/storage/pg.js';
import type { Database } from '../../../runtime/storage/index.js';
import { eventually } from '../../support/processes.js';
import { repoRoot } from '../../support/project.js';
import { writeChoreographyProject } from '../../support/choreography-project.js';
import { createLogger, createMemoryBus, startService, StartupError, type EventEnvelope, type MemoryBus, type RunningService, type ServiceHostOptions } from '../../support/runtime.js';
import { createThrowawayDatabase, postgresAvailable, type ThrowawayDatabase } from '../storage/engines.js';
import { parentOf, registerTestTracing } from '../../support/tracing.js';
import { call } from './fixtures.js';

const SERVICES = ['orders', 'payments', 'inventory'] as const;
type Service = (typeof SERVICES)[number];
const postgresUp = await postgresAvailable();
const root = path.join(repoRoot, '.tmp', `choreography-host-${randomBytes(6).toString('hex')}`);
const logger = createLogger({ service: 'choreography', level: 'silent' });
let hosts: Record<Service, () => ServiceHostOptions>;
const scratch: ThrowawayDatabase[] = [];

beforeAll(async () => {
  await writeChoreographyProject(root);
  const load = async (service: Service) => (await import(path.join(root, `generated/${service}/host.ts`)))[`${service}Host`] as () => ServiceHostOptions;
  hosts = { orders: await load('orders'), payments: await load('payments'), inventory: await load('inventory') };
}, 120_000);

afterAll(async () => {
  await Promise.all(scratch.splice(0).map((s) => s.drop()));
  rmSync(root, { recursive: true, force: true });
});

/** A database per service on `engine`. */
async function databases(engine: 'pg' | 'pglite'): Promise<Record<Service, Database>> {
  const open = async (service: Service): Promise<Database> => {
    if (engine === 'pglite') return createPgliteDatabase({ name: service });
    const created = await createThrowawayDatabase();
    scratch.push(created);
    return createPgDatabase({ name: service, url: created.url });
  };
  const [orders, payments, inventory] = await Promise.all(SERVICES.map(open));
  return { orders: orders!, payments: payments!, inventory: inventory! };
}

interface Mesh {
  readonly bus: MemoryBus;
  readonly running: Record<Service, RunningService>;
  readonly dbs: Record<Service, Database>;
  /** The final events, as a subscriber of the owner's hears them. */
  readonly finals: EventEnvelope[];
  close(): Promise<void>;
}

/** The three services on `engine` and one memory bus; `override` changes a service's host options. */
async function startMesh(engine: 'pg' | 'pglite', override: Partial<Record<Service, (host: ServiceHostOptions) => ServiceHostOptions>> = {}): Promise<Mesh> {
  const bus = createMemoryBus({ logger, maxAttempts: 4, retryDelayMs: 5, maxRetryDelayMs: 20 });
  const finals: EventEnvelope[] = [];
  for (const event of ['fulfilOrder.completed', 'fulfilOrder.failed']) await bus.subscribe(event, 'test', async (envelope) => void finals.push(envelope));
  const dbs = await databases(engine);
  const running = {} as Record<Service, RunningService>;
  for (const service of SERVICES) {
    const host = (override[service] ?? ((h) => h))(hosts[service]());
    running[service] = await startService(host, {
      bodyLimitBytes: 65_536, shutdownGraceMs: 1000, httpPort: 0, host: '127.0.0.1', bus, logger, database: dbs[service], sagaTiming: { compensationAttempts: 3 },
    });
  }
  return {
    bus, running, dbs, finals,
    close: async () => {
      await Promise.allSettled(SERVICES.map((s) => running[s].close()));
    },
  };
}

const place = async (mesh: Mesh, sku: string, amount = 10): Promise<string> => {
  const placed = await call(mesh.running.orders.httpPort, 'POST', '/orders', { sku, amount });
  expect(placed.status).toBe(201);
  return placed.body.orderId as string;
};

const statusOf = async (mesh: Mesh, id: string) => (await call(mesh.running.orders.httpPort, 'GET', `/orders/fulfilments/${id}`)).body;

const settled = (mesh: Mesh, id: string, state: string) => eventually(async () => (await statusOf(mesh, id)).state === state, 10_000);

const rows = async <R>(db: Database, text: string, params: unknown[] = []) => (await db.query<R>(text, params)).rows;

describe.each(['pg', 'pglite'] as const)('a choreographed saga on %s', (engine) => {
  it.skipIf(engine === 'pg' && !postgresUp)('completes, or compensates the steps that took effect, with one final event and the log to show it', async () => {
    const mesh = await startMesh(engine);
    try {
      const ok = await place(mesh, 'kb');
      const rejected = await place(mesh, 'reject');
      const declined = await place(mesh, 'kb', 5000);
      await settled(mesh, ok, 'completed');
      await settled(mesh, rejected, 'compensated');
      await settled(mesh, declined, 'compensated');
      expect(await statusOf(mesh, rejected)).toEqual({ sagaId: rejected, state: 'compensated', failure: { step: 'confirm', code: 'order.rejected', message: 'the order was rejected at confirmation' } });
      expect(await statusOf(mesh, declined)).toEqual({ sagaId: declined, state: 'compensated', failure: { step: 'charge', code: 'payment.failed', message: 'card declined' } });
      expect(await rows(mesh.dbs.payments, 'select order_id, refunded from charges order by order_id')).toEqual(
        [{ order_id: ok, refunded: false }, { order_id: rejected, refunded: true }].sort((a, b) => a.order_id.localeCompare(b.order_id)),
      );
      expect(await rows(mesh.dbs.inventory, 'select released from reservations where order_id = $1', [rejected])).toEqual([{ released: true }]);

      const record = (await call(mesh.running.orders.httpPort, 'GET', `/sagas/${ok}`)).body;
      expect(record).toMatchObject({ id: ok, saga: 'fulfilOrder', state: 'completed', input: { orderId: ok, amount: 10, sku: 'kb' } });
      expect(record.steps.map((s: { step: string; phase: string; outcome: string }) => `${s.step}.${s.phase}:${s.outcome}`)).toEqual(['charge.forward:succeeded', 'reserve.forward:succeeded', 'confirm.forward:succeeded']);
      const listed = (await call(mesh.running.orders.httpPort, 'GET', '/sagas?state=compensated')).body.sagas.map((s: { id: string }) => s.id).sort();
      expect(listed).toEqual([rejected, declined].sort());

      await eventually(async () => mesh.finals.length === 3, 5_000);
      expect(mesh.finals.map((e) => [e.event, (e.payload as { sagaId: string }).sagaId]).sort()).toEqual(
        [['fulfilOrder.completed', ok], ['fulfilOrder.failed', rejected], ['fulfilOrder.failed', declined]].sort(),
      );
      expect(mesh.finals.find((e) => e.event === 'fulfilOrder.completed')?.payload).toEqual({ sagaId: ok });
      expect(mesh.running.orders.sagas()?.stats).toMatchObject({ completed: 1, compensated: 2, stuck: 0 });
    } finally {
      await mesh.close();
    }
  }, 120_000);
});

describe.skipIf(!postgresUp)('a choreographed saga when events come twice, early or wrong', () => {
  it('marks the saga stuck when a compensation keeps failing, visible on the status endpoint, and never retries it again', async () => {
    const mesh = await startMesh('pg');
    try {
      const id = await place(mesh, 'stuck');
      await settled(mesh, id, 'stuck');
      expect(await statusOf(mesh, id)).toEqual({ sagaId: id, state: 'stuck', failure: { step: 'reserve', code: 'stock.failed', message: 'no stuck left' } });
      const [participant] = await rows<{ compensation: string; compensation_attempts: number; error_code: string }>(mesh.dbs.payments, 'select compensation, compensation_attempts, error_code from meshspec_saga_participants where saga_id = $1', [id]);
      expect(participant).toEqual({ compensation: 'stuck', compensation_attempts: 3, error_code: 'Unavailable' });
      const step = (await call(mesh.running.orders.httpPort, 'GET', `/sagas/${id}`)).body.steps.find((s: { step: string; phase: string }) => s.step === 'charge' && s.phase === 'compensate');
      expect(step).toMatchObject({ outcome: 'failed', attempts: 3, error: { code: 'Unavailable', message: `the card network refuses the refund of ${id}` } });
      // Nothing left for the bus to retry: the compensation gave up on its own, no dead letter.
      expect(mesh.bus.deadLetters).toEqual([]);
      expect(mesh.running.orders.sagas()?.stats.stuck).toBe(1);
    } finally {
      await mesh.close();
    }
  }, 60_000);

  it('retries a step whose hook published neither outcome, shows its attempts and error, then dead-letters it: nothing of it commits', async () => {
    const mesh = await startMesh('pg', {
      payments: (host) => ({
        ...host,
        subscriptions: {
          // Writes, then forgets to publish: the write must not survive.
          async chargeOrder(event: { orderId: string }, ctx: { db: Database }) {
            await ctx.db.query('insert into charges (id, order_id, sku, amount) values ($1, $1, $2, 1)', [event.orderId, 'kb']);
          },
        },
      }),
    });
    try {
      const id = await place(mesh, 'kb');
      await eventually(async () => mesh.bus.deadLetters.length === 1, 10_000);
      expect(mesh.bus.deadLetters[0]).toMatchObject({ group: 'payments', attempts: 4, envelope: { event: 'order.created' } });
      expect(String(mesh.bus.deadLetters[0]!.error)).toContain(`payments.chargeOrder took step fulfilOrder.charge for saga ${id} and published neither: it must publish one of 'payment.completed' and 'payment.failed'`);
      expect(await rows(mesh.dbs.payments, 'select * from charges')).toEqual([]);
      await eventually(async () => (await call(mesh.running.orders.httpPort, 'GET', `/sagas/${id}`)).body.steps?.[0]?.attempts === 4, 5_000);
      const record = (await call(mesh.running.orders.httpPort, 'GET', `/sagas/${id}`)).body;
      expect(record).toMatchObject({ state: 'running', steps: [{ step: 'charge', phase: 'forward', outcome: 'started', attempts: 4, error: { code: 'Internal', message: "the hook threw; see payments's log" } }] });
    } finally {
      await mesh.close();
    }
  }, 60_000);

  it('skips a step for good when its compensation came first, and takes each step once however often its event comes', async () => {
    const mesh = await startMesh('pg');
    try {
      const publish = (event: string, payload: unknown, source = 'orders') =>
        mesh.bus.publish({ id: randomBytes(8).toString('hex'), event, version: 1, source, time: new Date().toISOString(), payload });
      // A failure event for a saga whose charge never ran: the charge is skipped, even when its event comes later.
      await publish('stock.failed', { orderId: 'early-1', reason: 'out of order' }, 'inventory');
      await eventually(async () => (await rows(mesh.dbs.payments, `select outcome from meshspec_saga_participants where saga_id = 'early-1'`)).length === 1, 5_000);
      await publish('order.created', { orderId: 'early-1', amount: 10, sku: 'kb' });
      const twice = await place(mesh, 'kb');
      await settled(mesh, twice, 'completed');
      const [created] = await rows<{ payload: unknown }>(mesh.dbs.orders, `select envelope->'payload' as payload from meshspec_outbox where envelope->>'event' = 'order.created'`);
      for (let i = 0; i < 3; i++) await publish('order.created', { orderId: twice, amount: 10, sku: 'kb' });
      await publish('payment.completed', { orderId: twice, paymentId: 'p-forged', sku: 'kb' }, 'payments');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(created).toBeDefined();
      expect(await rows(mesh.dbs.payments, `select order_id from charges where order_id in ('early-1', $1)`, [twice])).toEqual([{ order_id: twice }]);
      expect(await rows(mesh.dbs.inventory, 'select order_id from reservations where order_id = $1', [twice])).toEqual([{ order_id: twice }]);
      expect(await rows(mesh.dbs.payments, `select outcome, compensation from meshspec_saga_participants where saga_id = 'early-1'`)).toEqual([{ outcome: 'skipped', compensation: 'compensated' }]);
      expect(await statusOf(mesh, twice)).toEqual({ sagaId: twice, state: 'completed' });
      expect(mesh.finals.filter((e) => (e.payload as { sagaId: string }).sagaId === twice)).toHaveLength(1);
      expect(mesh.bus.deadLetters).toEqual([]);
    } finally {
      await mesh.close();
    }
  }, 60_000);

  it('traces each step and compensation where it runs, in the trace of the request that started the saga', async () => {
    const tracing = registerTestTracing();
    const mesh = await startMesh('pg');
    try {
      const id = await place(mesh, 'reject');
      await settled(mesh, id, 'compensated');
      const all = tracing.spans();
      const spans = all.filter((s) => s.attributes['meshspec.saga.id'] === id);
      expect(spans.map((s) => s.name).sort()).toEqual(['saga fulfilOrder charge', 'saga fulfilOrder compensate charge', 'saga fulfilOrder compensate reserve', 'saga fulfilOrder confirm', 'saga fulfilOrder reserve']);
      const request = all.find((s) => s.name === 'POST /orders')!;
      for (const span of spans) expect(span.spanContext().traceId, span.name).toBe(request.spanContext().traceId);
      const named = (name: string) => spans.find((s) => s.name === `saga fulfilOrder ${name}`)!;
      const parent = (span: (typeof all)[number]) => all.find((s) => s.spanContext().spanId === parentOf(span));
      // Each under the consumer span of the event that triggered it, in the service that took it.
      expect(parent(named('charge'))).toMatchObject({ name: 'process order.created', attributes: { 'messaging.consumer.group.name': 'payments' } });
      expect(parent(named('reserve'))).toMatchObject({ name: 'process payment.completed', attributes: { 'messaging.consumer.group.name': 'inventory' } });
      expect(parent(named('compensate charge'))).toMatchObject({ name: 'process order.rejected', attributes: { 'messaging.consumer.group.name': 'payments' } });
      expect(parent(named('compensate reserve'))).toMatchObject({ name: 'process order.rejected', attributes: { 'messaging.consumer.group.name': 'inventory' } });
      // The event a step publishes continues from the step's span.
      expect(parent(all.find((s) => s.name === 'send payment.completed')!)).toBe(named('charge'));
      expect(named('charge')).toMatchObject({ status: { code: 0 }, attributes: { 'meshspec.saga.step': 'charge', 'meshspec.saga.phase': 'forward', 'meshspec.saga.attempt': 1 } });
      // A step that published its `fails` event ends in error with that event as its type.
      expect(named('confirm')).toMatchObject({ status: { code: 2, message: 'the order was rejected at confirmation' }, attributes: { 'error.type': 'order.rejected' } });
      expect(named('compensate reserve').attributes).toMatchObject({ 'meshspec.saga.phase': 'compensate', 'meshspec.saga.attempt': 1 });
      // No delivery failed on the way (a handler never runs inside its publisher's transaction).
      expect(all.filter((s) => s.status.code === 2).map((s) => s.name)).toEqual(['saga fulfilOrder confirm']);
    } finally {
      await mesh.close();
      await tracing.close();
    }
  }, 60_000);

  it('lists the steps in the order the participants took them, not the order their reports arrived in', async () => {
    const mesh = await startMesh('pg');
    try {
      const at = Date.parse('2026-01-01T10:00:00.000Z');
      const report = (step: string, seconds: number, source: string) =>
        mesh.bus.publish({
          id: randomBytes(8).toString('hex'), event: 'meshspec.sagaReports.orders', version: 1, source, time: new Date(at + seconds * 1000).toISOString(),
          payload: { saga: 'fulfilOrder', sagaId: 'late-1', step, phase: 'forward', outcome: 'succeeded', attempts: 1 },
        });
      await report('confirm', 3, 'orders');
      await report('charge', 1, 'payments');
      await report('reserve', 2, 'inventory');
      await eventually(async () => (await call(mesh.running.orders.httpPort, 'GET', '/sagas/late-1')).body.steps?.length === 3, 5_000);
      const { steps } = (await call(mesh.running.orders.httpPort, 'GET', '/sagas/late-1')).body as { steps: { step: string; startedAt: number; finishedAt: number }[] };
      expect(steps.map((s) => [s.step, s.startedAt, s.finishedAt])).toEqual([['charge', at + 1000, at + 1000], ['reserve', at + 2000, at + 2000], ['confirm', at + 3000, at + 3000]]);
    } finally {
      await mesh.close();
    }
  }, 60_000);

  it('dead-letters a forged report and an event whose saga id is no id, and changes nothing', async () => {
    const mesh = await startMesh('pg');
    try {
      const publish = (event: string, payload: unknown, source: string) =>
        mesh.bus.publish({ id: randomBytes(8).toString('hex'), event, version: 1, source, time: new Date().toISOString(), payload });
      await publish('meshspec.sagaReports.orders', { saga: 'fulfilOrder', sagaId: 'x-1', step: 'charge', phase: 'sideways', outcome: 'succeeded', attempts: 1 }, 'payments');
      await publish('meshspec.sagaReports.orders', { saga: 'otherSaga', sagaId: 'x-1', step: 'charge', phase: 'forward', outcome: 'succeeded', attempts: 1 }, 'payments');
      await publish('order.created', { orderId: 'no id / with spaces', amount: 10, sku: 'kb' }, 'orders');
      await eventually(async () => mesh.bus.deadLetters.length === 4, 5_000);
      const reasons = mesh.bus.deadLetters.map((d) => `${d.group}: ${String(d.error)}`).sort();
      expect(reasons).toEqual([
        expect.stringContaining("orders.sagaLog: UnprocessableEvent: 'order.created' carries no saga id in 'orderId'"),
        expect.stringContaining('orders.sagaLog: UnprocessableEvent: not a saga step report: bad phase'),
        expect.stringContaining("orders.sagaLog: UnprocessableEvent: orders owns no choreographed saga 'otherSaga'"),
        expect.stringContaining("payments: UnprocessableEvent: 'order.created' carries no saga id in 'orderId'"),
      ]);
      expect(mesh.bus.deadLetters.every((d) => d.attempts === 1)).toBe(true);
      expect(await rows(mesh.dbs.orders, 'select id from meshspec_sagas')).toEqual([]);
    } finally {
      await mesh.close();
    }
  }, 60_000);

  it('refuses to start a participant without its compensation, or without storage', async () => {
    const db = createPgDatabase({ name: 'payments', url: (scratch.push(await createThrowawayDatabase()), scratch.at(-1)!.url) });
    const settings = { bodyLimitBytes: 65_536, shutdownGraceMs: 1000, httpPort: 0, host: '127.0.0.1', bus: createMemoryBus({ logger }), logger };
    const without = { ...hosts.payments(), compensations: {} };
    await expect(startService(without, { ...settings, database: db })).rejects.toThrow(StartupError);
    await expect(startService(without, { ...settings, database: createPgDatabase({ name: 'payments', url: scratch.at(-1)!.url }) })).rejects.toThrow(
      "payments cannot take part in its sagas: no compensation 'refundCharge' (undoes fulfilOrder.charge) (export it in the service's compensations)",
    );
    const { storage: _none, ...noStorage } = hosts.payments();
    await expect(startService(noStorage, settings)).rejects.toThrow('payments takes steps of choreographed sagas but has no storage');
  }, 60_000);
});
