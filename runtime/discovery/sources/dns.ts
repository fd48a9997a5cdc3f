// A DNS name re-resolved on an interval: what a Kubernetes headless Service gives (one A/AAAA record
// per ready pod). Pods come and go between refreshes; a failed refresh keeps the last good set, so a
// DNS hiccup never empties the pool.
import { lookup } from 'node:dns/promises';
import { addressOfIp, type AddressKind } from '../address.js';
import { report, type DiscoveryObserver } from '../events.js';
import { sameInstances, toInstances, type InstanceSource, type InstancesListener, type ServiceInstance } from '../source.js';

/** Resolves a host name to IP addresses (IPv4 and/or IPv6). */
export type HostResolver = (host: string) => Promise<readonly string[]>;

/**
 * Options of {@link createDnsSource}.
 *
 * @example
 * const options: DnsSourceOptions = { host: 'users.shop.svc.cluster.local', port: 3001, kind: 'http', intervalMs: 10_000 };
 */
export interface DnsSourceOptions {
  /** The name to resolve, e.g. `users.shop.svc.cluster.local`. */
  host: string;
  /** The port every instance listens on. */
  port: number;
  /** `'http'` makes origins, `'grpc'` makes `host:port`. */
  kind: AddressKind;
  /** Scheme of HTTP origins. Default `'http'`. */
  scheme?: 'http' | 'https';
  /** Time between the end of one resolution and the start of the next, ms. Default 5000. */
  intervalMs?: number;
  /** Resolver. Default {@link systemResolver} (`dns.lookup` with `all: true`, which reads /etc/hosts too). */
  resolve?: HostResolver;
  /** Receives `instances-changed`, `resolve-failed` and `resolve-recovered`. */
  observer?: DiscoveryObserver;
}

/** A DNS source: also says when its first resolution is over and can refresh on demand. */
export interface DnsSource extends InstanceSource {
  /** Settles (never rejects) once the first resolution succeeded or failed. */
  readonly ready: Promise<void>;
  /** Resolves now (or joins the resolution under way); never rejects. */
  refresh(): Promise<void>;
}

/**
 * Every address the system resolver gives for `host`, IPv4 and IPv6, like `getaddrinfo`.
 *
 * @param host The name to resolve.
 * @example
 * await systemResolver('localhost'); // ['127.0.0.1', '::1'] on most machines
 */
export const systemResolver: HostResolver = async (host) => {
  const records = await lookup(host, { all: true });
  return records.map((r) => r.address);
};

/**
 * A source that resolves `host` now and then every `intervalMs` ms until closed.
 *
 * @param options `host`, `port`, `kind`; `scheme` (default `'http'`), `intervalMs` (default 5000),
 *   `resolve` (default {@link systemResolver}), `observer`.
 * @example
 * const users = createDnsSource({ host: 'users.shop.svc.cluster.local', port: 3001, kind: 'http' });
 * await users.ready;
 * users.current(); // [{ address: 'http://10.1.0.4:3001' }, { address: 'http://10.1.0.9:3001' }]
 * await users.close();
 */
export function createDnsSource(options: DnsSourceOptions): DnsSource {
  const { host, port, kind, observer } = options;
  const scheme = options.scheme ?? 'http';
  const intervalMs = options.intervalMs ?? 5000;
  const resolve = options.resolve ?? systemResolver;
  if (!host || /[\s/:]/.test(host)) throw new Error(`DNS discovery: '${host}' is not a host name`);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`DNS discovery of ${host}: port ${port} is not 1-65535`);
  if (!(intervalMs > 0)) throw new Error(`DNS discovery of ${host}: intervalMs must be positive, got ${intervalMs}`);

  const description = `dns ${host}:${port}`;
  const listeners = new Set<InstancesListener>();
  let instances: readonly ServiceInstance[] = [];
  let lastError: string | undefined;
  let inFlight: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const apply = (ips: readonly string[]) => {
    const next = toInstances(ips.map((ip) => addressOfIp(ip, port, kind, scheme)));
    if (lastError !== undefined) {
      lastError = undefined;
      report(observer, { type: 'resolve-recovered', source: description, count: next.length });
    }
    if (sameInstances(instances, next)) return;
    const before = new Set(instances.map((i) => i.address));
    const after = new Set(next.map((i) => i.address));
    instances = Object.freeze(next);
    report(observer, {
      type: 'instances-changed',
      source: description,
      added: [...after].filter((a) => !before.has(a)),
      removed: [...before].filter((a) => !after.has(a)),
      count: next.length,
    });
    for (const listener of listeners) listener(instances);
  };

  const fail = (err: unknown) => {
    const error = err instanceof Error ? ((err as NodeJS.ErrnoException).code ?? err.message) : String(err);
    // Once per change: a name that stays unresolvable for an hour is one line, not 720.
    if (error === lastError) return;
    lastError = error;
    report(observer, { type: 'resolve-failed', source: description, error, kept: instances.length });
  };

  const schedule = () => {
    if (closed) return;
    timer = setTimeout(() => void refresh(), intervalMs);
    timer.unref();
  };

  const refresh = (): Promise<void> => {
    if (closed) return Promise.resolve();
    inFlight ??= (async () => {
      clearTimeout(timer);
      try {
        const ips = await resolve(host);
        // An empty answer is a failure too: keep serving the last good set.
        if (closed) return;
        if (ips.length > 0) apply(ips);
        else fail(new Error('no addresses'));
      } catch (err) {
        if (!closed) fail(err);
      } finally {
        inFlight = undefined;
        schedule();
      }
    })();
    return inFlight;
  };

  const ready = refresh();

  return {
    description,
    ready,
    refresh,
    current: () => instances,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      listeners.clear();
      await inFlight;
    },
  };
}
