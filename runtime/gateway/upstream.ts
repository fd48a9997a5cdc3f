// One upstream origin as the gateway sees it: its keep-alive pool, capped in connections, and a count
// of the requests sent to it that have not ended. A hung upstream makes requests wait for a
// connection; past the queue's bound the gateway answers 503 at once instead of holding more clients.
import { Pool } from 'undici';

/**
 * An upstream's pool and its admission count.
 *
 * @example
 * const users = new Upstream('http://users:3001', { connections: 128, queue: 256, timeoutMs: 10_000 });
 * if (users.admit()) users.pool.dispatch(options, handler); // and users.release() when it ends
 */
export class Upstream {
  readonly pool: Pool;
  readonly #limit: number;
  #inFlight = 0;

  /**
   * @param origin - `http://host:port`
   * @param options - connections to the origin, requests that may wait beyond them, and the
   *   timeout for response headers and between body chunks (ms)
   */
  constructor(origin: string, options: { connections: number; queue: number; timeoutMs: number }) {
    this.#limit = options.connections + options.queue;
    this.pool = new Pool(origin, {
      pipelining: 1,
      connections: options.connections,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      connect: { timeout: Math.min(options.timeoutMs, 10_000) },
    });
  }

  /** Counts a request in, or says no when the connections and the queue are full. */
  admit(): boolean {
    if (this.#inFlight >= this.#limit) return false;
    this.#inFlight++;
    return true;
  }

  /** Counts an admitted request out (exactly once per admit). */
  release(): void {
    this.#inFlight--;
  }

  /** Requests admitted and not yet released. */
  get inFlight(): number {
    return this.#inFlight;
  }
}
