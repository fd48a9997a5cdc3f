// The memory store: one process's keys, for a single gateway replica (replicas each count on their
// own). Memory is bounded without a timer per key: the Map keeps keys in least-recently-used order
// (a touched key is re-inserted at the end), each call drops up to two expired keys from the front,
// and a new key beyond `maxKeys` evicts the least recently used one. Every call is O(1).
import type { KeyState, RateLimitAlgorithm, RateLimitDecision } from './types.js';

/** Expired keys dropped from the front per call: more than one, so the sweep outpaces new keys. */
const SWEEP_PER_CALL = 2;

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
  readonly #states = new Map<string, State>();
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
    return this.#states.size;
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
    let state = this.#states.get(key);
    if (state !== undefined) {
      // Re-inserted below: the key moves to the most recently used end.
      this.#states.delete(key);
      if (state.expiresAt <= now) state = undefined;
    }
    if (state === undefined) {
      state = this.#algorithm.create(now);
      if (this.#states.size >= this.#maxKeys) this.#evictOldest(now);
    }
    const decision = this.#algorithm.consume(state, now);
    this.#states.set(key, state);
    return decision;
  }

  /** Drops expired keys from the least recently used end; stops at the first live one. */
  #sweep(now: number): void {
    for (let i = 0; i < SWEEP_PER_CALL; i += 1) {
      const oldest = this.#states.entries().next();
      if (oldest.done || oldest.value[1].expiresAt > now) return;
      this.#states.delete(oldest.value[0]);
    }
  }

  #evictOldest(now: number): void {
    const oldest = this.#states.entries().next();
    if (oldest.done) return;
    if (oldest.value[1].expiresAt > now) this.#liveEvictions += 1;
    this.#states.delete(oldest.value[0]);
  }
}
