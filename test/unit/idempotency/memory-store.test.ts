import { describe, expect, it } from 'vitest';
import { createMemoryIdempotencyStore, IdempotencyStoreFull } from '../../../runtime/idempotency/index.js';

function clock(start = 1_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

describe('createMemoryIdempotencyStore', () => {
  it('lets exactly one of many concurrent claims of a key through', async () => {
    const store = createMemoryIdempotencyStore();
    const claims = await Promise.all(Array.from({ length: 50 }, () => store.claim('k', { leaseMs: 1_000 })));
    expect(claims.filter((c) => c.status === 'claimed')).toHaveLength(1);
    expect(claims.filter((c) => c.status === 'in-progress')).toHaveLength(49);
  });

  it('answers done with a JSON copy of the result, which a caller cannot change', async () => {
    const store = createMemoryIdempotencyStore();
    const claim = await store.claim('k', { leaseMs: 1_000 });
    if (claim.status !== 'claimed') throw new Error('expected a claim');
    const result = { at: new Date(0), n: 1 };
    expect(await store.complete('k', claim.token, result)).toBe(true);
    result.n = 2;
    const again = await store.claim('k', { leaseMs: 1_000 });
    expect(again).toEqual({ status: 'done', result: { at: '1970-01-01T00:00:00.000Z', n: 1 } });
    if (again.status === 'done') (again.result as { n: number }).n = 3;
    expect(await store.get('k')).toMatchObject({ state: 'done', result: { n: 1 } });
  });

  it('frees a released key, and ignores a release or complete by a token that lost its claim', async () => {
    const c = clock();
    const store = createMemoryIdempotencyStore({ now: c.now });
    const first = await store.claim('k', { leaseMs: 100 });
    if (first.status !== 'claimed') throw new Error('expected a claim');
    c.advance(100);
    const second = await store.claim('k', { leaseMs: 100 });
    if (second.status !== 'claimed') throw new Error('expected the expired lease to be claimable');
    await store.release('k', first.token);
    expect(await store.get('k')).toEqual({ state: 'pending', leaseExpiresAt: c.now() + 100 });
    expect(await store.complete('k', first.token, 'late')).toBe(false);
    await store.release('k', second.token);
    expect(await store.get('k')).toBeUndefined();
  });

  it('completes a claim whose lease expired when nobody claimed the key since (the effect did happen)', async () => {
    const c = clock();
    const store = createMemoryIdempotencyStore({ now: c.now });
    const claim = await store.claim('k', { leaseMs: 100 });
    if (claim.status !== 'claimed') throw new Error('expected a claim');
    c.advance(500);
    expect(await store.complete('k', claim.token, 7)).toBe(true);
    expect(await store.claim('k', { leaseMs: 100 })).toEqual({ status: 'done', result: 7 });
  });

  it('forgets a done key after retentionMs, so it can run again', async () => {
    const c = clock();
    const store = createMemoryIdempotencyStore({ now: c.now, retentionMs: 1_000 });
    const claim = await store.claim('k', { leaseMs: 100 });
    if (claim.status !== 'claimed') throw new Error('expected a claim');
    await store.complete('k', claim.token, 'r');
    c.advance(999);
    expect(await store.get('k')).toMatchObject({ state: 'done', result: 'r', expiresAt: 1_000 + 1_000 });
    c.advance(1);
    expect(await store.get('k')).toBeUndefined();
    expect((await store.claim('k', { leaseMs: 100 })).status).toBe('claimed');
  });

  it('stays within maxEntries: expired entries go first, then the oldest done one; live claims never', async () => {
    const c = clock();
    const store = createMemoryIdempotencyStore({ now: c.now, maxEntries: 3, retentionMs: 1_000 });
    const done = async (key: string) => {
      const claim = await store.claim(key, { leaseMs: 100 });
      if (claim.status !== 'claimed') throw new Error('expected a claim');
      await store.complete(key, claim.token, key);
    };
    await done('a');
    c.advance(10);
    await done('b');
    await store.claim('live', { leaseMs: 10_000 });
    // Full, nothing expired: the oldest done key ('a') makes room.
    await store.claim('c', { leaseMs: 10_000 });
    expect(store.size).toBe(3);
    expect(await store.get('a')).toBeUndefined();
    expect(await store.get('b')).toMatchObject({ state: 'done' });
    // 'b' expires; the sweep removes it rather than anything live.
    c.advance(1_000);
    await store.claim('d', { leaseMs: 10_000 });
    expect(store.size).toBe(3);
    expect(await store.get('b')).toBeUndefined();
    // Only live claims left: no room, and no claim is dropped to make some.
    await expect(store.claim('e', { leaseMs: 10_000 })).rejects.toBeInstanceOf(IdempotencyStoreFull);
    for (const key of ['live', 'c', 'd']) expect(await store.get(key), key).toMatchObject({ state: 'pending' });
  });

  it('holds at most maxEntries over many keys', async () => {
    const c = clock();
    const store = createMemoryIdempotencyStore({ now: c.now, maxEntries: 100, retentionMs: 50 });
    let largest = 0;
    for (let i = 0; i < 10_000; i++) {
      const claim = await store.claim(`k${i}`, { leaseMs: 10 });
      if (claim.status === 'claimed' && i % 2 === 0) await store.complete(`k${i}`, claim.token, i);
      c.advance(1);
      largest = Math.max(largest, store.size);
    }
    expect(largest).toBe(100);
  });

  it('refuses a nonsensical configuration', () => {
    expect(() => createMemoryIdempotencyStore({ retentionMs: 0 })).toThrow(/retentionMs/);
    expect(() => createMemoryIdempotencyStore({ maxEntries: 0 })).toThrow(/maxEntries/);
  });
});
