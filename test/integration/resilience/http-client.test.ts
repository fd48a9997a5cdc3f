// The client every generated client gets (host transport factory -> dependency -> pipeline -> pool ->
// HTTP transport), against real servers that misbehave on cue. Counts only, never durations.
import { afterEach, describe, expect, it } from 'vitest';
import { startMisbehavingServer, type MisbehavingServer } from '../../support/misbehaving-server.js';
import { FAST, rejectionOf, things, thingsClient, until, type TestClient } from './fixtures.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function server(): Promise<MisbehavingServer> {
  const started = await startMisbehavingServer();
  cleanups.push(() => started.close());
  return started;
}

function client(...args: Parameters<typeof thingsClient>): TestClient {
  const made = thingsClient(...args);
  cleanups.push(() => made.close());
  return made;
}

const counters = (c: TestClient) => c.factory.dependencies().resilience['things']!.counters;

describe('retries, at the caller only', () => {
  it('retries a 503 twice and answers with the third attempt, logging each retry with its reason and instance', async () => {
    const things1 = await server();
    things1.script({ status: 503 }, { status: 503 });
    const c = client([things1.origin], { policy: FAST });
    expect(await c.transport.call(things.getThing, { id: 1 }, {})).toEqual({ ok: true, n: 3 });
    expect(things1.requests).toBe(3);
    expect(counters(c)).toMatchObject({ calls: 1, succeeded: 1, attempts: 3, retries: 2, retriesByReason: { unavailable: 2 } });
    const retries = c.logs.filter((l) => l.msg === 'retrying after unavailable');
    expect(retries).toHaveLength(2);
    expect(retries[0]).toMatchObject({ dependency: 'things', instance: things1.origin, reason: 'unavailable' });
  });

  it('retries a reset connection, a 502, a 504 and a 429', async () => {
    const things1 = await server();
    const c = client([things1.origin], { policy: { ...FAST, retry: { ...FAST.retry!, attempts: 5 } } });
    things1.script('reset', { status: 502 }, { status: 504 }, { status: 429, headers: { 'retry-after': '0' } });
    expect(await c.transport.call(things.getThing, { id: 1 }, {})).toEqual({ ok: true, n: 5 });
    expect(counters(c).retriesByReason).toEqual({ unavailable: 1, badGateway: 1, timeout: 1, rateLimited: 1 });
  });

  it('retries an attempt that hangs past its own timeout, and cuts the hanging request', async () => {
    const things1 = await server();
    things1.script('hang');
    const c = client([things1.origin], { policy: { ...FAST, attemptTimeoutMs: 200 } });
    expect(await c.transport.call(things.getThing, { id: 1 }, {})).toEqual({ ok: true, n: 2 });
    expect(counters(c).retriesByReason).toEqual({ timeout: 1 });
    await until(() => things1.hanging === 0, 'the timed-out request to be closed');
  });

  it('honours Retry-After: a wait past the deadline is not taken, so the 503 reaches the caller after one attempt', async () => {
    const things1 = await server();
    things1.setDefault({ status: 503, headers: { 'retry-after': '30' } });
    const c = client([things1.origin], { policy: { ...FAST, timeoutMs: 2_000 } });
    const error = await rejectionOf(c.transport.call(things.getThing, { id: 1 }, {}));
    expect(error.code).toBe('Unavailable');
    expect(things1.requests).toBe(1);
    expect(counters(c).retriesDenied).toEqual({ budget: 0, deadline: 1 });
  });

  it.each([400, 404, 409, 422])('never retries a %i', async (status) => {
    const things1 = await server();
    things1.setDefault({ status, body: { error: { code: 'Nope', message: 'no' } } });
    const c = client([things1.origin], { policy: FAST });
    const error = await rejectionOf(c.transport.call(things.getThing, { id: 1 }, {}));
    expect(error).toMatchObject({ code: 'Nope', status });
    expect(things1.requests).toBe(1);
    expect(counters(c).retries).toBe(0);
  });

  it('does not retry a POST without an idempotency key', async () => {
    const things1 = await server();
    things1.setDefault({ status: 503 });
    const c = client([things1.origin], { policy: FAST });
    expect((await rejectionOf(c.transport.call(things.createThing, { name: 'a' }, {}))).code).toBe('Unavailable');
    expect(things1.requests).toBe(1);
  });

  it('retries a POST that carries an idempotency key, sending the key with every attempt', async () => {
    const things1 = await server();
    things1.script({ status: 503 }, 'reset');
    const c = client([things1.origin], { policy: FAST });
    expect(await c.transport.call(things.createThing, { name: 'a' }, { idempotencyKey: 'order-42' })).toEqual({ ok: true, n: 3 });
    expect(things1.seen.map((r) => r.headers['idempotency-key'])).toEqual(['order-42', 'order-42', 'order-42']);
  });

  it('retries a POST the spec declares idempotent without a key', async () => {
    const things1 = await server();
    things1.script({ status: 503 });
    const c = client([things1.origin], { policy: FAST });
    expect(await c.transport.call(things.putThing, { name: 'a' }, {})).toEqual({ ok: true, n: 2 });
  });

  it('applies an endpoint policy of its own: no retry for that endpoint, retries for the others', async () => {
    const things1 = await server();
    things1.setDefault({ status: 503 });
    const c = client([things1.origin], { policy: FAST, endpointPolicies: { getThing: { timeoutMs: 5_000 } } });
    await rejectionOf(c.transport.call(things.getThing, { id: 1 }, {}));
    expect(things1.requests).toBe(1);
    await rejectionOf(c.transport.call(things.putThing, { name: 'a' }, {}));
    expect(things1.requests).toBe(1 + 3);
  });

  it('a retry budget stops a storm: a dependency failing everything sees at most calls x (1 + ratio) requests', async () => {
    const things1 = await server();
    things1.setDefault({ status: 503 });
    const ratio = 0.1;
    const calls = 60;
    const c = client([things1.origin], {
      policy: { timeoutMs: 5_000, retry: { attempts: 3, initialMs: 0, maxMs: 0, jitter: 'none', budget: { ratio, minPerSecond: 0, windowMs: 60_000 } } },
    });
    for (let i = 0; i < calls; i++) await rejectionOf(c.transport.call(things.getThing, { id: i }, {}));
    expect(things1.requests).toBeLessThanOrEqual(calls * (1 + ratio));
    expect(things1.requests).toBeGreaterThanOrEqual(calls);
    expect(counters(c).retriesDenied.budget).toBeGreaterThan(0);
    expect(c.logs.some((l) => l.msg.includes('retry budget spent') && l.dependency === 'things')).toBe(true);
  });
});

describe('two instances of a dependency', () => {
  it('ejects the failing one: after the threshold every call succeeds on the healthy one', async () => {
    const bad = await server();
    const good = await server();
    bad.setDefault({ status: 503 });
    // No retries: each call's outcome shows where it went.
    const c = client([bad.origin, good.origin], { policy: { timeoutMs: 5_000 } });
    let failures = 0;
    for (let i = 0; i < 40 && !c.logs.some((l) => l.msg === 'instance ejected'); i++) {
      await c.transport.call(things.getThing, { id: i }, {}).catch(() => failures++);
    }
    // Outlier ejection's default: five failures in a row.
    expect(bad.requests).toBe(5);
    expect(failures).toBe(5);
    expect(c.logs.find((l) => l.msg === 'instance ejected')).toMatchObject({ dependency: 'things', instance: bad.origin, reason: 'consecutive-failures' });
    const goodBefore = good.requests;
    for (let i = 0; i < 20; i++) await c.transport.call(things.getThing, { id: i }, {});
    expect(bad.requests).toBe(5);
    expect(good.requests).toBe(goodBefore + 20);
    const instances = c.factory.dependencies().instances['things']!;
    expect(instances.find((i) => i.address === bad.origin)).toMatchObject({ ejected: true, ejections: 1 });
    expect(instances.find((i) => i.address === good.origin)).toMatchObject({ ejected: false });
  });

  it('with retries, a call whose attempt hits the failing instance goes to the other one', async () => {
    const bad = await server();
    const good = await server();
    bad.setDefault('reset');
    const c = client([bad.origin, good.origin], { policy: FAST });
    for (let i = 0; i < 10; i++) await c.transport.call(things.getThing, { id: i }, {});
    expect(good.requests).toBe(10);
    expect(bad.requests).toBeGreaterThan(0);
    expect(bad.requests).toBeLessThanOrEqual(5);
  });

  it('least-outstanding sends new calls to the idle instance while the other is slow', async () => {
    const slow = await server();
    const idle = await server();
    slow.setDefault('hang');
    const c = client([slow.origin, idle.origin], { policy: { timeoutMs: 10_000 }, balance: 'least-outstanding' });
    const hanging: Promise<unknown>[] = [];
    for (let i = 0; i < 20; i++) {
      const slowBefore = slow.requests;
      const call = c.transport.call(things.getThing, { id: i }, {});
      await until(() => slow.requests + idle.requests === i + 1, 'the call to arrive');
      // A call the slow instance took stays outstanding there; one the idle instance took is answered.
      if (slow.requests > slowBefore) hanging.push(call.catch(() => undefined));
      else await call;
    }
    expect(slow.requests).toBeLessThanOrEqual(1);
    expect(idle.requests).toBeGreaterThanOrEqual(19);
    slow.release();
    await Promise.all(hanging);
  });

  it('keeps a circuit breaker per instance: the failing one opens and is passed over, the other keeps serving', async () => {
    const bad = await server();
    const good = await server();
    bad.setDefault({ status: 503 });
    const breaker = { consecutiveFailures: 2, minimumCalls: 1, windowMs: 10_000, openForMs: 60_000, halfOpenCalls: 1 };
    const c = client([bad.origin, good.origin], { policy: { timeoutMs: 5_000, circuitBreaker: breaker } });
    for (let i = 0; i < 10 && !c.logs.some((l) => l.msg === 'circuit breaker open'); i++) {
      await c.transport.call(things.getThing, { id: i }, {}).catch(() => undefined);
    }
    expect(bad.requests).toBe(2);
    expect(c.logs.find((l) => l.msg === 'circuit breaker open')).toMatchObject({ dependency: 'things', instance: bad.origin, from: 'closed', to: 'open' });
    for (let i = 0; i < 10; i++) await c.transport.call(things.getThing, { id: i }, {});
    expect(bad.requests).toBe(2);
    expect(c.factory.dependencies().resilience['things']!.gauges).toMatchObject({ breakersOpen: 1 });
  });

  it('fails fast with CircuitOpen once the breaker of every instance is open, without a request', async () => {
    const only = await server();
    only.setDefault({ status: 503 });
    const breaker = { consecutiveFailures: 2, minimumCalls: 1, windowMs: 10_000, openForMs: 60_000, halfOpenCalls: 1 };
    const c = client([only.origin], { policy: { timeoutMs: 5_000, circuitBreaker: breaker } });
    await rejectionOf(c.transport.call(things.getThing, { id: 1 }, {}));
    await rejectionOf(c.transport.call(things.getThing, { id: 2 }, {}));
    const error = await rejectionOf(c.transport.call(things.getThing, { id: 3 }, {}));
    expect(error).toMatchObject({ code: 'Unavailable', status: 503 });
    expect(error.message).toContain('circuit open');
    expect(only.requests).toBe(2);
    expect(counters(c).rejected.circuitOpen).toBe(1);
    expect(c.logs.some((l) => l.msg === 'call rejected: circuit-open' && l.dependency === 'things')).toBe(true);
  });
});
