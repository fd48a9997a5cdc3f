// An IdempotencyStore in a Map, for tests and single-process services. Bounded in time (done keys
// expire after `retentionMs`, claims after their lease) and in size (`maxEntries`): when full, expired
// entries go first, then the oldest done ones, so dedupe holds for the most recent keys. Results are
// kept as JSON copies, as a database would keep them, so a caller cannot change a stored result.
import { randomUUID } from 'node:crypto';
import { IdempotencyStoreFull } from './errors.js';
import type { ClaimOptions, ClaimResult, IdempotencyRecord, IdempotencyStore } from './types.js';

/**
 * Options of {@link createMemoryIdempotencyStore}.
 *
 * @example
 * const options: MemoryIdempotencyStoreOptions = { retentionMs: 3_600_000, maxEntries: 50_000 };
 */
export interface MemoryIdempotencyStoreOptions {
  /** How long a done key answers with its result. Default 86_400_000 (24 h). */
  readonly retentionMs?: number;
  /** Most keys held at once. Default 10_000. */
  readonly maxEntries?: number;
  /** The clock, in ms since the epoch. Default `Date.now`. */
  readonly now?: () => number;
}

/**
 * The memory store, with its size for tests and metrics.
 *
 * @example
 * const store: MemoryIdempotencyStore = createMemoryIdempotencyStore();
 * console.log(store.size); // 0
 */
export interface MemoryIdempotencyStore extends IdempotencyStore {
  /** Entries held, expired ones not yet swept included. */
  readonly size: number;
}

type Entry =
  | { readonly state: 'pending'; readonly token: string; readonly leaseExpiresAt: number }
  | { readonly state: 'done'; readonly result: unknown; readonly completedAt: number; readonly expiresAt: number };

const expiryOf = (entry: Entry) => (entry.state === 'pending' ? entry.leaseExpiresAt : entry.expiresAt);

/** A JSON copy, as a database column would hold it; undefined stays "no result". */
const jsonCopy = (value: unknown): unknown => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));

/**
 * Creates an in-memory idempotency store.
 *
 * @param options.retentionMs how long a done key answers with its result; default 86_400_000 (24 h)
 * @param options.maxEntries most keys held at once; default 10_000
 * @param options.now the clock in ms since the epoch; default `Date.now`
 * @example
 * const store = createMemoryIdempotencyStore({ retentionMs: 3_600_000, maxEntries: 50_000 });
 * await once(store, `orders:reserve:${envelope.id}`, () => reserve(envelope.payload));
 */
export function createMemoryIdempotencyStore(options: MemoryIdempotencyStoreOptions = {}): MemoryIdempotencyStore {
  const retentionMs = options.retentionMs ?? 86_400_000;
  const maxEntries = options.maxEntries ?? 10_000;
  const now = options.now ?? Date.now;
  if (!(retentionMs > 0)) throw new RangeError(`retentionMs must be positive, got ${retentionMs}`);
  if (!(Number.isInteger(maxEntries) && maxEntries > 0)) throw new RangeError(`maxEntries must be a positive integer, got ${maxEntries}`);

  // Insertion order is write order (a write deletes then sets), so the first done entry is the oldest.
  const entries = new Map<string, Entry>();
  // No entry expires before this, so a full store skips the sweep until then.
  let nextExpiry = Infinity;

  const live = (key: string, at: number): Entry | undefined => {
    const entry = entries.get(key);
    if (entry && expiryOf(entry) <= at) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };

  const write = (key: string, entry: Entry) => {
    entries.delete(key);
    entries.set(key, entry);
    nextExpiry = Math.min(nextExpiry, expiryOf(entry));
  };

  const makeRoom = (at: number) => {
    if (at >= nextExpiry) {
      nextExpiry = Infinity;
      for (const [key, entry] of entries) {
        const expiry = expiryOf(entry);
        if (expiry <= at) entries.delete(key);
        else nextExpiry = Math.min(nextExpiry, expiry);
      }
    }
    if (entries.size < maxEntries) return;
    for (const [key, entry] of entries) {
      if (entry.state === 'done') {
        entries.delete(key);
        return;
      }
    }
    throw new IdempotencyStoreFull(maxEntries);
  };

  return {
    get size() {
      return entries.size;
    },

    async claim(key: string, { leaseMs }: ClaimOptions): Promise<ClaimResult> {
      const at = now();
      const entry = live(key, at);
      if (entry?.state === 'done') return { status: 'done', result: jsonCopy(entry.result) };
      if (entry) return { status: 'in-progress', leaseExpiresAt: entry.leaseExpiresAt };
      if (entries.size >= maxEntries) makeRoom(at);
      const token = randomUUID();
      write(key, { state: 'pending', token, leaseExpiresAt: at + leaseMs });
      return { status: 'claimed', token };
    },

    async complete(key: string, token: string, result: unknown): Promise<boolean> {
      // An expired claim still completes if nobody claimed the key since: the effect did happen.
      const entry = entries.get(key);
      if (entry?.state !== 'pending' || entry.token !== token) return false;
      const at = now();
      write(key, { state: 'done', result: jsonCopy(result), completedAt: at, expiresAt: at + retentionMs });
      return true;
    },

    async release(key: string, token: string): Promise<void> {
      const entry = entries.get(key);
      if (entry?.state === 'pending' && entry.token === token) entries.delete(key);
    },

    async get(key: string): Promise<IdempotencyRecord | undefined> {
      const entry = live(key, now());
      if (!entry) return undefined;
      if (entry.state === 'pending') return { state: 'pending', leaseExpiresAt: entry.leaseExpiresAt };
      return { state: 'done', result: jsonCopy(entry.result), completedAt: entry.completedAt, expiresAt: entry.expiresAt };
    },
  };
}
