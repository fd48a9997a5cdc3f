// A service with declared readiness checks, served for real (port 0): /ready lists the runtime's
// check and the user's with their status, 503 while a critical one fails (gRPC health NOT_SERVING),
// 200 `degraded` while only a non-critical one does, a hung check counted as `timeout`; /health
// asks nothing; a check the hook file lacks stops the start.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileSpec } from '../../../generator/pipeline.js';
import { NotFound, startService, type RunningService, type SchemaRegistry, type ServiceDefinition } from '../../support/runtime.js';
import { check, healthClient, watch } from '../../support/grpc-health.js';
import { definitionOf, schemasOf } from '../grpc/harness.js';
import { writeProtos } from '../proto/write-protos.js';
import { captureLogger, testSettings, usersHost } from './fixtures.js';

type Behaviour = 'pass' | 'fail' | 'hang';
const state: { ledger: Behaviour; cache: Behaviour; runs: number } = { ledger: 'pass', cache: 'pass', runs: 0 };

function behave(behaviour: Behaviour, signal: AbortSignal): Promise<void> {
  state.runs++;
  if (behaviour === 'pass') return Promise.resolve();
  if (behaviour === 'fail') return Promise.reject(new Error('cannot write /var/lib/ledger at 10.0.0.7:5432\n    at Object.write (ledger.js:1:1)'));
  return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))));
}

let out: string;
let definition: ServiceDefinition;
let schemas: SchemaRegistry;
let service: RunningService;
const log = captureLogger('inventory');

beforeAll(async () => {
  const { model } = await compileSpec('spec');
  if (!model) throw new Error('the example spec does not compile');
  out = await writeProtos(model);
  definition = {
    ...definitionOf(model, 'inventory', join(out, 'proto')),
    healthChecks: [
      { name: 'ledger', timeoutMs: 100, critical: true },
      { name: 'cache', timeoutMs: 100, critical: false },
    ],
  };
  schemas = schemasOf(model);
  const handlers = {
    async getProduct(input: { id: string }) {
      throw new NotFound(`no product ${input.id}`);
    },
  };
  const healthChecks = {
    ledger: (ctx: { signal: AbortSignal }) => behave(state.ledger, ctx.signal),
    cache: (ctx: { signal: AbortSignal }) => behave(state.cache, ctx.signal),
  };
  service = await startService(
    { definition, handlers, healthChecks, schemas, events: {}, callees: {}, createClients: () => ({}) },
    testSettings(log.logger, { grpcPort: 0 }),
  );
});

afterAll(async () => {
  await service?.close();
  await rm(out, { recursive: true, force: true });
});

async function ready(): Promise<{ status: number; body: any }> {
  const res = await fetch(`http://127.0.0.1:${service.httpPort}/ready`);
  return { status: res.status, body: await res.json() };
}

const summary = (body: any) => body.checks.map((c: any) => `${c.name}:${c.status}:${c.critical}`);

describe('a service with declared readiness checks', () => {
  it('answers 200 ready listing the runtime\'s check and its own, each with a duration', async () => {
    Object.assign(state, { ledger: 'pass', cache: 'pass' });
    const { status, body } = await ready();
    expect(status).toBe(200);
    expect(body.status).toBe('ready');
    expect(summary(body)).toEqual(['bus:pass:true', 'ledger:pass:true', 'cache:pass:false']);
    expect(body.checks.every((c: any) => typeof c.durationMs === 'number')).toBe(true);
    const client = healthClient(`127.0.0.1:${service.grpcPort}`);
    expect(await check(client, '')).toEqual({ status: 'SERVING' });
    client.close();
  });

  it('stays ready, degraded, when a non-critical check fails, its message bounded and stripped', async () => {
    Object.assign(state, { ledger: 'pass', cache: 'fail' });
    const { status, body } = await ready();
    expect(status).toBe(200);
    expect(body.status).toBe('degraded');
    const cache = body.checks.find((c: any) => c.name === 'cache');
    expect(cache).toMatchObject({ status: 'fail', critical: false, error: 'cannot write <path> at <address>' });
    const client = healthClient(`127.0.0.1:${service.grpcPort}`);
    expect(await check(client, '')).toEqual({ status: 'SERVING' });
    client.close();
  });

  it('answers 503 when a critical check fails, and gRPC health says NOT_SERVING (Check and Watch), until it passes again', async () => {
    Object.assign(state, { ledger: 'pass', cache: 'pass' });
    const client = healthClient(`127.0.0.1:${service.grpcPort}`);
    const watcher = watch(client, '');
    await expect.poll(() => watcher.seen).toEqual(['SERVING']);
    state.ledger = 'fail';
    const { status, body } = await ready();
    expect(status).toBe(503);
    expect(body.status).toBe('not ready');
    expect(body.checks.find((c: any) => c.name === 'ledger')).toMatchObject({ status: 'fail', critical: true });
    expect(await check(client, definition.proto!.service)).toEqual({ status: 'NOT_SERVING' });
    expect(await check(client, '')).toEqual({ status: 'NOT_SERVING' });
    await expect.poll(() => watcher.seen).toEqual(['SERVING', 'NOT_SERVING']);
    state.ledger = 'pass';
    expect((await ready()).status).toBe(200);
    await expect.poll(() => watcher.seen).toEqual(['SERVING', 'NOT_SERVING', 'SERVING']);
    watcher.stream.cancel();
    client.close();
    const flips = log.lines.filter((l) => l['check'] === 'ledger').map((l) => l['msg']);
    expect(flips).toEqual(['readiness check ledger fails (cannot write <path> at <address>): /ready answers 503 until it passes', 'readiness check ledger passes again']);
  });

  it('counts a check that hangs as timeout and still answers', async () => {
    Object.assign(state, { ledger: 'hang', cache: 'pass' });
    const { status, body } = await ready();
    expect(status).toBe(503);
    expect(body.checks.find((c: any) => c.name === 'ledger')).toMatchObject({ status: 'timeout', error: 'no answer within 100ms' });
    state.ledger = 'pass';
  });

  it('keeps /health cheap: it runs no check', async () => {
    const before = state.runs;
    const res = await fetch(`http://127.0.0.1:${service.httpPort}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
    expect(state.runs).toBe(before);
  });

  it('refuses to start when the hook file lacks a declared check', async () => {
    const { logger } = captureLogger('users');
    const host = usersHost({ definition: { ...usersHost().definition, healthChecks: [{ name: 'ledger', timeoutMs: 500, critical: true }] } });
    await expect(startService(host, testSettings(logger))).rejects.toThrow(
      "users cannot start its readiness checks: no function 'ledger' (add it to the `healthChecks` object exported by hooks/users.ts)",
    );
  });
});
