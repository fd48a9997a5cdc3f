import { describe, expect, it } from 'vitest';
import { Unavailable } from '../../../runtime/errors/index.js';
import { DeadlineExceeded, retryLoop, RetryBudget, type ResilienceEvent, type RetryContext } from '../../../runtime/resilience/index.js';
import { ManualClock } from '../../support/manual-clock.js';

function context(clock: ManualClock, overrides: Partial<RetryContext> = {}): RetryContext & { events: ResilienceEvent[] } {
  const events: ResilienceEvent[] = [];
  return {
    policy: { attempts: 4, initialMs: 100, maxMs: 1_000, jitter: 'none', budget: { ratio: 1, minPerSecond: 0, windowMs: 1_000 } },
    budget: undefined,
    mayRetry: true,
    deadline: clock.now() + 60_000,
    signal: new AbortController().signal,
    clock,
    random: Math.random,
    dependency: 'users',
    observer: (e) => events.push(e),
    events,
    ...overrides,
  };
}

describe('retryLoop', () => {
  it('waits the backoff on the injected clock between attempts', async () => {
    const clock = new ManualClock();
    const starts: number[] = [];
    const ctx = context(clock);
    const outcome = await clock.settle(
      retryLoop(async (n) => {
        starts.push(clock.now());
        if (n < 4) throw new Unavailable('refused');
        return n;
      }, ctx),
    );
    expect(outcome).toEqual({ value: 4 });
    expect(starts.map((t) => t - starts[0]!)).toEqual([0, 100, 300, 700]);
    expect(ctx.events.map((e) => (e as { waitMs: number }).waitMs)).toEqual([100, 200, 400]);
  });

  it('makes a single attempt without a policy', async () => {
    const clock = new ManualClock();
    let attempts = 0;
    const outcome = await clock.settle(
      retryLoop(async () => {
        attempts++;
        throw new Unavailable('refused');
      }, context(clock, { policy: undefined })),
    );
    expect(outcome.error).toBeInstanceOf(Unavailable);
    expect(attempts).toBe(1);
  });

  it('consults the budget before each retry and reports the refusal', async () => {
    const clock = new ManualClock();
    const budget = new RetryBudget({ ratio: 0, minPerSecond: 1, windowMs: 1_000 }, clock);
    const ctx = context(clock, { budget });
    let attempts = 0;
    await clock.settle(
      retryLoop(async () => {
        attempts++;
        throw new Unavailable('refused');
      }, ctx),
    );
    // A reserve of one retry over the window: attempt 1, one retry, then refused.
    expect(attempts).toBe(2);
    expect(ctx.events.map((e) => e.type)).toEqual(['retry', 'retry-denied']);
  });

  it("stops waiting when the call's signal aborts, with its reason", async () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    const ctx = context(clock, { signal: controller.signal, policy: { attempts: 3, initialMs: 5_000, maxMs: 5_000, jitter: 'none', budget: { ratio: 1, minPerSecond: 0, windowMs: 1_000 } } });
    const loop = retryLoop(async () => {
      throw new Unavailable('refused');
    }, ctx);
    await clock.advance(1_000);
    const reason = new DeadlineExceeded('users: deadline exceeded');
    controller.abort(reason);
    await expect(loop).rejects.toBe(reason);
  });
});
