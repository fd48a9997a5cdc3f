import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Unavailable } from '../../../runtime/errors/index.js';
import { Bulkhead, BulkheadFull } from '../../../runtime/resilience/index.js';
import { flush } from '../../support/manual-clock.js';

/** Lets promise callbacks run without leaving the microtask queue (cheaper than a macrotask turn). */
async function ticks(): Promise<void> {
  for (let i = 0; i < 4; i++) await null;
}

describe('Bulkhead', () => {
  it('admits maxConcurrent, queues maxQueue, and rejects the next one at once with BulkheadFull (an Unavailable)', async () => {
    const bulkhead = new Bulkhead({ maxConcurrent: 2, maxQueue: 3 }, 'payments');
    const entered: number[] = [];
    const calls = [0, 1, 2, 3, 4].map((i) => bulkhead.enter().then(() => entered.push(i)));
    await flush();
    expect(entered).toEqual([0, 1]);
    expect(bulkhead.active).toBe(2);
    expect(bulkhead.queued).toBe(3);
    const over = bulkhead.enter();
    await expect(over).rejects.toBeInstanceOf(BulkheadFull);
    await expect(over).rejects.toBeInstanceOf(Unavailable);
    await expect(over).rejects.toMatchObject({ status: 503, details: { reason: 'bulkhead-full', dependency: 'payments' } });
    expect(bulkhead.tryEnter()).toBe(false);
    // Slots pass to the queue in order.
    bulkhead.release();
    await flush();
    expect(entered).toEqual([0, 1, 2]);
    bulkhead.release();
    bulkhead.release();
    await Promise.all(calls);
    expect(entered).toEqual([0, 1, 2, 3, 4]);
    expect(bulkhead.active).toBe(2);
    expect(bulkhead.queued).toBe(0);
    bulkhead.release();
    bulkhead.release();
    expect(bulkhead.active).toBe(0);
  });

  it('rejects at once with no queue', async () => {
    const bulkhead = new Bulkhead({ maxConcurrent: 1, maxQueue: 0 }, 'payments');
    expect(bulkhead.tryEnter()).toBe(true);
    await expect(bulkhead.enter()).rejects.toBeInstanceOf(BulkheadFull);
  });

  it('takes a queued call out when its signal aborts, with the reason, and frees its place', async () => {
    const bulkhead = new Bulkhead({ maxConcurrent: 1, maxQueue: 1 }, 'payments');
    bulkhead.tryEnter();
    const controller = new AbortController();
    const waiting = bulkhead.enter(controller.signal);
    controller.abort('deadline');
    await expect(waiting).rejects.toBe('deadline');
    expect(bulkhead.queued).toBe(0);
    const next = bulkhead.enter();
    bulkhead.release();
    await next;
    expect(bulkhead.active).toBe(1);
  });

  it('refuses an already aborted signal without taking a slot', async () => {
    const bulkhead = new Bulkhead({ maxConcurrent: 1, maxQueue: 1 }, 'payments');
    await expect(bulkhead.enter(AbortSignal.abort('gone'))).rejects.toBe('gone');
    expect(bulkhead.active).toBe(0);
  });

  it('never exceeds maxConcurrent nor maxQueue, and rejects only when both are full', async () => {
    type Step = { op: 'enter'; abortable: boolean } | { op: 'release' } | { op: 'abort'; pick: number };
    const step = fc.oneof(
      fc.record({ op: fc.constant('enter' as const), abortable: fc.boolean() }),
      fc.constant<Step>({ op: 'release' }),
      fc.record({ op: fc.constant('abort' as const), pick: fc.nat() }),
    );
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 4 }), fc.array(step, { minLength: 10, maxLength: 100, size: 'max' }), async (maxConcurrent, maxQueue, steps) => {
        const bulkhead = new Bulkhead({ maxConcurrent, maxQueue }, 'dep');
        let running = 0;
        const waiting: AbortController[] = [];
        for (const s of steps) {
          if (s.op === 'enter') {
            const full = bulkhead.active >= maxConcurrent && bulkhead.queued >= maxQueue;
            const controller = new AbortController();
            const entry = bulkhead.enter(s.abortable ? controller.signal : undefined);
            let rejected: unknown;
            entry.then(
              () => running++,
              (err: unknown) => (rejected = err),
            );
            if (s.abortable) waiting.push(controller);
            await ticks();
            assert.equal(rejected instanceof BulkheadFull, full, 'rejected exactly when slots and queue are full');
          } else if (s.op === 'release' && running > 0) {
            running--;
            bulkhead.release();
            await ticks();
          } else if (s.op === 'abort' && waiting.length > 0) {
            waiting.splice(s.pick % waiting.length, 1)[0]!.abort('gone');
            await ticks();
          }
          // node:assert rather than expect: thousands of checks per property run.
          assert.ok(running <= maxConcurrent, `${running} running over ${maxConcurrent}`);
          assert.equal(bulkhead.active, running);
          assert.ok(bulkhead.queued <= maxQueue, `${bulkhead.queued} queued over ${maxQueue}`);
        }
      }),
    );
  });
});
