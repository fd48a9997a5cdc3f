import { describe, expect, it } from 'vitest';
import { RetryBudget } from '../../../runtime/resilience/index.js';
import { ManualClock } from '../../support/manual-clock.js';

describe('RetryBudget', () => {
  it('allows ratio x calls plus the reserve (minPerSecond x window), then refuses', () => {
    const clock = new ManualClock();
    const budget = new RetryBudget({ ratio: 0.2, minPerSecond: 1, windowMs: 10_000 }, clock);
    for (let i = 0; i < 50; i++) budget.recordCall();
    // 0.2 * 50 + 1/s * 10 s = 20
    let granted = 0;
    while (budget.tryRetry()) granted++;
    expect(granted).toBe(20);
    budget.recordCall();
    budget.recordCall();
    budget.recordCall();
    budget.recordCall();
    expect(budget.tryRetry()).toBe(false);
    budget.recordCall();
    expect(budget.tryRetry()).toBe(true);
  });

  it('lets a quiet client retry through the reserve alone', () => {
    const clock = new ManualClock();
    const budget = new RetryBudget({ ratio: 0.2, minPerSecond: 0.5, windowMs: 10_000 }, clock);
    budget.recordCall();
    expect(budget.tryRetry()).toBe(true);
  });

  it('refuses every retry with no ratio and no reserve', () => {
    const budget = new RetryBudget({ ratio: 0, minPerSecond: 0, windowMs: 1_000 }, new ManualClock());
    for (let i = 0; i < 100; i++) budget.recordCall();
    expect(budget.tryRetry()).toBe(false);
  });

  it('forgets calls and retries older than the window', async () => {
    const clock = new ManualClock();
    const budget = new RetryBudget({ ratio: 0.5, minPerSecond: 0, windowMs: 1_000 }, clock);
    for (let i = 0; i < 10; i++) budget.recordCall();
    for (let i = 0; i < 5; i++) expect(budget.tryRetry()).toBe(true);
    expect(budget.tryRetry()).toBe(false);
    await clock.advance(1_000);
    // Calls gone with the retries: nothing earned yet.
    expect(budget.available()).toBe(0);
    budget.recordCall();
    budget.recordCall();
    expect(budget.tryRetry()).toBe(true);
    expect(budget.tryRetry()).toBe(false);
  });

  it('grants a retry only while the window holds at most ratio x calls + reserve retries, whatever the pattern', () => {
    const clock = new ManualClock();
    const policy = { ratio: 0.1, minPerSecond: 2, windowMs: 5_000 };
    const reserve = (policy.minPerSecond * policy.windowMs) / 1000;
    const budget = new RetryBudget(policy, clock);
    // The budget counts in tenths of its window: the window at time t is the 10 buckets ending with t's.
    const bucketOf = (at: number) => Math.floor(at / (policy.windowMs / 10));
    const events: { bucket: number; retry: boolean }[] = [];
    let granted = 0;
    for (let step = 0; step < 2_000; step++) {
      budget.recordCall();
      events.push({ bucket: bucketOf(clock.now()), retry: false });
      while (budget.tryRetry()) {
        granted++;
        events.push({ bucket: bucketOf(clock.now()), retry: true });
        // Checked when a retry is granted: later, calls leave the window before the retries they paid for.
        const now = bucketOf(clock.now());
        const inside = events.filter((e) => e.bucket > now - 10);
        const calls = inside.filter((e) => !e.retry).length;
        expect(inside.length - calls).toBeLessThanOrEqual(policy.ratio * calls + reserve + 1e-9);
      }
      clock.skip(step % 7 === 0 ? 150 : 10);
    }
    expect(granted).toBeGreaterThan(0);
  });
});
