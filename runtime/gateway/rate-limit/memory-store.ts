// The memory store: one process's keys, for a single gateway replica (replicas each count on their
// own). Memory is bounded without a timer per key: a linked list keeps keys in least-recently-used
// order (a touched key moves to the newest end), each call drops up to two expired keys from the
// oldest end, and a new key beyond `maxKeys` evicts the least recently used one. Every call is O(1).
// (A Map's own insertion order with delete + re-insert is not: V8 leaves the deleted slots in place,
// and finding the first live entry walks over them, 100+ µs a call at 100_000 keys.)
import type { KeyState, RateLimitAlgorithm, RateLimitDecision } from './types.js';

/** Expired keys dropped from the front per call: more than one, so the sweep outpaces new keys. */
const SWEEP_PER_CALL = 2;

/** A key in the recency list. */
interface Entry<State> {
  key: string;
  state: State;
  older: Entry<State> | undefined;
  newer: Entry<State> | undefined;
}

/**
 * Settings of {@link MemoryRateLimitStore}.
 *
 * @example
 * const settings: MemoryStoreSettings = { maxKeys: 100_000, now: Date.now };
 */
export interface MemoryStoreSettings {
  /** Most keys held; the least recently used one goes first. Default 100_000. */
  readonly maxKeys?: number;
  /** The clock, epoch ms. Default `Date.now`. */
  readonly now?: () => number;
}

/**
 * Keys' states in this process, updated by an algorithm.
 *
 * @example
 * const store = new MemoryRateLimitStore(slidingWindow({ limit: 10, windowMs: 1_000 }), { maxKeys: 10_000 });
 * store.consume('203.0.113.7').allowed; // true
 */
export class MemoryRateLimitStore<State extends KeyState> {
  readonly #algorithm: RateLimitAlgorithm<State>;
  readonly #maxKeys: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, Entry<State>>();
  /** The least recently used entry (swept and evicted first), and the most recently used one. */
  #oldest: Entry<State> | undefined;
  #newest: Entry<State> | undefined;
  #liveEvictions = 0;

  /**
   * @param algorithm what each request does to its key's state
   * @param settings.maxKeys most keys held; default 100_000
   * @param settings.now the clock; default `Date.now`
   * @throws RangeError when maxKeys is not a positive integer
   */
  constructor(algorithm: RateLimitAlgorithm<State>, settings: MemoryStoreSettings = {}) {
    const maxKeys = settings.maxKeys ?? 100_000;
    if (!(Number.isSafeInteger(maxKeys) && maxKeys > 0)) throw new RangeError(`rate limit maxKeys must be a positive integer, got ${String(maxKeys)}`);
    this.#algorithm = algorithm;
    this.#maxKeys = maxKeys;
    this.#now = settings.now ?? Date.now;
  }

  /** Keys held now (expired ones not yet swept included). */
  get size(): number {
    return this.#entries.size;
  }

  /** Keys evicted by the cap while their state still counted (each such key got a fresh quota). */
  get liveEvictions(): number {
    return this.#liveEvictions;
  }

  /**
   * Takes one request for `key`.
   *
   * @param key the client's key (an IP address, a user id)
   * @example
   * const decision = store.consume('203.0.113.7');
   */
  consume(key: string): RateLimitDecision {
    const now = this.#now();
    this.#sweep(now);
    let entry = this.#entries.get(key);
    if (entry === undefined) {
      const evicted = this.#entries.size >= this.#maxKeys ? this.#evictOldest(now) : undefined;
      if (evicted === undefined) entry = { key, state: this.#algorithm.create(now), older: undefined, newer: undefined };
      else {
        entry = evicted;
        entry.key = key;
        this.#algorithm.reset(entry.state, now);
      }
      this.#entries.set(key, entry);
    } else {
      this.#unlink(entry);
      if (entry.state.expiresAt <= now) this.#algorithm.reset(entry.state, now);
    }
    this.#append(entry);
    return this.#algorithm.consume(entry.state, now);
  }

  /** Drops expired keys from the least recently used end; stops at the first live one. */
  #sweep(now: number): void {
    for (let i = 0; i < SWEEP_PER_CALL; i += 1) {
      const oldest = this.#oldest;
      if (oldest === undefined || oldest.state.expiresAt > now) return;
      this.#remove(oldest);
    }
  }

  /** Drops the least recently used key; answers its entry for reuse. */
  #evictOldest(now: number): Entry<State> | undefined {
    const oldest = this.#oldest;
    if (oldest === undefined) return undefined;
    if (oldest.state.expiresAt > now) this.#liveEvictions += 1;
    this.#remove(oldest);
    return oldest;
  }

  #remove(entry: Entry<State>): void {
    this.#unlink(entry);
    this.#entries.delete(entry.key);
  }

  #unlink(entry: Entry<State>): void {
    if (entry.older === undefined) this.#oldest = entry.newer;
    else entry.older.newer = entry.newer;
    if (entry.newer === undefined) this.#newest = entry.older;
    else entry.newer.older = entry.older;
    entry.older = undefined;
    entry.newer = undefined;
  }

  #append(entry: Entry<State>): void {
    entry.older = this.#newest;
    if (this.#newest === undefined) this.#oldest = entry;
    else this.#newest.newer = entry;
    this.#newest = entry;
  }
}
