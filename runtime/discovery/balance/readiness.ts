// Optional active checks: `GET /ready` on every instance on an interval. An instance whose check
// fails (non-2xx, refused, or no answer within the timeout) is down until a check passes again.
// Unchecked instances count as up, so starting the checker never empties a pool.
import { PROBE_PATHS } from '../../../common/probes.js';
import type { AddressKind } from '../address.js';
import { report, type DiscoveryObserver } from '../events.js';
import type { InstanceSource, ServiceInstance } from '../source.js';

/** Checks one URL; resolves to `undefined` when ready, or to the reason it is not. */
export type ReadyProbe = (url: string, timeoutMs: number) => Promise<string | undefined>;

/**
 * Options of {@link createReadinessChecker}.
 *
 * @example
 * const options: ReadinessOptions = { source, intervalMs: 2000, timeoutMs: 500 };
 */
export interface ReadinessOptions {
  /** The instances to check (re-read each round, so instances that come and go are followed). */
  source: InstanceSource;
  /** Kind of the source's addresses. Default `'http'`; `'grpc'` needs `urlFor` (its `/ready` is on the HTTP port). */
  kind?: AddressKind;
  /** Time between the end of one round and the start of the next, ms. Default 5000. */
  intervalMs?: number;
  /** Longest wait for one answer, ms. Default 1000. */
  timeoutMs?: number;
  /** The URL to check for an instance. Default `<origin>/ready`. */
  urlFor?: (instance: ServiceInstance) => string;
  /** The probe. Default {@link httpReadyProbe}. */
  probe?: ReadyProbe;
  /** Receives `down` and `up`. */
  observer?: DiscoveryObserver;
}

/** The current verdict of the active checks. */
export interface ReadinessChecker {
  /** False only while the last check of `address` failed. */
  isUp(address: string): boolean;
  /** Runs a round now (or joins the one under way). */
  checkNow(): Promise<void>;
  /** Stops checking; waits for the round under way. */
  close(): Promise<void>;
}

/**
 * `GET url` with a timeout: ready on a 2xx answer.
 *
 * @param url The readiness URL, e.g. `http://10.0.0.7:3001/ready`.
 * @param timeoutMs Longest wait for the whole answer, ms.
 * @returns `undefined` when ready, else the reason (`status 503`, `timed out`, `ECONNREFUSED`).
 * @example
 * await httpReadyProbe('http://127.0.0.1:3001/ready', 1000); // undefined when ready
 */
export const httpReadyProbe: ReadyProbe = async (url, timeoutMs) => {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
    // Read the body so the connection goes back to the pool.
    await response.arrayBuffer();
    return response.ok ? undefined : `status ${response.status}`;
  } catch (err) {
    if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) return 'timed out';
    const cause = err instanceof Error ? (err.cause as NodeJS.ErrnoException | undefined) : undefined;
    return cause?.code ?? (err instanceof Error ? err.message : String(err));
  }
};

/**
 * Starts checking every instance of `source` now and every `intervalMs` ms.
 *
 * @param options `source`; `kind` (default `'http'`), `intervalMs` (default 5000), `timeoutMs` (default 1000),
 *   `urlFor` (default `<origin>/ready`, required for `'grpc'`), `probe` (default {@link httpReadyProbe}), `observer`.
 * @throws Error for a gRPC source without `urlFor`, or a non-positive interval or timeout.
 * @example
 * const checks = createReadinessChecker({ source, intervalMs: 2000, observer: (e) => logger.warn(e, 'readiness') });
 * checks.isUp('http://10.0.0.7:3001');
 * await checks.close();
 */
export function createReadinessChecker(options: ReadinessOptions): ReadinessChecker {
  const { source, observer } = options;
  const intervalMs = options.intervalMs ?? 5000;
  const timeoutMs = options.timeoutMs ?? 1000;
  const probe = options.probe ?? httpReadyProbe;
  if ((options.kind ?? 'http') === 'grpc' && !options.urlFor) {
    throw new Error(`readiness checks of ${source.description}: gRPC addresses need urlFor (the /ready probe is on the HTTP port)`);
  }
  if (!(intervalMs > 0) || !(timeoutMs > 0)) throw new Error(`readiness checks of ${source.description}: intervalMs and timeoutMs must be positive`);
  const urlFor = options.urlFor ?? ((instance: ServiceInstance) => `${instance.address}${PROBE_PATHS.ready}`);

  const down = new Set<string>();
  let round: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const checkOne = async (instance: ServiceInstance) => {
    let reason: string | undefined;
    try {
      reason = await probe(urlFor(instance), timeoutMs);
    } catch (err) {
      // A custom probe that throws says "not ready", like one that answers with a reason.
      reason = err instanceof Error ? err.message : String(err);
    }
    if (closed) return;
    if (reason === undefined) {
      if (down.delete(instance.address)) report(observer, { type: 'up', address: instance.address });
    } else if (!down.has(instance.address)) {
      down.add(instance.address);
      report(observer, { type: 'down', address: instance.address, reason });
    }
  };

  const checkNow = (): Promise<void> => {
    if (closed) return Promise.resolve();
    round ??= (async () => {
      clearTimeout(timer);
      const instances = source.current();
      // Instances that left the source are forgotten: if one comes back it starts up.
      const present = new Set(instances.map((i) => i.address));
      for (const address of down) if (!present.has(address)) down.delete(address);
      await Promise.all(instances.map(checkOne));
      round = undefined;
      if (!closed) {
        timer = setTimeout(() => void checkNow(), intervalMs);
        timer.unref();
      }
    })();
    return round;
  };

  void checkNow();

  return {
    isUp: (address) => !down.has(address),
    checkNow,
    async close() {
      closed = true;
      clearTimeout(timer);
      await round;
    },
  };
}
