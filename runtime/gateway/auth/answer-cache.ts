// Answers of the auth service, remembered for a while so that a client's burst of requests costs one
// call: bounded in size (oldest entry out first), entries expire on their own deadline, and concurrent
// lookups of the same key share one call (single flight).

interface Entry<T> {
  readonly value: T;
  readonly expiresAt: number;
}

/** A bounded cache with per-entry expiry and single-flight loading. */
export class AnswerCache<T> {
  readonly #entries = new Map<string, Entry<T>>();
  readonly #loading = new Map<string, Promise<T>>();
  readonly #maxEntries: number;
  readonly #now: () => number;

  /**
   * @param maxEntries Most entries kept; the least recently used goes first.
   * @param now The clock, epoch ms. Default `Date.now`.
   * @example
   * const cache = new AnswerCache<Identity>(10_000);
   */
  constructor(maxEntries: number, now: () => number = Date.now) {
    this.#maxEntries = maxEntries;
    this.#now = now;
  }

  /**
   * Entries held (expired ones included until they are looked up or pushed out).
   *
   * @example
   * cache.size; // 0 before any successful load
   */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * The keys held, least recently used first (tests check that no token is among them).
   *
   * @example
   * cache.keys(); // ['4q2...', 'Zx9...']
   */
  keys(): string[] {
    return [...this.#entries.keys()];
  }

  /**
   * The remembered answer for `key` while it is fresh, without a promise; undefined otherwise.
   *
   * @param key - the entry's key
   * @example
   * const identity = cache.peek(digest) ?? (await cache.get(digest, load));
   */
  peek(key: string): T | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined || entry.expiresAt <= this.#now()) return undefined;
    // Most recently used goes to the back of the eviction order.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value;
  }

  /**
   * The live value of `key`, else the value `load` gives, shared with every concurrent lookup of
   * `key`. `load` says how long its value stays (0: not kept); a rejection is not kept.
   *
   * @param key The cache key.
   * @param load Produces the value and its lifetime in ms.
   * @example
   * const identity = await cache.get(digest, async () => ({ value: await ask(), ttlMs: 30_000 }));
   */
  get(key: string, load: () => Promise<{ value: T; ttlMs: number }>): Promise<T> {
    const known = this.peek(key);
    if (known !== undefined) return Promise.resolve(known);
    const pending = this.#loading.get(key);
    if (pending) return pending;
    const loading = load()
      .then(({ value, ttlMs }) => {
        if (ttlMs > 0) this.#store(key, value, ttlMs);
        return value;
      })
      .finally(() => this.#loading.delete(key));
    this.#loading.set(key, loading);
    return loading;
  }

  #store(key: string, value: T, ttlMs: number): void {
    this.#entries.delete(key);
    while (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
    this.#entries.set(key, { value, expiresAt: this.#now() + ttlMs });
  }
}
