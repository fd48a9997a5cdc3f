import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffCeiling, backoffWait } from '../../../runtime/resilience/index.js';

describe('backoff', () => {
  it('doubles from initialMs and stops at maxMs', () => {
    const policy = { initialMs: 50, maxMs: 1_000, jitter: 'none' } as const;
    expect([1, 2, 3, 4, 5, 6, 7].map((retry) => backoffWait(policy, retry))).toEqual([50, 100, 200, 400, 800, 1_000, 1_000]);
  });

  it('draws full jitter between 0 and the ceiling from the random source', () => {
    const policy = { initialMs: 100, maxMs: 10_000, jitter: 'full' } as const;
    expect(backoffWait(policy, 3, () => 0)).toBe(0);
    expect(backoffWait(policy, 3, () => 0.5)).toBe(200);
    expect(backoffWait(policy, 3, () => 1)).toBe(400);
  });

  it('keeps every wait within [0, min(maxMs, initialMs * 2^(retry-1))] for any retry and random draw', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 1, max: 5_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.constantFrom('full' as const, 'none' as const),
        (initialMs, extra, retry, draw, jitter) => {
          const policy = { initialMs, maxMs: initialMs + extra, jitter };
          const wait = backoffWait(policy, retry, () => draw);
          // 0 * 2^5000 is NaN in floating point; the policy means 0.
          const ceiling = initialMs === 0 ? 0 : Math.min(policy.maxMs, initialMs * 2 ** (retry - 1));
          expect(Number.isFinite(wait)).toBe(true);
          expect(wait).toBeGreaterThanOrEqual(0);
          expect(wait).toBeLessThanOrEqual(policy.maxMs);
          expect(wait).toBeLessThanOrEqual(ceiling);
          expect(backoffCeiling(policy, retry)).toBe(ceiling);
          if (jitter === 'none') expect(wait).toBe(ceiling);
        },
      ),
    );
  });

  it('stays finite at 0 ms initial for a huge retry number', () => {
    expect(backoffWait({ initialMs: 0, maxMs: 100, jitter: 'none' }, 100_000)).toBe(0);
  });
});
