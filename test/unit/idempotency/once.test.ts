import { describe, expect, it } from 'vitest';
import {
  createMemoryIdempotencyStore,
  IdempotencyKeyBusy,
  IdempotencyLeaseLost,
  once,
  type IdempotencyStore,
} from '../../../runtime/idempotency/index.js';

function clock(start = 1_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

/** A promise the test settles, to hold an effect in progress. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/** Another process's view of the same keys: a separate object, so `once` cannot see its local attempts. */
const otherProcess = (store: IdempotencyStore): IdempotencyStore => ({
  claim: (k, o) => store.claim(k, o),
  complete: (k, t, r) => store.complete(k, t, r),
  release: (k, t) => store.release(k, t),
  get: (k) => store.get(k),
});

describe('once', () => {
  it('runs each key once under 100 concurrent duplicate calls over 10 keys, and every call gets the result', async () => {
    const store = createMemoryIdempotencyStore();
    const runs = new Map<string, number>();
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => {
        const key = `k${i % 10}`;
        return once(store, key, async () => {
          runs.set(key, (runs.get(key) ?? 0) + 1);
          await Promise.resolve();
          return { key, run: runs.get(key) };
        });
      }),
    );
    expect([...runs.values()]).toEqual(Array(10).fill(1));
    results.forEach((r, i) => expect(r).toEqual({ key: `k${i % 10}`, run: 1 }));
    // Each caller gets its own copy: one changing its result cannot change another's.
    expect(results[0]).not.toBe(results[10]);
  });

  it('returns the stored result of a completed key without running the effect (a redelivery after a lost ack)', async () => {
    const store = createMemoryIdempotencyStore();
    let runs = 0;
    const effect = async () => ({ charged: ++runs, at: new Date(0) });
    const first = await once(store, 'evt-1', effect);
    const redelivered = await once(otherProcess(store), 'evt-1', effect);
    expect(runs).toBe(1);
    // The first caller gets the same JSON copy a redelivery gets.
    expect(first).toEqual({ charged: 1, at: '1970-01-01T00:00:00.000Z' });
    expect(redelivered).toEqual(first);
    expect(await once(store, 'evt-2', async () => undefined)).toBeUndefined();
    expect(await once(store, 'evt-2', async () => 'never')).toBeUndefined();
  });

  it('releases the key when the effect fails, so a retry runs it, and concurrent waiters run it too', async () => {
    const store = createMemoryIdempotencyStore();
    let runs = 0;
    const g = gate();
    const failing = once(store, 'k', async () => {
      runs++;
      await g.opened;
      throw new Error('boom');
    });
    const waiting = once(store, 'k', async () => ++runs);
    g.open();
    await expect(failing).rejects.toThrow('boom');
    expect(await waiting).toBe(2);
    expect(await once(store, 'k', async () => ++runs)).toBe(2);
    expect(runs).toBe(2);
  });

  it('waits for a key another process holds until it completes, polling with backoff', async () => {
    const c = clock();
    const store = createMemoryIdempotencyStore({ now: c.now });
    const holder = await store.claim('k', { leaseMs: 30_000 });
    if (holder.status !== 'claimed') throw new Error('expected a claim');
    const waits: number[] = [];
    const sleep = async (ms: number) => {
      waits.push(ms);
      c.advance(ms);
      if (waits.length === 4) await store.complete('k', holder.token, 'theirs');
    };
    let runs = 0;
    expect(await once(otherProcess(store), 'k', async () => ++runs, { now: c.now, sleep, pollMs: 10, maxPollMs: 40 })).toBe('theirs');
    expect(runs).toBe(0);
    expect(waits).toEqual([10, 20, 40, 40]);
  });

  it('gives up on a key held elsewhere after maxWaitMs with IdempotencyKeyBusy', async () => {
    const c = clock();
    const store = createMemoryIdempotencyStore({ now: c.now });
    await store.claim('k', { leaseMs: 30_000 });
    const sleep = async (ms: number) => c.advance(ms);
    const call = once(otherProcess(store), 'k', async () => 'mine', { now: c.now, sleep, maxWaitMs: 1_000 });
    await expect(call).rejects.toBeInstanceOf(IdempotencyKeyBusy);
    await expect(call).rejects.toMatchObject({ key: 'k', leaseExpiresAt: 1_000 + 30_000 });
  });

  it('runs the effect again once a crashed holder’s lease expired', async () => {
    const c = clock();
    const store = createMemoryIdempotencyStore({ now: c.now });
    // The crashed worker claimed and never completed nor released.
    await store.claim('k', { leaseMs: 5_000 });
    const sleep = async (ms: number) => c.advance(ms);
    let runs = 0;
    expect(await once(otherProcess(store), 'k', async () => ++runs, { now: c.now, sleep, leaseMs: 5_000 })).toBe(1);
    expect(runs).toBe(1);
    expect(c.now()).toBeGreaterThanOrEqual(1_000 + 5_000);
  });

  it('reports an effect that outlived its lease while another worker took the key', async () => {
    const c = clock();
    const store = createMemoryIdempotencyStore({ now: c.now });
    const slow = once(store, 'k', async () => {
      c.advance(200);
      await once(otherProcess(store), 'k', async () => 'other', { now: c.now, leaseMs: 100 });
      return 'slow';
    }, { now: c.now, leaseMs: 100 });
    await expect(slow).rejects.toBeInstanceOf(IdempotencyLeaseLost);
    expect(await store.get('k')).toMatchObject({ state: 'done', result: 'other' });
  });

  it('records an effect whose result is not JSON, so it does not run again, and says why', async () => {
    const store = createMemoryIdempotencyStore();
    let runs = 0;
    const effect = async () => {
      runs++;
      return { n: 1n };
    };
    await expect(once(store, 'k', effect)).rejects.toThrow(/not JSON/);
    expect(await once(store, 'k', effect)).toBeUndefined();
    expect(runs).toBe(1);
  });

  it('rethrows the effect’s error when the release fails too; the lease frees the key later', async () => {
    const c = clock();
    const store = createMemoryIdempotencyStore({ now: c.now });
    const broken: IdempotencyStore = { ...otherProcess(store), release: async () => Promise.reject(new Error('db down')) };
    await expect(once(broken, 'k', async () => Promise.reject(new Error('effect failed')), { leaseMs: 1_000 })).rejects.toThrow('effect failed');
    expect(await store.get('k')).toMatchObject({ state: 'pending' });
    c.advance(1_000);
    expect(await once(store, 'k', async () => 'retried')).toBe('retried');
  });
});
