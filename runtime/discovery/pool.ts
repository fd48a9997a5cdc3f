// The instances of one dependency, ready to be picked: a source says which exist, outlier ejection,
// the active checks and the caller's predicate (a per-instance circuit breaker) say which may be
// called now, and the strategy chooses among those. The caller reports every call back through the
// handle, which keeps the outstanding counts, the latency averages and the outlier state current.
import { createOutlierDetector, type OutlierDetector, type OutlierOptions, type OutlierState } from './balance/outlier.js';
import type { ReadinessChecker } from './balance/readiness.js';
import { createStrategy, type BalanceStrategy, type Candidate, type StrategyName } from './balance/index.js';
import { NoInstanceAvailable } from './errors.js';
import type { DiscoveryObserver } from './events.js';
import type { InstanceSource, ServiceInstance } from './source.js';

/**
 * How a call ended, for the pool's bookkeeping:
 * - `success`: the instance answered (a 4xx too: the instance works, the request was wrong);
 * - `failure`: what the resilience policy counts against an instance (refused, reset, timed out, 5xx);
 * - `dropped`: the caller gave up (its own deadline or cancel), which says nothing about the instance.
 */
export type CallOutcome = 'success' | 'failure' | 'dropped';

/** The instance a pick chose; release it exactly once when the call ends. */
export interface PickedInstance {
  readonly instance: ServiceInstance;
  /** Shorthand for `instance.address`. */
  readonly address: string;
  /**
   * Ends the call's bookkeeping; later calls are ignored.
   * @param outcome How the call ended.
   * @param latencyMs How long it took (feeds the latency average; ignored for `dropped`).
   */
  release(outcome: CallOutcome, latencyMs?: number): void;
}

/** Options of one pick. */
export interface PickOptions {
  /** Addresses to pass over when another instance is available: a retry avoids the instance that just failed. */
  avoid?: ReadonlySet<string>;
}

/** The pool's figures for one instance, for logs and a metrics endpoint. */
export interface InstanceStats extends Candidate {
  readonly ejected: boolean;
  readonly ejectedUntil: number | undefined;
  readonly ejections: number;
  /** False while the active `/ready` check fails. */
  readonly up: boolean;
  /** Calls released so far, by outcome. */
  readonly calls: { readonly success: number; readonly failure: number; readonly dropped: number };
}

/**
 * Options of {@link createInstancePool}.
 *
 * @example
 * const options: InstancePoolOptions = { service: 'users', source, strategy: 'p2c', outlier: { consecutiveFailures: 3 } };
 */
export interface InstancePoolOptions {
  /** The dependency's name, for messages. */
  service: string;
  /** Where the instances come from; the pool follows its changes and closes it on close. */
  source: InstanceSource;
  /** A strategy or its name. Default `'round-robin'`. */
  strategy?: BalanceStrategy | StrategyName;
  /** Passive outlier ejection, or `false` for none. Default: on, with {@link OutlierOptions}' defaults. */
  outlier?: OutlierOptions | false;
  /** Active `/ready` checks (the pool closes them on close). Default: none. */
  readiness?: ReadinessChecker;
  /** Whether the caller lets an instance be called now, e.g. its circuit breaker's `isAvailable()`. Default: always. */
  isAvailable?: (instance: ServiceInstance) => boolean;
  /** Weight of the newest sample in the latency average, in (0, 1]. Default 0.3. */
  latencyWeight?: number;
  /**
   * Time over which an instance's latency average fades when it gets no calls, ms: the strategies see
   * `average × e^(−age / this)`, so an instance once slow is tried again (and re-measured) instead of
   * being passed over forever. Default 10000.
   */
  latencyFadeMs?: number;
  /** Clock for outlier ejection and latency fading, epoch ms. Default `Date.now`. */
  now?: () => number;
  /** Receives outlier events (unless `outlier.observer` is set). */
  observer?: DiscoveryObserver;
}

/** The instances of one dependency. */
export interface InstancePool {
  readonly service: string;
  readonly strategy: StrategyName;
  /**
   * Chooses an instance for one call.
   * @param options `avoid` (default: none).
   * @throws NoInstanceAvailable (an `Unavailable`) when none is known or every one is ejected, down or refused.
   */
  pick(options?: PickOptions): PickedInstance;
  /** Every known instance with its figures. */
  stats(): InstanceStats[];
  /** Stops following the source, closes it and the readiness checks. */
  close(): Promise<void>;
}

interface Member extends Candidate {
  readonly instance: ServiceInstance;
  outstanding: number;
  latencyMs: number | undefined;
  /** The average as of `sampledAt`; `latencyMs` is it faded to the last pick. */
  average: number | undefined;
  sampledAt: number;
  success: number;
  failure: number;
  dropped: number;
}

/**
 * A pool over `source`.
 *
 * @param options `service`, `source`; `strategy` (default `'round-robin'`), `outlier` (default on), `readiness`
 *   (default none), `isAvailable` (default always), `latencyWeight` (default 0.3), `latencyFadeMs` (default 10000), `now` (default `Date.now`), `observer`.
 * @example
 * const users = createInstancePool({
 *   service: 'users',
 *   source: createEnvSource('users', 'http') ?? createStaticSource(['http://127.0.0.1:3001'], { kind: 'http' }),
 *   strategy: 'p2c',
 *   isAvailable: (instance) => breakers.for(instance.address).isAvailable(),
 *   observer: (event) => logger.warn({ dependency: 'users', ...event }, 'discovery'),
 * });
 * const picked = users.pick();
 * const started = performance.now();
 * try {
 *   const answer = await transportFor(picked.address).call(endpoint, input, call);
 *   picked.release('success', performance.now() - started);
 *   return answer;
 * } catch (err) {
 *   picked.release(countsAgainstInstance(err) ? 'failure' : 'success', performance.now() - started);
 *   throw err;
 * }
 */
export function createInstancePool(options: InstancePoolOptions): InstancePool {
  const { service, source, readiness, isAvailable } = options;
  const strategy = typeof options.strategy === 'object' ? options.strategy : createStrategy(options.strategy ?? 'round-robin');
  const weight = options.latencyWeight ?? 0.3;
  if (!(weight > 0 && weight <= 1)) throw new Error(`pool of ${service}: latencyWeight must be in (0, 1], got ${weight}`);
  const fadeMs = options.latencyFadeMs ?? 10_000;
  if (!(fadeMs > 0)) throw new Error(`pool of ${service}: latencyFadeMs must be positive, got ${fadeMs}`);
  const now = options.now ?? Date.now;
  const outliers: OutlierDetector | undefined =
    options.outlier === false
      ? undefined
      : createOutlierDetector({
          ...(options.now ? { now: options.now } : {}),
          ...(options.observer ? { observer: options.observer } : {}),
          ...options.outlier,
        });

  let members: Member[] = [];
  const sync = (instances: readonly ServiceInstance[]) => {
    const old = new Map(members.map((m) => [m.instance.address, m]));
    members = instances.map(
      (instance) =>
        old.get(instance.address) ?? {
          instance,
          address: instance.address,
          outstanding: 0,
          latencyMs: undefined,
          average: undefined,
          sampledAt: 0,
          success: 0,
          failure: 0,
          dropped: 0,
        },
    );
    outliers?.sync(members.map((m) => m.address));
  };
  sync(source.current());
  const unsubscribe = source.subscribe(sync);

  const fade = (member: Member, at: number) => {
    if (member.average !== undefined) member.latencyMs = member.average * Math.exp(-Math.max(0, at - member.sampledAt) / fadeMs);
  };

  const release = (member: Member, outcome: CallOutcome, latencyMs: number | undefined) => {
    member.outstanding--;
    member[outcome]++;
    if (outcome === 'dropped') return;
    if (latencyMs !== undefined && Number.isFinite(latencyMs) && latencyMs >= 0) {
      // A failure counts as at least twice the average, so an instance that fails fast never looks fast.
      const at = now();
      fade(member, at);
      const sample = outcome === 'failure' ? Math.max(latencyMs, 2 * (member.latencyMs ?? latencyMs)) : latencyMs;
      member.average = member.latencyMs === undefined ? sample : member.latencyMs + weight * (sample - member.latencyMs);
      member.latencyMs = member.average;
      member.sampledAt = at;
    }
    outliers?.record(member.address, outcome === 'failure');
  };

  const handle = (member: Member): PickedInstance => {
    member.outstanding++;
    let released = false;
    return {
      instance: member.instance,
      address: member.address,
      release(outcome, latencyMs) {
        if (released) return;
        released = true;
        release(member, outcome, latencyMs);
      },
    };
  };

  return {
    service,
    strategy: strategy.name,

    pick(pickOptions) {
      const counts = { known: members.length, ejected: 0, down: 0, refused: 0 };
      const available: Member[] = [];
      const at = now();
      for (const m of members) {
        if (outliers?.isEjected(m.address)) counts.ejected++;
        else if (readiness && !readiness.isUp(m.address)) counts.down++;
        else if (isAvailable && !isAvailable(m.instance)) counts.refused++;
        else {
          fade(m, at);
          available.push(m);
        }
      }
      if (available.length === 0) throw new NoInstanceAvailable(service, counts, source.description);
      const avoid = pickOptions?.avoid;
      const preferred = avoid && avoid.size > 0 ? available.filter((m) => !avoid.has(m.address)) : available;
      const candidates = preferred.length > 0 ? preferred : available;
      return handle(candidates[strategy.choose(candidates)]!);
    },

    stats() {
      const at = now();
      return members.map((m) => {
        fade(m, at);
        const outlier: OutlierState | undefined = outliers?.state(m.address);
        return {
          address: m.address,
          outstanding: m.outstanding,
          latencyMs: m.latencyMs,
          ejected: outlier?.ejected ?? false,
          ejectedUntil: outlier?.ejectedUntil,
          ejections: outlier?.ejections ?? 0,
          up: readiness ? readiness.isUp(m.address) : true,
          calls: { success: m.success, failure: m.failure, dropped: m.dropped },
        };
      });
    },

    async close() {
      unsubscribe();
      await Promise.all([source.close(), readiness?.close()]);
    },
  };
}
