// A service whose endpoints start a saga and answer its status, on both engines: 202 + Location then
// the status reaching completed, a waiting endpoint answering 201 with the output, a failed step's
// declared error (409 for an undeclared one), `<saga>.completed` through the outbox, a keyed retry
// finding the same saga; and on PostgreSQL a service restarted mid-saga resuming it.
import { afterAll, describe, expect, it } from 'vitest';
import { sql, type Database } from '../../../runtime/storage/index.js';
import { createPgliteDatabase } from '../../../runtime/storage/pglite.js';
import { eventually } from '../../support/processes.js';
import { createLogger, startService, StartupError, type EventEnvelope } from '../../support/runtime.js';
import { enginesUnderTest, type EngineUnderTest } from '../storage/engines.js';
import { call, ordersSettings, ordersWithSagas } from './fixtures.js';

const engines = await enginesUnderTest();
const logger = createLogger({ service: 'orders', level: 'silent' });

const outboxRows = async (db: Database, sagaId: string) =>
  Number((await db.query<{ n: string }>(sql`select count(*)::text as n from meshspec_outbox where envelope::text like ${`%"${sagaId}"%`}`)).rows[0]!.n);

describe.each(engines)('saga endpoints on $engine', (engine: EngineUnderTest) => {
  afterAll(() => engine.cleanup());

  it.skipIf(!engine.available)('answers 202 + Location, then the status endpoint shows the saga completed; its event goes through the outbox', async () => {
    const db = await engine.open();
    const { host, probe } = ordersWithSagas();
    const settings = ordersSettings(logger, db);
    const heard: EventEnvelope[] = [];
    await settings.bus.subscribe('placeOrder.completed', 'test', async (envelope: EventEnvelope) => void heard.push(envelope));
    const service = await startService(host, settings);
    try {
      const started = await call(service.httpPort, 'POST', '/orders/placements', { sku: 'slow', quantity: 2 });
      expect(started.status).toBe(202);
      const sagaId = started.body.sagaId as string;
      expect(started.body).toEqual({ sagaId, state: 'running' });
      expect(started.headers.get('location')).toBe(`/orders/placements/${sagaId}`);

      await eventually(async () => probe.confirmCalls.length === 1, 5_000);
      const running = await call(service.httpPort, 'GET', started.headers.get('location')!);
      expect(running).toMatchObject({ status: 200, body: { sagaId, state: 'running' } });
      expect(running.body).not.toHaveProperty('input');

      probe.open();
      await eventually(async () => (await call(service.httpPort, 'GET', `/orders/placements/${sagaId}`)).body.state === 'completed', 5_000);
      const done = await call(service.httpPort, 'GET', `/orders/placements/${sagaId}`);
      expect(done.body).toEqual({ sagaId, state: 'completed', output: { reservation: `r-${sagaId}`, confirmation: `c-${sagaId}` } });

      await eventually(async () => heard.length === 1, 5_000);
      expect(heard[0]!.payload).toEqual({ sagaId, output: done.body.output });
      expect(heard[0]!.requestId).toBe(sagaId);
      expect(await outboxRows(db, sagaId)).toBe(1);

      // The operator's view beside the endpoints, and the service's figures.
      const record = await call(service.httpPort, 'GET', `/sagas/${sagaId}`);
      expect(record.status).toBe(200);
      expect(record.body.steps.map((s: { step: string; outcome: string }) => `${s.step}:${s.outcome}`)).toEqual(['reserve:succeeded', 'confirm:succeeded']);
      expect(service.sagas()?.stats).toMatchObject({ started: 1, completed: 1 });
      expect((await service.sagas()!.counts()).completed).toBe(1);
    } finally {
      await service.close();
    }
  }, 30_000);

  it.skipIf(!engine.available)('a waiting endpoint answers 201 with the output, a failed step its declared error or 409, with the saga id', async () => {
    const db = await engine.open();
    const { host } = ordersWithSagas();
    const settings = ordersSettings(logger, db);
    const failed: EventEnvelope[] = [];
    await settings.bus.subscribe('placeOrder.failed', 'test', async (envelope: EventEnvelope) => void failed.push(envelope));
    const service = await startService(host, settings);
    try {
      const ok = await call(service.httpPort, 'POST', '/orders/placements/waiting', { sku: 'kb', quantity: 1 });
      expect(ok.status).toBe(201);
      expect(ok.headers.get('location')).toBeNull();
      expect(ok.body).toEqual({ sagaId: ok.body.sagaId, state: 'completed', output: { reservation: `r-${ok.body.sagaId}`, confirmation: `c-${ok.body.sagaId}` } });

      const out = await call(service.httpPort, 'POST', '/orders/placements/waiting', { sku: 'none', quantity: 1 });
      expect(out.status).toBe(422);
      expect(out.body.error).toMatchObject({ code: 'OutOfStock', message: 'not enough none', details: { sagaId: expect.any(String) } });
      const status = await call(service.httpPort, 'GET', `/orders/placements/${out.body.error.details.sagaId}`);
      expect(status.body).toEqual({ sagaId: out.body.error.details.sagaId, state: 'compensated', failure: { step: 'reserve', code: 'OutOfStock', message: 'not enough none' } });

      const banned = await call(service.httpPort, 'POST', '/orders/placements/waiting', { sku: 'banned', quantity: 1 });
      expect(banned.status).toBe(409);
      expect(banned.body.error).toMatchObject({ code: 'Conflict', details: { sagaId: expect.any(String) } });
      expect(banned.body.error.message).toContain('Embargoed');

      await eventually(async () => failed.length === 2, 5_000);
      expect(failed.map((e) => (e.payload as { state: string }).state)).toEqual(['compensated', 'compensated']);

      // Input is checked as for any endpoint; the status endpoint knows only its own saga's ids.
      expect((await call(service.httpPort, 'POST', '/orders/placements/waiting', { sku: '', quantity: 1 })).status).toBe(400);
      expect((await call(service.httpPort, 'GET', '/orders/placements/no-such-saga')).status).toBe(404);
      expect((await call(service.httpPort, 'GET', '/orders/placements/bad!id')).status).toBe(400);
    } finally {
      await service.close();
    }
  }, 30_000);

  it.skipIf(!engine.available)('a retried request with an Idempotency-Key finds the same saga and answers what it is now; a wait ends before the deadline', async () => {
    const db = await engine.open();
    const { host, probe } = ordersWithSagas();
    const service = await startService(host, ordersSettings(logger, db));
    try {
      const key = { 'idempotency-key': 'order-k-1' };
      const first = await call(service.httpPort, 'POST', '/orders/placements', { sku: 'slow', quantity: 1 }, key);
      expect(first.status).toBe(202);
      const again = await call(service.httpPort, 'POST', '/orders/placements', { quantity: 1, sku: 'slow' }, key);
      expect(again).toMatchObject({ status: 202, body: { sagaId: first.body.sagaId } });
      expect((await call(service.httpPort, 'POST', '/orders/placements', { sku: 'other', quantity: 1 }, key)).status).toBe(422);

      // A waiting endpoint waits no longer than shortly before the caller's deadline, then answers 202.
      const before = Date.now();
      const capped = await call(service.httpPort, 'POST', '/orders/placements/waiting', { sku: 'slow', quantity: 1 }, { 'x-mesh-deadline': String(before + 1_500) });
      expect(capped.status).toBe(202);
      expect(capped.headers.get('location')).toBe(`/orders/placements/${capped.body.sagaId}`);
      expect(Date.now() - before).toBeGreaterThanOrEqual(1_200);
      expect(Date.now() - before).toBeLessThan(3_000); // well short of its 5 s wait

      probe.open();
      await eventually(async () => (await call(service.httpPort, 'GET', `/orders/placements/${first.body.sagaId}`)).body.state === 'completed', 5_000);
      // Not a stored 202: the saga as it is now, with the endpoint's success status.
      const later = await call(service.httpPort, 'POST', '/orders/placements', { sku: 'slow', quantity: 1 }, key);
      expect(later).toMatchObject({ status: 201, body: { sagaId: first.body.sagaId, state: 'completed' } });
      expect(service.sagas()?.stats.started).toBe(2);
    } finally {
      await service.close();
    }
  }, 30_000);

  it.skipIf(!engine.available || engine.engine !== 'pg')('a service restarted mid-saga resumes it from the log', async () => {
    const db = await engine.open();
    const firstRun = ordersWithSagas(800);
    const first = await startService(firstRun.host, ordersSettings(logger, db));
    let sagaId: string;
    try {
      const started = await call(first.httpPort, 'POST', '/orders/placements', { sku: 'slow', quantity: 3 });
      expect(started.status).toBe(202);
      sagaId = started.body.sagaId as string;
      await eventually(async () => firstRun.probe.confirmCalls.length === 1, 5_000);
    } finally {
      // Mid-step: closing lets the held call reach its timeout, then releases the saga's lease.
      await first.close();
    }
    const secondRun = ordersWithSagas(800);
    secondRun.probe.open();
    const second = await startService(secondRun.host, ordersSettings(logger, engine.replicaOf(db)));
    try {
      await eventually(async () => (await call(second.httpPort, 'GET', `/orders/placements/${sagaId}`)).body.state === 'completed', 10_000);
      // reserve succeeded before the restart and is not called again; confirm is.
      expect(secondRun.probe.confirmCalls).toEqual([sagaId]);
      expect(second.sagas()?.stats.resumed).toBe(1);
    } finally {
      await second.close();
    }
  }, 40_000);
});

describe('a service with sagas', () => {
  it('refuses to start when it does not publish its sagas\' events, or an endpoint names a saga it does not run', async () => {
    const { host } = ordersWithSagas();
    const silent = { ...host, definition: { ...host.definition, publishes: ['placeOrder.completed'] } };
    await expect(startService(silent, ordersSettings(logger, await createPgliteDatabase({ name: 'orders' })))).rejects.toThrow(/orders runs sagas but does not publish placeOrder.failed/);
    const endpoints = host.definition.endpoints.map((e) => (e.sagaStatus ? { ...e, sagaStatus: 'refund' } : e));
    const unknown = { ...host, definition: { ...host.definition, endpoints } };
    await expect(startService(unknown, ordersSettings(logger, await createPgliteDatabase({ name: 'orders' })))).rejects.toThrow(/orders.getPlacement answers saga 'refund', which orders does not run/);
  });

  it('needs storage', async () => {
    const { host } = ordersWithSagas();
    const { storage: _storage, ...withoutStorage } = host;
    await expect(startService(withoutStorage, ordersSettings(logger, undefined))).rejects.toThrow(StartupError);
    await expect(startService(withoutStorage, ordersSettings(logger, undefined))).rejects.toThrow(/orders runs sagas but has no storage/);
  });
});
