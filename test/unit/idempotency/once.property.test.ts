// For any interleaving of duplicate deliveries (in this process and in others), effect failures and
// retries, each key's effect succeeds exactly once and every delivery ends with that run's result.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMemoryIdempotencyStore, once, type IdempotencyStore } from '../../../runtime/idempotency/index.js';

/** A view of `store` whose every call yields to the scheduler first; one view per simulated process. */
function processView(store: IdempotencyStore, s: fc.Scheduler): IdempotencyStore {
  const step = () => s.schedule(Promise.resolve());
  return {
    claim: async (k, o) => (await step(), store.claim(k, o)),
    complete: async (k, t, r) => (await step(), store.complete(k, t, r)),
    release: async (k, t) => (await step(), store.release(k, t)),
    get: async (k) => (await step(), store.get(k)),
  };
}

describe('once (property)', () => {
  it('runs each key’s effect to success exactly once, whatever the interleaving of duplicates and failures', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.array(fc.nat({ max: 3 }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.record({ key: fc.nat({ max: 3 }), process: fc.nat({ max: 2 }) }), { minLength: 1, maxLength: 20 }),
        async (s, failuresPerKey, deliveries) => {
          const keys = failuresPerKey.length;
          const store = createMemoryIdempotencyStore();
          const views = [0, 1, 2].map(() => processView(store, s));
          // Polls advance a fake clock, so a key left held forever ends in IdempotencyKeyBusy, fast.
          let time = 0;
          const options = {
            now: () => time,
            sleep: async (ms: number) => void (await s.schedule(Promise.resolve()), (time += ms)),
            leaseMs: 1e12,
            maxWaitMs: 1e6,
          };
          const failuresLeft = [...failuresPerKey];
          const successes = Array<number>(keys).fill(0);
          const failures = Array<number>(keys).fill(0);

          const effect = (k: number) => async () => {
            await s.schedule(Promise.resolve());
            if (failuresLeft[k]! > 0) {
              failuresLeft[k]!--;
              failures[k]!++;
              throw new Error(`failure of key ${k}`);
            }
            return { key: k, success: ++successes[k]! };
          };
          // A delivery is retried until it succeeds, as a bus redelivers a failed event.
          const deliver = async ({ key, process }: { key: number; process: number }) => {
            const k = key % keys;
            for (;;) {
              try {
                return { k, value: await once(views[process]!, `key-${k}`, effect(k), options) };
              } catch (err) {
                if (!(err instanceof Error && err.message === `failure of key ${k}`)) throw err;
              }
            }
          };

          const outcomes = await s.waitFor(Promise.all(deliveries.map(deliver)));
          const delivered = new Set(outcomes.map((o) => o.k));
          for (let k = 0; k < keys; k++) {
            expect(successes[k], `successes of key ${k}`).toBe(delivered.has(k) ? 1 : 0);
            expect(failures[k], `failures of key ${k}`).toBeLessThanOrEqual(failuresPerKey[k]!);
          }
          for (const { k, value } of outcomes) expect(value).toEqual({ key: k, success: 1 });
        },
      ),
      { numRuns: 300 },
    );
  });
});
