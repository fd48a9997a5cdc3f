// GET /sagas/{id} and GET /sagas over a memory log, served by a real HTTP server that runs the routes
// as the host's extra-route runner does (a MeshError answers with its status and JSON body).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Conflict, isMeshError } from '../../../runtime/errors/index.js';
import { sendError } from '../../../runtime/http/respond.js';
import { createMemorySagaLog } from '../../../runtime/saga/log/memory.js';
import { createSagaOrchestrator, type SagaOrchestrator } from '../../../runtime/saga/orchestrator.js';
import { MAX_SAGA_LIST_LIMIT, sagaRoutes } from '../../../runtime/saga/routes.js';

describe('saga routes', () => {
  let server: Server;
  let base: string;
  let orchestrator: SagaOrchestrator;
  let completed: string;
  let compensated: string;

  beforeAll(async () => {
    orchestrator = createSagaOrchestrator({
      service: 'orders',
      log: createMemorySagaLog(),
      logger: pino({ level: 'silent' }),
      sagas: [
        { name: 'good', steps: [{ name: 'a', endpoint: 'x.a', run: async () => ({ ok: 1 }) }] },
        {
          name: 'bad',
          steps: [
            { name: 'a', endpoint: 'x.a', run: async () => 1, compensation: { endpoint: 'x.undo', run: async () => null } },
            { name: 'b', endpoint: 'x.b', run: async () => Promise.reject(new Conflict('declined')) },
          ],
        },
      ],
    });
    completed = await orchestrator.start('good', { n: 1 });
    compensated = await orchestrator.start('bad', { n: 2 });
    await orchestrator.wait(completed, 5000);
    await orchestrator.wait(compensated, 5000);

    const [one, list] = sagaRoutes(orchestrator);
    server = createServer((req, res) => {
      const path = new URL(req.url!, 'http://localhost').pathname;
      const match = /^\/sagas\/([^/]+)$/.exec(path);
      const route = match ? one! : path === '/sagas' ? list! : undefined;
      if (!route) return void res.writeHead(404).end();
      Promise.resolve(route.handle(req, res, match ? { id: decodeURIComponent(match[1]!) } : {}, undefined as never)).catch((err: unknown) => {
        if (isMeshError(err)) sendError(res, err, 'req-1');
        else res.writeHead(500).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await orchestrator.close();
    await new Promise((resolve) => server.close(resolve));
  });

  const get = async (path: string) => {
    const response = await fetch(`${base}${path}`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('GET /sagas/{id} answers the saga with its steps', async () => {
    const { status, body } = await get(`/sagas/${compensated}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ id: compensated, saga: 'bad', state: 'compensated', failure: { step: 'b', code: 'Conflict', message: 'declined' } });
    expect((body['steps'] as Array<{ step: string; phase: string; outcome: string }>).map((s) => `${s.step}/${s.phase}/${s.outcome}`)).toEqual([
      'a/forward/succeeded',
      'b/forward/failed',
      'a/compensate/succeeded',
    ]);
  });

  it('an unknown id is 404 with a JSON error; a malformed one 400', async () => {
    expect(await get('/sagas/no-such-saga')).toEqual({ status: 404, body: { error: { code: 'NotFound', message: 'no saga with id no-such-saga', requestId: 'req-1' } } });
    const malformed = await get(`/sagas/${encodeURIComponent('bad id; drop table')}`);
    expect(malformed.status).toBe(400);
    expect(malformed.body['error']).toMatchObject({ code: 'ValidationFailed', details: [{ path: '/id' }] });
    expect((await get(`/sagas/${'x'.repeat(129)}`)).status).toBe(400);
  });

  it('GET /sagas lists newest first, filtered by state and saga, bounded', async () => {
    const all = await get('/sagas');
    expect(all.status).toBe(200);
    expect((all.body['sagas'] as Array<{ id: string }>).map((s) => s.id).sort()).toEqual([completed, compensated].sort());
    expect((await get('/sagas?state=compensated')).body).toMatchObject({ sagas: [{ id: compensated, state: 'compensated' }] });
    expect((await get('/sagas?saga=good&state=completed&limit=1')).body).toMatchObject({ sagas: [{ id: completed, output: null }] });
    expect((await get('/sagas?state=stuck')).body).toEqual({ sagas: [] });
  });

  it('refuses a malformed query, naming each problem', async () => {
    const bad = await get(`/sagas?state=lost&limit=${MAX_SAGA_LIST_LIMIT + 1}&saga=9x&page=2`);
    expect(bad.status).toBe(400);
    const paths = ((bad.body['error'] as { details: Array<{ path: string }> }).details ?? []).map((d) => d.path).sort();
    expect(paths).toEqual(['/limit', '/page', '/saga', '/state']);
    expect((await get('/sagas?limit=0')).status).toBe(400);
    expect((await get('/sagas?limit=abc')).status).toBe(400);
    expect((await get('/sagas?state=stuck&state=running')).status).toBe(400);
  });
});
