// One upstream instance as the gateway sees it: its keep-alive pool, capped in connections, and a
// count of the requests sent to it that have not ended. A hung instance makes requests wait for a
// connection; past the queue's bound the gateway answers 503 at once instead of holding more clients.
//
// Each of the pool's connections is tracked (which socket it holds now, how many requests were
// written on it) so that a failed request can tell whether it went out on a reused keep-alive
// connection, the one case besides a failed connect where a retry is safe (retry.ts).
import type { Socket } from 'node:net';
import { Client, Pool, type buildConnector, type Dispatcher } from 'undici';

/** The connection one undici client holds now, as a request handler sees it when it is written. */
export interface TrackedConnection {
  /** The socket of the client's current connection (the last one connected). */
  socket: Socket | null;
  /** Requests written on `socket` so far (a request that finds 1 or more is on a reused connection). */
  written: number;
}

/** A dispatch handler that wants to know the connection its request is written on. */
export interface ConnectionAware {
  /** Set by the client the pool hands the request to, before the request is written. */
  connection: TrackedConnection | null;
}

/**
 * An undici Client that tells each handler its connection. undici calls a handler's `onConnect`
 * synchronously just before it writes the request on the client's socket (pipelining 1: one
 * request per socket at a time), so there `connection.socket` is the socket the request goes on.
 */
class TrackingClient extends Client {
  readonly #connection: TrackedConnection;

  constructor(origin: URL, options: Client.Options & { connect: buildConnector.connector }) {
    const connection: TrackedConnection = { socket: null, written: 0 };
    const connect = options.connect;
    super(origin, {
      ...options,
      connect: (connectOptions, callback) =>
        connect(connectOptions, (...args) => {
          const socket = args[1];
          if (socket) {
            connection.socket = socket;
            connection.written = 0;
          }
          callback(...args);
        }),
    });
    this.#connection = connection;
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    (handler as Partial<ConnectionAware>).connection = this.#connection;
    return super.dispatch(options, handler);
  }
}

/**
 * An upstream instance's pool and its admission count.
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
  constructor(
    readonly origin: string,
    options: { connections: number; queue: number; timeoutMs: number },
  ) {
    this.#limit = options.connections + options.queue;
    this.pool = new Pool(origin, {
      pipelining: 1,
      connections: options.connections,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      connect: { timeout: Math.min(options.timeoutMs, 10_000) },
      // The pool passes its options, `connect` already built into a connector function.
      factory: (url, clientOptions) => new TrackingClient(url, clientOptions as Client.Options & { connect: buildConnector.connector }),
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
