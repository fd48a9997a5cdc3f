// The IdempotencyStore contract (runtime/idempotency/types.ts) as a suite any store can run: real,
// short leases and retention (50-300 ms), expiry awaited by polling with a bounded timeout, and two
// store objects over the same backend standing for two replicas.
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { ClaimResult, IdempotencyStore } from '../../../runtime/idempotency/index.js';

/**
 * How the suite gets stores: each call a store over the same backend as the others of this test.
 *
 * @example
 * const stores: ContractStores = { make: async ({ retentionMs }) => createMemoryIdempotencyStore({ retentionMs }) };
 */
export interface ContractStores {
  /** A store over the test's backend; a second call stands for another replica. */
  make(options: { retentionMs: number }): Promise<IdempotencyStore>;
}

/** A fresh key per test, so tests never share a record. */
export const freshKey = (): string => `orders:reserve:${randomUUID().slice(0, 8)}`;

/**
 * Polls until `check` holds; fails naming `what` after `timeoutMs`.
 *
 * @param what what is awaited, for the failure
 * @param check the condition
 * @param timeoutMs the bound; default 5000
 * @example
 * await until('the lease to expire', async () => (await store.get(key)) === undefined);
 */
export async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * The token of a claim that must have succeeded.
 *
 * @param claim what claim answered
 * @example
 * const token = tokenOf(await store.claim(key, { leaseMs: 1_000 }));
 */
export function tokenOf(claim: ClaimResult): string {
  if (claim.status !== 'claimed') throw new Error(`expected a claim, got ${JSON.stringify(claim)}`);
  return claim.token;
}

/**
 * Declares the contract's tests (call inside a `describe`).
 *
 * @param stores where the stores come from
 * @example
 * describe('memory store', () => idempotencyStoreContract({ make: async (o) => createMemoryIdempotencyStore(o) }));
 */
export function idempotencyStoreContract(stores: ContractStores): void {
  const two = async (retentionMs = 60_000) => [await stores.make({ retentionMs }), await stores.make({ retentionMs })] as const;

  it('lets exactly one of 50 concurrent claims from two replicas through, each later claim seeing its lease', async () => {
    const [a, b] = await two();
    const key = freshKey();
    const claims = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? a : b).claim(key, { leaseMs: 10_000 })));
    expect(claims.filter((c) => c.status === 'claimed')).toHaveLength(1);
    const busy = claims.filter((c) => c.status === 'in-progress');
    expect(busy).toHaveLength(49);
    for (const c of busy) if (c.status === 'in-progress') expect(c.leaseExpiresAt).toBeGreaterThan(Date.now() + 5_000);
    expect(await b.get(key)).toMatchObject({ state: 'pending' });
  });

  it('stores a JSON copy of the result, and a done record never changes', async () => {
    const [a, b] = await two();
    const key = freshKey();
    const token = tokenOf(await a.claim(key, { leaseMs: 1_000 }));
    const result = { at: new Date(0), n: 1, big: 2 ** 53 - 1, text: 'a:b', nested: { z: 1, a: [true, null] } };
    expect(await a.complete(key, token, result)).toBe(true);
    result.n = 2;
    const expected = { at: '1970-01-01T00:00:00.000Z', n: 1, big: 2 ** 53 - 1, text: 'a:b', nested: { z: 1, a: [true, null] } };
    expect(await b.claim(key, { leaseMs: 1_000 })).toEqual({ status: 'done', result: expected });
    const record = await b.get(key);
    if (record?.state !== 'done') throw new Error('expected a done record');
    expect(record.result).toEqual(expected);
    expect(record.expiresAt - record.completedAt).toBe(60_000);
    expect(Math.abs(record.completedAt - Date.now())).toBeLessThan(5_000);
    expect(await a.complete(key, token, 'again')).toBe(false);
    await a.release(key, token);
    expect(await b.get(key)).toEqual(record);
  });

  it('keeps "no result" apart from null', async () => {
    const [s] = await two();
    const [none, nil] = [freshKey(), freshKey()];
    expect(await s.complete(none, tokenOf(await s.claim(none, { leaseMs: 1_000 })), undefined)).toBe(true);
    expect(await s.complete(nil, tokenOf(await s.claim(nil, { leaseMs: 1_000 })), null)).toBe(true);
    expect(await s.claim(none, { leaseMs: 1_000 })).toEqual({ status: 'done', result: undefined });
    expect(await s.claim(nil, { leaseMs: 1_000 })).toEqual({ status: 'done', result: null });
  });

  it('frees a released key, and ignores a release or complete by a token whose lease expired and was claimed again', async () => {
    const [a, b] = await two();
    const key = freshKey();
    expect(await a.get(key)).toBeUndefined();
    const first = tokenOf(await a.claim(key, { leaseMs: 50 }));
    await until('the lease to expire', async () => (await b.get(key)) === undefined);
    const second = tokenOf(await b.claim(key, { leaseMs: 10_000 }));
    expect(second).not.toBe(first);
    await a.release(key, first);
    expect(await a.get(key)).toMatchObject({ state: 'pending' });
    expect(await a.complete(key, first, 'late')).toBe(false);
    expect((await a.claim(key, { leaseMs: 50 })).status).toBe('in-progress');
    await b.release(key, second);
    expect(await a.get(key)).toBeUndefined();
    const third = await a.claim(key, { leaseMs: 1_000 });
    expect(third.status).toBe('claimed');
    expect(tokenOf(third)).not.toBe(second);
  });

  it('completes a claim whose lease expired when nobody claimed the key since (the effect did happen)', async () => {
    const [a, b] = await two();
    const key = freshKey();
    const token = tokenOf(await a.claim(key, { leaseMs: 50 }));
    // Waited out without reading the key: the memory store drops an expired claim when it reads it.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await a.complete(key, token, 7)).toBe(true);
    expect(await b.claim(key, { leaseMs: 50 })).toEqual({ status: 'done', result: 7 });
  });

  it('forgets a done key after the retention, so it can run again', async () => {
    const [a, b] = await two(300);
    const key = freshKey();
    expect(await a.complete(key, tokenOf(await a.claim(key, { leaseMs: 10_000 })), 'r')).toBe(true);
    expect(await b.get(key)).toMatchObject({ state: 'done', result: 'r' });
    await until('the done record to expire', async () => (await b.get(key)) === undefined);
    expect((await b.claim(key, { leaseMs: 1_000 })).status).toBe('claimed');
  });
}
