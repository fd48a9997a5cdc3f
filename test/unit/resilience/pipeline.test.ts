import { describe, expect, it } from 'vitest';
import { BadRequest, InternalError, MeshError, Timeout, TooManyRequests, Unavailable } from '../../../runtime/errors/index.js';
import {
  AttemptTimedOut,
  backoffCeiling,
  BulkheadFull,
  CircuitOpen,
  createPipeline,
  DeadlineExceeded,
  DEFAULT_POLICY,
  withRetryAfter,
  type ResilienceEvent,
  type ResiliencePolicy,
  type RetryPolicy,
} from '../../../runtime/resilience/index.js';
import { ManualClock } from '../../support/manual-clock.js';
import { DEAF, draws, HANG, scripted } from './support.js';

const retry: RetryPolicy = { attempts: 3, initialMs: 100, maxMs: 1_000, jitter: 'full', budget: { ratio: 1, minPerSecond: 100, windowMs: 10_000 } };

function setup(policy: ResiliencePolicy, random: () => number = draws(0.5)) {
  const clock = new ManualClock();
  const events: ResilienceEvent[] = [];
  const pipeline = createPipeline(policy, { dependency: 'users', clock, random, observer: (e) => events.push(e) });
  return { clock, events, pipeline };
}

describe('pipeline: retry', () => {
  it('makes `attempts` attempts at most, and stops at the first success', async () => {
    const { clock, pipeline } = setup({ timeoutMs: 10_000, retry });
    const down = scripted(clock, () => new Unavailable('users is unavailable: connection refused'));
    const failed = await clock.settle(pipeline.run(down.attempt, { idempotent: true }));
    expect(failed.error).toBeInstanceOf(Unavailable);
    expect(down.records.map((r) => r.attempt)).toEqual([1, 2, 3]);

    const flaky = scripted(clock, (n) => (n < 2 ? new MeshError('Unavailable', 'restarting', 503) : 'ok'));
    expect(await clock.settle(pipeline.run(flaky.attempt, { idempotent: true }))).toEqual({ value: 'ok' });
    expect(flaky.records).toHaveLength(2);
  });

  it('waits the reported backoff between attempts, within [0, min(maxMs, initialMs * 2^(n-1))]', async () => {
    const { clock, events, pipeline } = setup({ timeoutMs: 60_000, retry: { ...retry, attempts: 6, initialMs: 100, maxMs: 700 } }, draws(0.5, 0.25, 0.75, 0.125, 0.875));
    const down = scripted(clock, () => new Unavailable('refused'));
    await clock.settle(pipeline.run(down.attempt, { idempotent: true }));
    const retries = events.filter((e) => e.type === 'retry');
    expect(retries).toHaveLength(5);
    retries.forEach((event, i) => {
      const ceiling = backoffCeiling({ initialMs: 100, maxMs: 700, jitter: 'full' }, i + 1);
      expect(event.waitMs).toBeGreaterThanOrEqual(0);
      expect(event.waitMs).toBeLessThanOrEqual(ceiling);
      // Measured on the clock: the next attempt started exactly the reported wait later.
      expect(down.records[i + 1]!.at - down.records[i]!.at).toBe(event.waitMs);
    });
    expect(retries.map((e) => e.waitMs)).toEqual([50, 50, 300, 87.5, 612.5]);
    expect(retries[0]).toMatchObject({ type: 'retry', dependency: 'users', attempt: 1, reason: 'unavailable' });
  });

  it.each([
    ['a 400', new BadRequest('no')],
    ['a declared 409', new MeshError('OutOfStock', 'none left', 409)],
    ['a 500', new InternalError()],
  ])('does not retry %s', async (_name, error) => {
    const { clock, pipeline } = setup({ timeoutMs: 10_000, retry });
    const dependency = scripted(clock, () => error);
    const outcome = await clock.settle(pipeline.run(dependency.attempt, { idempotent: true }));
    expect(outcome.error).toBe(error);
    expect(dependency.records).toHaveLength(1);
  });

  it('does not retry a non-idempotent call without an idempotency key, and does with one', async () => {
    const { clock, pipeline } = setup({ timeoutMs: 10_000, retry });
    const without = scripted(clock, () => new Unavailable('reset'));
    await clock.settle(pipeline.run(without.attempt, { idempotent: false }));
    expect(without.records).toHaveLength(1);
    const emptyKey = scripted(clock, () => new Unavailable('reset'));
    await clock.settle(pipeline.run(emptyKey.attempt, { idempotent: false, idempotencyKey: '' }));
    expect(emptyKey.records).toHaveLength(1);
    const withKey = scripted(clock, () => new Unavailable('reset'));
    await clock.settle(pipeline.run(withKey.attempt, { idempotent: false, idempotencyKey: 'charge-42' }));
    expect(withKey.records).toHaveLength(3);
  });

  it('honours Retry-After over a shorter backoff', async () => {
    const { clock, events, pipeline } = setup({ timeoutMs: 10_000, retry });
    const limited = scripted(clock, (n) => (n === 1 ? withRetryAfter(new TooManyRequests('slow down'), 2_000) : 'ok'));
    expect(await clock.settle(pipeline.run(limited.attempt, { idempotent: true }))).toEqual({ value: 'ok' });
    expect(limited.records[1]!.at - limited.records[0]!.at).toBe(2_000);
    expect(events.find((e) => e.type === 'retry')).toMatchObject({ reason: 'rateLimited', waitMs: 2_000 });
  });

  it('does not retry when the wait would end past the deadline, and says so', async () => {
    const { clock, events, pipeline } = setup({ timeoutMs: 1_000, retry });
    const limited = scripted(clock, () => withRetryAfter(new MeshError('Unavailable', 'maintenance', 503), 5_000));
    const outcome = await clock.settle(pipeline.run(limited.attempt, { idempotent: true }));
    expect(outcome.error).toBeInstanceOf(MeshError);
    expect(limited.records).toHaveLength(1);
    expect(events).toContainEqual({ type: 'retry-denied', dependency: 'users', attempt: 1, reason: 'unavailable', by: 'deadline' });
  });

  it('stops a storm: a dependency failing 100% sees at most ratio x calls + minPerSecond x window extra calls', async () => {
    // 100 calls, 3 attempts each: 200 retries without a budget. With ratio 0.2 and 1/s over 10 s the
    // budget allows 0.2 * 100 + 10 = 30 retries, so the dependency sees at most 130 attempts.
    const budget = { ratio: 0.2, minPerSecond: 1, windowMs: 10_000 };
    const { clock, pipeline, events } = setup({ timeoutMs: 5_000, retry: { ...retry, budget } }, Math.random);
    const down = scripted(clock, () => new Unavailable('refused'));
    const calls = Array.from({ length: 100 }, () => clock.settle(pipeline.run(down.attempt, { idempotent: true })));
    const outcomes = await Promise.all(calls);
    expect(outcomes.every((o) => o.error instanceof Unavailable)).toBe(true);
    const extra = down.records.length - 100;
    expect(extra).toBeLessThanOrEqual(0.2 * 100 + (1 * 10_000) / 1000);
    expect(extra).toBeGreaterThan(0);
    // Every call ended either with its attempts spent or with a retry the budget refused.
    const spent = down.records.filter((r) => r.attempt === 3).length;
    expect(events.filter((e) => e.type === 'retry-denied' && e.by === 'budget')).toHaveLength(100 - spent);
    expect(pipeline.stats.snapshot().users!.counters).toMatchObject({ retries: extra, retriesDenied: { budget: 100 - spent } });
  });
});

describe('pipeline: deadlines', () => {
  it('does not start a call whose deadline has passed', async () => {
    const { clock, events, pipeline } = setup(DEFAULT_POLICY);
    const dependency = scripted(clock, () => 'ok');
    const outcome = await clock.settle(pipeline.run(dependency.attempt, { idempotent: true, deadline: clock.now() - 1 }));
    expect(outcome.error).toBeInstanceOf(DeadlineExceeded);
    expect((outcome.error as DeadlineExceeded).beforeStart).toBe(true);
    expect(dependency.records).toHaveLength(0);
    expect(events).toContainEqual({ type: 'rejected', dependency: 'users', reason: 'deadline-passed' });
  });

  it("cuts an attempt at the whole call's deadline and does not retry it", async () => {
    const { clock, pipeline } = setup({ timeoutMs: 10_000, retry });
    const start = clock.now();
    const hanging = scripted(clock, () => HANG);
    const outcome = await clock.settle(pipeline.run(hanging.attempt, { idempotent: true, deadline: start + 300 }));
    expect(outcome.error).toBeInstanceOf(DeadlineExceeded);
    expect(outcome.error).toBeInstanceOf(Timeout);
    expect(clock.now()).toBe(start + 300);
    expect(hanging.records).toHaveLength(1);
    expect(hanging.records[0]!.deadline).toBe(start + 300);
  });

  it('ends the call at the deadline even when the attempt ignores its signal', async () => {
    const { clock, pipeline } = setup({ timeoutMs: 500 });
    const start = clock.now();
    const deaf = scripted(clock, () => DEAF);
    const outcome = await clock.settle(pipeline.run(deaf.attempt, { idempotent: true }));
    expect(outcome.error).toBeInstanceOf(DeadlineExceeded);
    expect(clock.now()).toBe(start + 500);
  });

  it("retries an attempt that ran out of its own timeout, but never past the whole call's deadline", async () => {
    const { clock, events, pipeline } = setup({ timeoutMs: 1_000, attemptTimeoutMs: 300, retry: { ...retry, attempts: 10, initialMs: 0, maxMs: 0 } });
    const start = clock.now();
    const hanging = scripted(clock, () => HANG);
    const outcome = await clock.settle(pipeline.run(hanging.attempt, { idempotent: true }));
    // Attempts at 0, 300, 600 time out on their own (retried); the one at 900 is cut by the call's deadline at 1000.
    expect(hanging.records.map((r) => r.at - start)).toEqual([0, 300, 600, 900]);
    expect(hanging.records.map((r) => r.deadline - start)).toEqual([300, 600, 900, 1_000]);
    expect(events.filter((e) => e.type === 'retry').map((e) => (e as { reason: string }).reason)).toEqual(['timeout', 'timeout', 'timeout']);
    expect(outcome.error).toBeInstanceOf(DeadlineExceeded);
    expect(clock.now()).toBe(start + 1_000);
  });

  it('fails with AttemptTimedOut when the attempts run out first', async () => {
    const { clock, pipeline } = setup({ timeoutMs: 10_000, attemptTimeoutMs: 100, retry: { ...retry, attempts: 2 } });
    const hanging = scripted(clock, () => HANG);
    const outcome = await clock.settle(pipeline.run(hanging.attempt, { idempotent: true }));
    expect(outcome.error).toBeInstanceOf(AttemptTimedOut);
    expect(hanging.records).toHaveLength(2);
  });

  it("retries a callee's 504 (its attempt ran out) while the call has time", async () => {
    const { clock, pipeline } = setup({ timeoutMs: 10_000, retry });
    const slow = scripted(clock, (n) => (n === 1 ? new Timeout('users.get did not answer before the deadline') : 'ok'));
    expect(await clock.settle(pipeline.run(slow.attempt, { idempotent: true }))).toEqual({ value: 'ok' });
  });

  it('starts nothing for a caller that already gave up', async () => {
    const { clock, pipeline } = setup({ timeoutMs: 10_000, retry });
    const dependency = scripted(clock, () => 'ok');
    const outcome = await clock.settle(pipeline.run(dependency.attempt, { idempotent: true, signal: AbortSignal.abort('gone') }));
    expect(outcome.error).toBe('gone');
    expect(dependency.records).toHaveLength(0);
  });

  it("passes the caller's cancellation through without a retry", async () => {
    const { clock, pipeline } = setup({ timeoutMs: 10_000, retry });
    const caller = new AbortController();
    const hanging = scripted(clock, () => HANG);
    const call = pipeline.run(hanging.attempt, { idempotent: true, signal: caller.signal });
    await clock.advance(50);
    caller.abort(new Unavailable('the caller left'));
    const outcome = await clock.settle(call);
    expect((outcome.error as Error).message).toBe('the caller left');
    expect(hanging.records).toHaveLength(1);
  });
});

describe('pipeline: circuit breaker', () => {
  const breaker = { consecutiveFailures: 3, minimumCalls: 10, windowMs: 10_000, openForMs: 5_000, halfOpenCalls: 1 };

  it('fails fast with CircuitOpen (an Unavailable) once the breaker is open, then probes after openForMs', async () => {
    const { clock, events, pipeline } = setup({ timeoutMs: 1_000, circuitBreaker: breaker });
    let healthy = false;
    const dependency = scripted(clock, () => (healthy ? 'ok' : new Unavailable('refused')));
    for (let i = 0; i < 3; i++) await clock.settle(pipeline.run(dependency.attempt, { idempotent: true }));
    const fast = await clock.settle(pipeline.run(dependency.attempt, { idempotent: true }));
    expect(fast.error).toBeInstanceOf(CircuitOpen);
    expect(fast.error).toBeInstanceOf(Unavailable);
    expect(dependency.records).toHaveLength(3);
    await clock.advance(5_000);
    healthy = true;
    expect(await clock.settle(pipeline.run(dependency.attempt, { idempotent: true }))).toEqual({ value: 'ok' });
    expect(events.filter((e) => e.type === 'breaker').map((e) => (e as { to: string }).to)).toEqual(['open', 'half-open', 'closed']);
    expect(pipeline.stats.snapshot().users!.counters).toMatchObject({ rejected: { circuitOpen: 1 }, breakerTransitions: { open: 1, halfOpen: 1, closed: 1 } });
  });

  it('does not count 4xx answers: a breaker never opens on bad requests', async () => {
    const { clock, pipeline } = setup({ timeoutMs: 1_000, circuitBreaker: breaker });
    const dependency = scripted(clock, () => new BadRequest('no'));
    for (let i = 0; i < 10; i++) await clock.settle(pipeline.run(dependency.attempt, { idempotent: true }));
    expect(dependency.records).toHaveLength(10);
    expect(pipeline.breakers!.states()).toEqual({ '': 'closed' });
  });

  it('keeps a breaker per instance: the failing one leaves the rotation, every call succeeds on the other', async () => {
    const { clock, events, pipeline } = setup({ timeoutMs: 5_000, retry, circuitBreaker: breaker });
    const instances = ['http://a:3001', 'http://b:3001'];
    let next = 0;
    // Round-robin over the instances whose breaker admits a call, as the balancer does.
    const pick = (isAvailable: (instance: string) => boolean) => {
      for (let i = 0; i < instances.length; i++) {
        const instance = instances[next++ % instances.length]!;
        if (isAvailable(instance)) return instance;
      }
      return undefined;
    };
    const dependency = scripted(clock, (_n, instance) => (instance === 'http://a:3001' ? new Unavailable('reset') : 'ok'));
    for (let i = 0; i < 20; i++) {
      expect(await clock.settle(pipeline.run(dependency.attempt, { idempotent: true, pick }))).toEqual({ value: 'ok' });
    }
    expect(dependency.records.filter((r) => r.instance === 'http://a:3001')).toHaveLength(3);
    expect(pipeline.isAvailable('http://a:3001')).toBe(false);
    expect(pipeline.isAvailable('http://b:3001')).toBe(true);
    expect(events.filter((e) => e.type === 'breaker')).toEqual([{ type: 'breaker', dependency: 'users', instance: 'http://a:3001', from: 'closed', to: 'open' }]);
    expect(events.find((e) => e.type === 'retry')).toMatchObject({ instance: 'http://a:3001', reason: 'unavailable' });
    expect(pipeline.stats.snapshot().users!.gauges).toMatchObject({ breakersOpen: 1, breakersHalfOpen: 0 });
  });

  it('fails fast when no instance admits a call', async () => {
    const { clock, pipeline } = setup({ timeoutMs: 5_000, retry, circuitBreaker: { ...breaker, consecutiveFailures: 1 } });
    const dependency = scripted(clock, () => new Unavailable('refused'));
    const pick = (isAvailable: (instance: string) => boolean) => ['x', 'y'].find(isAvailable);
    const outcome = await clock.settle(pipeline.run(dependency.attempt, { idempotent: true, pick }));
    // x fails and opens, the retry goes to y, which fails and opens; the third attempt finds none.
    expect(dependency.records.map((r) => r.instance)).toEqual(['x', 'y']);
    expect(outcome.error).toBeInstanceOf(CircuitOpen);
    const next = await clock.settle(pipeline.run(dependency.attempt, { idempotent: true, pick }));
    expect(next.error).toBeInstanceOf(CircuitOpen);
    expect(dependency.records).toHaveLength(2);
  });
});

describe('pipeline: bulkhead', () => {
  it('rejects the call over maxConcurrent + maxQueue at once, and runs the queued one when a slot frees', async () => {
    const { clock, events, pipeline } = setup({ timeoutMs: 10_000, bulkhead: { maxConcurrent: 2, maxQueue: 1 } });
    const release: (() => void)[] = [];
    const attempt = () => new Promise<string>((resolve) => release.push(() => resolve('done')));
    const calls = [0, 1, 2].map(() => pipeline.run(attempt, { idempotent: true }));
    await clock.advance(0);
    expect(release).toHaveLength(2);
    await expect(pipeline.run(attempt, { idempotent: true })).rejects.toBeInstanceOf(BulkheadFull);
    expect(events).toContainEqual({ type: 'rejected', dependency: 'users', reason: 'bulkhead-full' });
    expect(pipeline.stats.snapshot().users!.gauges).toMatchObject({ bulkheadActive: 2, bulkheadQueued: 1 });
    release[0]!();
    await clock.advance(0);
    expect(release).toHaveLength(3);
    release[1]!();
    release[2]!();
    expect(await Promise.all(calls)).toEqual(['done', 'done', 'done']);
    expect(pipeline.stats.snapshot().users!.gauges).toMatchObject({ bulkheadActive: 0, bulkheadQueued: 0 });
  });

  it('gives up a queued call at its deadline', async () => {
    const { clock, pipeline } = setup({ timeoutMs: 1_000, bulkhead: { maxConcurrent: 1, maxQueue: 1 } });
    const hanging = scripted(clock, () => HANG);
    const first = clock.settle(pipeline.run(hanging.attempt, { idempotent: true }));
    const queued = await clock.settle(pipeline.run(hanging.attempt, { idempotent: true, deadline: clock.now() + 200 }));
    expect(queued.error).toBeInstanceOf(DeadlineExceeded);
    expect(hanging.records).toHaveLength(1);
    await first;
  });
});

describe('pipeline: fallback and stats', () => {
  it('answers with the fallback for a failure the policy names, and reports it', async () => {
    const { clock, events, pipeline } = setup({ timeoutMs: 1_000, fallback: { on: ['unavailable', 'circuitOpen'] } });
    const down = scripted(clock, () => new Unavailable('refused'));
    const outcome = await clock.settle(pipeline.run(down.attempt, { idempotent: true, fallback: (_err, kind) => `cached (${kind})` }));
    expect(outcome).toEqual({ value: 'cached (unavailable)' });
    expect(events).toContainEqual({ type: 'fallback', dependency: 'users', reason: 'unavailable' });
    expect(pipeline.stats.snapshot().users!.counters.fallbacks).toBe(1);
  });

  it('answers the default failures when the policy names none, and names the endpoint in the event and counters', async () => {
    const { clock, events, pipeline } = setup({ timeoutMs: 1_000 });
    const down = scripted(clock, () => new Unavailable('refused'));
    const outcome = await clock.settle(pipeline.run(down.attempt, { idempotent: false, endpoint: 'getUser', fallback: (_err, kind) => `cached (${kind})` }));
    expect(outcome).toEqual({ value: 'cached (unavailable)' });
    expect(events).toContainEqual({ type: 'fallback', dependency: 'users', endpoint: 'getUser', reason: 'unavailable' });
    expect(pipeline.stats.snapshot().users!.counters).toMatchObject({ fallbacks: 1, fallbacksByReason: { unavailable: 1 }, fallbacksByEndpoint: { getUser: 1 } });
  });

  it('does not answer a 500 or a 4xx by default: a bug must reach the caller', async () => {
    const { clock, pipeline } = setup({ timeoutMs: 1_000 });
    let used = 0;
    const fallback = () => {
      used++;
      return 'cached';
    };
    const broken = await clock.settle(pipeline.run(scripted(clock, () => new InternalError('bug')).attempt, { idempotent: false, fallback }));
    expect(broken.error).toBeInstanceOf(InternalError);
    const bad = await clock.settle(pipeline.run(scripted(clock, () => new BadRequest('no')).attempt, { idempotent: false, fallback }));
    expect(bad.error).toBeInstanceOf(BadRequest);
    expect(used).toBe(0);
    expect(pipeline.stats.snapshot().users!.counters.fallbacks).toBe(0);
  });

  it('lets a failure the policy does not name through', async () => {
    const { clock, pipeline } = setup({ timeoutMs: 1_000, fallback: { on: ['unavailable'] } });
    const bad = scripted(clock, () => new BadRequest('no'));
    const outcome = await clock.settle(pipeline.run(bad.attempt, { idempotent: true, fallback: () => 'cached' }));
    expect(outcome.error).toBeInstanceOf(BadRequest);
  });

  it('counts calls, attempts, retries by reason and outcomes in one place', async () => {
    const { clock, pipeline } = setup({ timeoutMs: 10_000, retry });
    const flaky = scripted(clock, (n) => (n === 1 ? new Unavailable('reset') : n === 2 ? new Timeout('slow') : 'ok'));
    await clock.settle(pipeline.run(flaky.attempt, { idempotent: true }));
    await clock.settle(pipeline.run(scripted(clock, () => new BadRequest()).attempt, { idempotent: true }));
    expect(pipeline.stats.snapshot()).toEqual({
      users: {
        counters: {
          calls: 2,
          succeeded: 1,
          failed: 1,
          attempts: 4,
          retries: 2,
          retriesByReason: { unavailable: 1, timeout: 1 },
          retriesDenied: { budget: 0, deadline: 0 },
          rejected: { deadlinePassed: 0, bulkheadFull: 0, circuitOpen: 0 },
          breakerTransitions: { open: 0, halfOpen: 0, closed: 0 },
          fallbacks: 0,
          fallbacksByReason: {},
          fallbacksByEndpoint: {},
        },
        gauges: { bulkheadActive: 0, bulkheadQueued: 0, breakersOpen: 0, breakersHalfOpen: 0 },
      },
    });
  });

  it('refuses a policy that makes no sense', () => {
    expect(() => createPipeline({ timeoutMs: 100, attemptTimeoutMs: 200 }, { dependency: 'users' })).toThrow(
      'invalid resilience policy for users: attemptTimeoutMs (200) must not exceed timeoutMs (100)',
    );
  });

  it('leaves no timer behind', async () => {
    const { clock, pipeline } = setup({ timeoutMs: 10_000, attemptTimeoutMs: 1_000, retry });
    const flaky = scripted(clock, (n) => (n === 1 ? new Unavailable('reset') : 'ok'));
    await clock.settle(pipeline.run(flaky.attempt, { idempotent: true }));
    expect(clock.pending).toBe(0);
  });
});
