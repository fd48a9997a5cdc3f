// The contract between `once` and whatever holds idempotency keys: memory now, the service's database
// later (the storage issue). Every method is written so that one SQL statement can implement it
// atomically, e.g. claim as `INSERT ... ON CONFLICT (key) DO UPDATE ... WHERE state = 'pending' AND
// lease_expires_at <= now() RETURNING token`; no method needs a read followed by a dependent write.

/**
 * What a claim found: the key is now the caller's, someone else holds it, or it completed earlier.
 *
 * @example
 * const claim = await store.claim(key, { leaseMs: 30_000 });
 * if (claim.status === 'done') return claim.result;
 */
export type ClaimResult =
  | { readonly status: 'claimed'; readonly token: string }
  | { readonly status: 'in-progress'; readonly leaseExpiresAt: number }
  | { readonly status: 'done'; readonly result: unknown };

/**
 * What a store holds for a key (times in ms since the epoch, by the store's clock).
 *
 * @example
 * const record = await store.get(key);
 * if (record?.state === 'done') console.log('completed at', new Date(record.completedAt));
 */
export type IdempotencyRecord =
  | { readonly state: 'pending'; readonly leaseExpiresAt: number }
  | { readonly state: 'done'; readonly result: unknown; readonly completedAt: number; readonly expiresAt: number };

/**
 * Options of {@link IdempotencyStore.claim}; `leaseMs` has no default, each caller chooses it.
 *
 * @example
 * await store.claim(key, { leaseMs: 30_000 });
 */
export interface ClaimOptions {
  /** How long the claim is exclusive; after it a crashed holder's key can be claimed again. */
  readonly leaseMs: number;
}

/**
 * Where idempotency keys live. Keys are opaque strings; callers namespace them
 * (`<service>:<handler>:<event id>`). Results are JSON values (or `undefined`, stored as "no result").
 *
 * Contract every implementation must keep, also under concurrent callers in several processes:
 * - `claim` is atomic: of any number of concurrent claims of a free key exactly one gets `claimed`.
 *   A key is free when it was never seen, was released, its lease expired (a crashed holder), or its
 *   done record outlived the retention. A live claim answers `in-progress`; a done record answers
 *   `done` with its result. Each successful claim gets a fresh token.
 * - `complete` records the result and makes the key `done` for the store's retention, only if
 *   `token` still owns the claim (it may have expired, as long as nobody claimed the key since);
 *   it answers whether it did. A done record is never changed afterwards, only removed at expiry.
 * - `release` frees the key only if `token` still owns it (a late release never frees someone else's claim).
 * - `get` reads without changing anything; expired records read as `undefined`.
 *
 * @example
 * const claim = await store.claim('orders:reserve:evt-1', { leaseMs: 30_000 });
 * if (claim.status === 'claimed') {
 *   await reserve();
 *   await store.complete('orders:reserve:evt-1', claim.token, { reserved: true });
 * }
 */
export interface IdempotencyStore {
  /** Takes the key for `leaseMs` if it is free; see the contract above. */
  claim(key: string, options: ClaimOptions): Promise<ClaimResult>;
  /** Marks the key done with `result` (a JSON value or undefined); false when `token` lost the claim. */
  complete(key: string, token: string, result: unknown): Promise<boolean>;
  /** Frees the key after a failed effect, so a retry can run it; a no-op when `token` lost the claim. */
  release(key: string, token: string): Promise<void>;
  /** The key's live record, if any. */
  get(key: string): Promise<IdempotencyRecord | undefined>;
}
