// The server side of idempotency keys (runtime/service/idempotent-invoke.ts) on a real service, and
// the client retrying a non-idempotent call with its key through a proxy that loses the answers:
// many attempts, one effect.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { encodeCaller } from '../../../runtime/http/headers.js';
import { createTransportFactory } from '../../../runtime/host/transports.js';
import { startMisbehavingServer } from '../../support/misbehaving-server.js';
import { captureLogger, FAST, rejectionOf, type LogLine } from './fixtures.js';
import { ledgerDefinition, ledgerEndpoints, schemas, startMesh, type Mesh } from './services.js';

let mesh: Mesh;
beforeAll(async () => {
  mesh = await startMesh();
});
afterAll(() => mesh.close());
afterEach(() => {
  mesh.state.limit = 100;
});

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

let keys = 0;
const freshKey = () => `key-${process.pid}-${++keys}`;

async function charge(amount: number, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(`http://127.0.0.1:${mesh.ledger.httpPort}/charges`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ amount }),
  });
  return { status: res.status, body: await res.json() };
}

describe('a non-idempotent endpoint honours Idempotency-Key', () => {
  it('answers a repeated key with the first answer without running the hook again', async () => {
    const key = freshKey();
    const before = mesh.state.effects;
    const first = await charge(5, { 'idempotency-key': key });
    const second = await charge(5, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    expect(second).toEqual(first);
    expect(mesh.state.effects).toBe(before + 1);
  });

  it('runs every request that carries no key', async () => {
    const before = mesh.state.effects;
    await charge(5);
    await charge(5);
    expect(mesh.state.effects).toBe(before + 2);
  });

  it('replays a declared error too, even once the request would now succeed', async () => {
    const key = freshKey();
    const first = await charge(500, { 'idempotency-key': key });
    expect(first).toMatchObject({ status: 409, body: { error: { code: 'Declined' } } });
    mesh.state.limit = 1_000;
    const before = mesh.state.effects;
    expect(await charge(500, { 'idempotency-key': key })).toMatchObject({ status: 409, body: { error: { code: 'Declined' } } });
    expect(mesh.state.effects).toBe(before);
    expect((await charge(500, { 'idempotency-key': freshKey() })).status).toBe(201);
  });

  it('answers 422 for the same key with another request, and runs nothing', async () => {
    const key = freshKey();
    await charge(5, { 'idempotency-key': key });
    const before = mesh.state.effects;
    const reused = await charge(6, { 'idempotency-key': key });
    expect(reused).toMatchObject({ status: 422, body: { error: { code: 'Unprocessable', details: { reason: 'idempotency-key-reused' } } } });
    expect(mesh.state.effects).toBe(before);
  });

  it('keeps keys apart per caller', async () => {
    const key = freshKey();
    const before = mesh.state.effects;
    await charge(5, { 'idempotency-key': key, 'x-mesh-caller': encodeCaller({ subject: 'service:orders', service: 'orders' }) });
    await charge(5, { 'idempotency-key': key, 'x-mesh-caller': encodeCaller({ subject: 'service:billing', service: 'billing' }) });
    expect(mesh.state.effects).toBe(before + 2);
  });

  it('runs concurrent repeats once: they wait for the first and get its answer', async () => {
    const key = freshKey();
    const before = mesh.state.effects;
    const answers = await Promise.all(Array.from({ length: 8 }, () => charge(7, { 'idempotency-key': key })));
    expect(mesh.state.effects).toBe(before + 1);
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
  });

  it('refuses a key that cannot be one with 400', async () => {
    const reply = await charge(5, { 'idempotency-key': 'has space' });
    expect(reply).toMatchObject({ status: 400, body: { error: { code: 'BadRequest' } } });
  });
});

describe('the client retries a non-idempotent call only with a key', () => {
  async function throughLossyProxy() {
    const proxy = await startMisbehavingServer({ upstream: `http://127.0.0.1:${mesh.ledger.httpPort}`, default: 'forward' });
    const logs: LogLine[] = [];
    const factory = createTransportFactory({
      callees: { ledger: ledgerDefinition },
      calls: [{ service: 'ledger', transport: 'http', policy: FAST }],
      schemas,
      logger: captureLogger(logs),
      discovery: { http: { ledger: proxy.origin } },
      env: {},
    });
    cleanups.push(() => proxy.close(), () => factory.close());
    return { proxy, ledger: factory.transportFor('ledger', 'http') };
  }

  it('with a key: the answer is lost twice, the third attempt gets the stored first answer; one effect', async () => {
    const { proxy, ledger } = await throughLossyProxy();
    proxy.script('forward-then-reset', 'forward-then-reset');
    const before = mesh.state.effects;
    const answer = await ledger.call(ledgerEndpoints.charge, { amount: 9 }, { idempotencyKey: freshKey() });
    expect(answer).toEqual({ id: before + 1, amount: 9 });
    expect(proxy.requests).toBe(3);
    expect(mesh.state.effects).toBe(before + 1);
  });

  it('without a key: the lost answer is not retried (the effect happened once; the caller is told it is unavailable)', async () => {
    const { proxy, ledger } = await throughLossyProxy();
    proxy.script('forward-then-reset');
    const before = mesh.state.effects;
    expect((await rejectionOf(ledger.call(ledgerEndpoints.charge, { amount: 9 }, {}))).code).toBe('Unavailable');
    expect(proxy.requests).toBe(1);
    expect(mesh.state.effects).toBe(before + 1);
  });
});
