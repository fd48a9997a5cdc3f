// A compensation that keeps failing (issue #12): the saga-host fixture's `stuck` order makes confirm
// refuse and every release of its reservation answer 503. With MESH_SAGA_COMPENSATION_ATTEMPTS=3 and a
// short backoff, release is called 3 times, then the saga is `stuck`: the waiting endpoint answers
// the step's error, `GET /sagas/{id}`, `GET /sagas?state=stuck` and the status endpoint show it,
// `placeOrder.failed` says `stuck`; and on PostgreSQL, once the service stopped, `meshspec sagas list
// --state stuck` and `meshspec sagas show` print it from the same database (exit 0).
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PG_LOCATION_VARIABLES } from '../../../runtime/host/database-config.js';
import { sagaTimingFromEnv } from '../../../runtime/host/sagas.js';
import { createPgDatabase } from '../../../runtime/storage/pg.js';
import type { Database } from '../../../runtime/storage/index.js';
import { eventually, runToEnd } from '../../support/processes.js';
import { repoRoot } from '../../support/project.js';
import { createLogger, startService, type EventEnvelope } from '../../support/runtime.js';
import { createThrowawayDatabase, enginesUnderTest, type ThrowawayDatabase } from '../storage/engines.js';
import { call, ordersSettings, ordersWithSagas } from './fixtures.js';

const engines = await enginesUnderTest();
const logger = createLogger({ service: 'orders', level: 'silent' });
const ATTEMPTS = 3;
/** As an operator would set them: the host reads these when HostSettings give no sagaTiming. */
const timing = { leaseMs: 1_500, resumeIntervalMs: 200, ...sagaTimingFromEnv({ MESH_SAGA_COMPENSATION_ATTEMPTS: String(ATTEMPTS), MESH_SAGA_BACKOFF_MS: '5ms', MESH_SAGA_BACKOFF_MAX_MS: '20ms' }) };
/** The sagas fixture's spec names orders and its placeOrder saga: what the CLI needs to find the log. */
const specDir = path.join(repoRoot, 'test/fixtures/sagas/spec');
const noDatabaseEnv = Object.fromEntries(['MESH_DATA', 'DATABASE_URL', 'MESH_ORDERS_DATABASE_URL', ...PG_LOCATION_VARIABLES].map((v) => [v, '']));

const cli = (args: string[], url: string) =>
  runToEnd([path.join(repoRoot, 'bin/meshspec.js'), 'sagas', ...args, '--spec', specDir], { ...noDatabaseEnv, MESH_ORDERS_DATABASE_URL: url });

describe.each(engines)('a saga whose compensation keeps failing, on $engine', (engine) => {
  const scratch: ThrowawayDatabase[] = [];
  afterAll(async () => {
    await engine.cleanup();
    await Promise.all(scratch.map((s) => s.drop()));
  });

  /** PostgreSQL in a throwaway database whose URL the CLI is given later; PGlite as the engine opens it. */
  async function open(): Promise<{ db: Database; url?: string }> {
    if (engine.engine === 'pglite') return { db: await engine.open() };
    const created = await createThrowawayDatabase();
    scratch.push(created);
    return { db: createPgDatabase({ name: 'orders', url: created.url }), url: created.url };
  }

  it.skipIf(!engine.available)('is retried, then stuck: endpoint, /sagas, status, event and (PostgreSQL) the CLI show it', async () => {
    const { db, url } = await open();
    const { host, probe } = ordersWithSagas();
    const settings = ordersSettings(logger, db, { sagaTiming: timing });
    const failed: EventEnvelope[] = [];
    await settings.bus.subscribe('placeOrder.failed', 'test', async (envelope: EventEnvelope) => void failed.push(envelope));
    const service = await startService(host, settings);
    let sagaId: string;
    try {
      const placed = await call(service.httpPort, 'POST', '/orders/placements/waiting', { sku: 'stuck', quantity: 1 });
      // confirm's Conflict is not a code placeOrder declares: 409, with the saga id to look it up.
      expect(placed.status).toBe(409);
      sagaId = placed.body.error.details.sagaId as string;
      expect(placed.body.error.message).toContain('cannot be confirmed');

      expect(probe.releaseCalls).toEqual(Array(ATTEMPTS).fill(sagaId));
      const record = await call(service.httpPort, 'GET', `/sagas/${sagaId}`);
      expect(record.status).toBe(200);
      expect(record.body).toMatchObject({ id: sagaId, saga: 'placeOrder', state: 'stuck', failure: { step: 'confirm', code: 'Conflict' }, finishedAt: expect.any(Number) });
      const steps = record.body.steps.map((s: { step: string; phase: string; outcome: string; attempts: number; error?: { code: string } }) => [s.step, s.phase, s.outcome, s.attempts, s.error?.code]);
      expect(steps).toEqual([
        ['reserve', 'forward', 'succeeded', 1, undefined],
        ['confirm', 'forward', 'failed', 1, 'Conflict'],
        ['reserve', 'compensate', 'failed', ATTEMPTS, 'Unavailable'],
      ]);
      expect(record.body.steps[2].error.message).toBe(`the warehouse cannot release ${sagaId} now`);

      const listed = await call(service.httpPort, 'GET', '/sagas?state=stuck');
      expect(listed.status).toBe(200);
      expect(listed.body.sagas).toEqual([expect.objectContaining({ id: sagaId, state: 'stuck', failure: expect.objectContaining({ step: 'confirm', code: 'Conflict' }) })]);
      expect((await call(service.httpPort, 'GET', '/sagas?state=compensated')).body.sagas).toEqual([]);

      const status = await call(service.httpPort, 'GET', `/orders/placements/${sagaId}`);
      expect(status).toMatchObject({ status: 200, body: { sagaId, state: 'stuck', failure: { step: 'confirm', code: 'Conflict' } } });

      await eventually(async () => failed.length === 1, 5_000);
      expect(failed[0]!.payload).toMatchObject({ sagaId, state: 'stuck', failure: { step: 'confirm', code: 'Conflict' } });
      expect(service.sagas()?.stats.stuck).toBe(1);
      expect((await service.sagas()!.counts()).stuck).toBe(1);
    } finally {
      await service.close();
    }
    if (!url) return;

    // After the service stopped: the person resolving it, from the same database.
    const list = await cli(['list', '--state', 'stuck'], url);
    expect(list.stderr).toBe('');
    expect(list.code).toBe(0);
    const lines = list.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(new RegExp(`^${sagaId}\\s+orders\\s+placeOrder\\s+stuck\\s+\\d+s\\s+confirm: Conflict ${sagaId} cannot be confirmed$`));

    const shown = await cli(['show', sagaId], url);
    expect(shown.stderr).toBe('');
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`placeOrder ${sagaId} (orders): stuck`);
    expect(shown.stdout).toMatch(/failed at confirm: Conflict/);
    expect(shown.stdout).toMatch(new RegExp(`\\n {2}undo reserve: failed, ${ATTEMPTS} attempts in \\d+ ms, last error Unavailable the warehouse cannot release ${sagaId} now`));
  }, 60_000);
});
