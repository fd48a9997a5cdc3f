// Why `once` did not return. Both are worth a retry by whoever called it (a bus redelivers).

/**
 * Another worker held the key for longer than `once` was told to wait: the effect may still be
 * running elsewhere. Retrying later either returns its result or, if that worker crashed and its
 * lease expired, runs the effect.
 *
 * @example
 * try { await once(store, key, effect); } catch (err) { if (err instanceof IdempotencyKeyBusy) retryLater(); }
 */
export class IdempotencyKeyBusy extends Error {
  /**
   * @param key the idempotency key
   * @param leaseExpiresAt when the holder's claim expires (ms since the epoch)
   */
  constructor(
    readonly key: string,
    readonly leaseExpiresAt: number,
  ) {
    super(`idempotency key '${key}' is held by another worker until ${new Date(leaseExpiresAt).toISOString()}`);
    this.name = 'IdempotencyKeyBusy';
  }
}

/**
 * The effect finished after its lease expired and someone else claimed the key meanwhile, so the
 * effect may run twice: the lease is shorter than the effect takes. Its result was not recorded.
 *
 * @example
 * // raise the lease above the slowest effect
 * await once(store, key, effect, { leaseMs: 120_000 });
 */
export class IdempotencyLeaseLost extends Error {
  /** @param key the idempotency key */
  constructor(readonly key: string) {
    super(`idempotency key '${key}' was claimed by another worker before the effect finished: its lease is too short`);
    this.name = 'IdempotencyLeaseLost';
  }
}

/**
 * The memory store is full of live claims: no expired or completed entry can make room.
 *
 * @example
 * createMemoryIdempotencyStore({ maxEntries: 100_000 }); // more room for keys in flight
 */
export class IdempotencyStoreFull extends Error {
  /** @param maxEntries the store's capacity */
  constructor(readonly maxEntries: number) {
    super(`idempotency store is full: ${maxEntries} keys are claimed and in progress`);
    this.name = 'IdempotencyStoreFull';
  }
}
