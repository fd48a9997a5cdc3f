// The instances of one routed service: one capped undici pool per instance (upstream.ts), and with
// several instances the discovery module's balancing (runtime/discovery): least outstanding
// requests among the instances that pass their `/ready` check and are not ejected after failures.
// A service with one instance skips all of it: its requests cost what they did before.
import type { Logger } from 'pino';
import type { Dispatcher } from 'undici';
import {
  createInstancePool,
  createReadinessChecker,
  createStaticSource,
  NoInstanceAvailable,
  type InstancePool,
  type PickedInstance,
  type ReadinessChecker,
} from '../discovery/index.js';
import { Upstream } from './upstream.js';

/** What {@link ServiceUpstream} hands the request it sends (the exchange). */
export interface UpstreamAttempt extends Dispatcher.DispatchHandler {
  /** Called before each dispatch: the instance it is counted against, and its balancer handle (none with one instance). */
  startAttempt(upstream: Upstream, picked: PickedInstance | null): void;
}

/**
 * Options of {@link ServiceUpstream}.
 *
 * @example
 * const options: ServiceUpstreamOptions = { connections: 128, queue: 256, timeoutMs: 10_000, readinessIntervalMs: 1000, logger };
 */
export interface ServiceUpstreamOptions {
  /** Connections to each instance. */
  readonly connections: number;
  /** Requests that may wait for a connection to each instance; past it, that instance is full. */
  readonly queue: number;
  /** Timeout for response headers and between body chunks, ms. */
  readonly timeoutMs: number;
  /** Time between two rounds of `/ready` checks of a service's instances (several only), ms. */
  readonly readinessIntervalMs: number;
  /** Where instance events (down, up, ejected, returned) are logged. */
  readonly logger: Logger;
}

/** Fewest ms between two `/ready` rounds started by `Connection: close` answers (a draining instance sends many). */
const HINT_INTERVAL_MS = 100;

/**
 * A routed service's instances. With several, each request goes to the instance with the fewest
 * requests in flight among those available; each instance has its own connection cap and queue,
 * and when the chosen one (the least loaded) is full, so are the others: the service is busy.
 *
 * @example
 * const users = new ServiceUpstream('users', ['http://10.0.0.7:3001', 'http://10.0.0.8:3001'], options);
 * if (!users.dispatch(exchange, dispatchOptions, null)) exchange.fail(new Unavailable('service users is busy'));
 * await users.close();
 */
export class ServiceUpstream {
  /** One per origin, in the order given. */
  readonly instances: readonly Upstream[];
  readonly #only: Upstream | null;
  readonly #byOrigin: Map<string, Upstream>;
  readonly #balancer: InstancePool | null;
  readonly #readiness: ReadinessChecker | null;
  #lastHint = 0;
  #next = 0;

  /**
   * @param service - the service's name (in log lines and messages)
   * @param origins - its instances' origins, normalized, at least one
   * @param options - per-instance limits and the readiness interval
   */
  constructor(
    readonly service: string,
    origins: readonly string[],
    options: ServiceUpstreamOptions,
  ) {
    const limits = { connections: options.connections, queue: options.queue, timeoutMs: options.timeoutMs };
    this.instances = origins.map((origin) => new Upstream(origin, limits));
    this.#byOrigin = new Map(this.instances.map((upstream) => [upstream.origin, upstream]));
    if (this.instances.length === 1) {
      this.#only = this.instances[0]!;
      this.#balancer = null;
      this.#readiness = null;
      return;
    }
    this.#only = null;
    const { logger } = options;
    const observer = (event: object) => logger.warn({ upstream: service, ...event }, 'upstream instance');
    const source = createStaticSource(origins, { kind: 'http', description: `instances of ${service}` });
    // A draining instance answers /ready with 503 while it still serves: it stops getting new
    // requests within an interval, and at once after its first `Connection: close` answer (hint()).
    this.#readiness = createReadinessChecker({
      source,
      intervalMs: options.readinessIntervalMs,
      timeoutMs: Math.min(1_000, options.readinessIntervalMs),
      observer,
    });
    this.#balancer = createInstancePool({
      service,
      source,
      strategy: 'least-outstanding',
      readiness: this.#readiness,
      // Only failures to get an answer count (refused, reset, timed out): a service's 5xx is its
      // answer. Short ejections: an instance restarted at the same address is back in seconds.
      outlier: { consecutiveFailures: 3, baseEjectionMs: 5_000, maxEjectionMs: 60_000, observer },
    });
  }

  /**
   * Sends one attempt of `handler`'s request.
   *
   * @param handler - the exchange
   * @param options - undici's dispatch options (sent unchanged on a retry)
   * @param avoid - the instance a failed first attempt went to (another is preferred); null for none
   * @returns false when the chosen instance is full (nothing was sent)
   */
  dispatch(handler: UpstreamAttempt, options: Dispatcher.DispatchOptions, avoid: Upstream | null): boolean {
    const only = this.#only;
    if (only !== null) {
      if (!only.admit()) return false;
      handler.startAttempt(only, null);
      only.pool.dispatch(options, handler);
      return true;
    }
    const picked = this.#pick(avoid);
    const upstream = this.#byOrigin.get(picked.address)!;
    if (!upstream.admit()) {
      picked.release('dropped');
      return false;
    }
    handler.startAttempt(upstream, picked);
    upstream.pool.dispatch(options, handler);
    return true;
  }

  /** An answer said `Connection: close`: its instance may be draining, so check readiness soon. */
  hint(): void {
    if (this.#readiness === null) return;
    const now = Date.now();
    if (now - this.#lastHint < HINT_INTERVAL_MS) return;
    this.#lastHint = now;
    void this.#readiness.checkNow();
  }

  /** Stops the readiness checks and closes every instance's pool (requests still running end first). */
  async close(): Promise<void> {
    await this.#balancer?.close();
    await Promise.all(this.instances.map((upstream) => upstream.pool.close()));
  }

  #pick(avoid: Upstream | null): PickedInstance {
    const balancer = this.#balancer!;
    try {
      return balancer.pick(avoid === null ? undefined : { avoid: new Set([avoid.origin]) });
    } catch (err) {
      if (!(err instanceof NoInstanceAvailable)) throw err;
      // Every instance is failing /ready or ejected (all draining at once, a broker they all lost):
      // a struggling instance beats none, so they take turns (these calls are not counted for or against them).
      return this.#anyInstance(avoid);
    }
  }

  #anyInstance(avoid: Upstream | null): PickedInstance {
    const count = this.instances.length;
    let upstream = this.instances[this.#next++ % count]!;
    if (upstream === avoid) upstream = this.instances[this.#next++ % count]!;
    const origin = upstream.origin;
    return { instance: { address: origin }, address: origin, release: () => undefined };
  }
}
