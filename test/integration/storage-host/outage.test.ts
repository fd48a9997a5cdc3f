// A service whose PostgreSQL goes away (a private server, never the shared one): /ready turns 503
// and calls answer 503 Unavailable quickly, the process carries on; once the server is back the same
// running service is ready again and serves its data. Missing PostgreSQL binaries skip this on a
// developer machine and fail it under CI=true.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type RunningService } from '../../support/runtime.js';
import { createPgDatabase } from '../../../runtime/storage/pg.js';
import { POSTGRES_BIN, startPrivatePostgres, type PrivatePostgres } from '../storage/private-postgres.js';
import { call, captureLogger, notesHost, notesSettings } from './fixtures.js';

if (!POSTGRES_BIN && process.env['CI'] === 'true') throw new Error('no PostgreSQL binaries under /usr/lib/postgresql: CI must provide them');

/** Polls `/ready` until it answers `status` (readiness is cached for a second), or fails after `withinMs`. */
async function readyBecomes(port: number, status: number, withinMs: number): Promise<number> {
  const started = Date.now();
  for (;;) {
    if ((await call(port, 'GET', '/ready')).status === status) return Date.now() - started;
    if (Date.now() - started > withinMs) throw new Error(`/ready did not answer ${status} within ${withinMs} ms`);
    await sleep(100);
  }
}

describe.skipIf(!POSTGRES_BIN)('a service whose PostgreSQL stops and starts again', () => {
  let server: PrivatePostgres;
  let service: RunningService;

  beforeAll(async () => {
    server = await startPrivatePostgres();
    const { logger } = captureLogger();
    service = await startService(notesHost(), notesSettings(logger, createPgDatabase({ name: 'notes', url: server.url })));
  });

  afterAll(async () => {
    await service?.close();
    await server?.destroy();
  });

  it('answers 503 while it is down, without crashing, and serves again once it is back', async () => {
    const port = service.httpPort;
    expect((await call(port, 'POST', '/notes', { id: 'n-1', body: 'kept' })).status).toBe(201);
    expect((await call(port, 'GET', '/ready')).status).toBe(200);

    await server.stop();
    // Cached for at most a second, then pinged: generous bound for a busy machine.
    await readyBecomes(port, 503, 5000);
    const started = Date.now();
    const read = await call(port, 'GET', '/notes/n-1');
    const write = await call(port, 'POST', '/notes', { id: 'n-2', body: 'lost' });
    expect(Date.now() - started).toBeLessThan(5000);
    for (const answer of [read, write]) {
      expect(answer.status).toBe(503);
      expect(answer.body).toMatchObject({ error: { code: 'Unavailable', message: 'the notes database is unavailable' } });
      expect(JSON.stringify(answer.body)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
    }
    // The process lives: liveness stays 200 throughout.
    expect((await call(port, 'GET', '/health')).status).toBe(200);
    expect(service.ready).toBe(false);

    await server.start();
    await readyBecomes(port, 200, 5000);
    expect(service.ready).toBe(true);
    expect(await call(port, 'GET', '/notes/n-1')).toEqual({ status: 200, body: { id: 'n-1', body: 'kept' } });
    expect((await call(port, 'POST', '/notes', { id: 'n-2', body: 'after' })).status).toBe(201);
  });
});
