// GET /health/dependencies: how the service's callees look from here, for an operator. Diagnostic
// only: it answers 200 whatever their state, and nothing in it feeds readiness. A callee's outage
// must not take its callers out of their load balancers (they can still answer what needs no callee,
// serve fallbacks, and come back at once): the cascade a readiness that asks the callees would make.
import type { DependenciesReport } from '../host/types.js';
import { boundedMessage } from './message.js';

/** How long the live probe of one callee instance's `/ready` may take. */
export const DEPENDENCY_PROBE_TIMEOUT_MS = 500;
/** How many callee instances are probed at once. */
export const DEPENDENCY_PROBE_CONCURRENCY = 4;

/** The live probe of one instance: its `/ready` answer, or why none came. */
export interface InstanceProbe {
  /** `ready` (2xx), `not ready` (another status), `unreachable` (no answer in time, refused...). */
  readonly status: 'ready' | 'not ready' | 'unreachable';
  readonly statusCode?: number;
  readonly error?: string;
}

/**
 * One callee as the caller sees it: its breakers, its calls' outcomes since the process started, its
 * instances (no addresses: the report is readable by anyone reaching the port).
 *
 * @example
 * const users: DependencyHealth = { service: 'users', breaker: 'closed', breakers: { open: 0, halfOpen: 0 }, calls: { total: 3, succeeded: 3, failed: 0, rejected: 0 }, instances: [] };
 */
export interface DependencyHealth {
  readonly service: string;
  /** `open` when any of its breakers is open, else `half-open` when one is, else `closed`. */
  readonly breaker: 'closed' | 'open' | 'half-open';
  readonly breakers: { readonly open: number; readonly halfOpen: number };
  readonly calls: { readonly total: number; readonly succeeded: number; readonly failed: number; readonly rejected: number };
  readonly instances: readonly { readonly up: boolean; readonly ejected: boolean; readonly calls: { readonly success: number; readonly failure: number }; readonly probe?: InstanceProbe }[];
}

/**
 * The report, from the service's dependency figures, each HTTP instance's `/ready` probed live
 * (bounded time and concurrency) when `probe` is set.
 *
 * @param callees - the services this one calls (listed even before any call)
 * @param figures - `RunningService.dependencies()`
 * @param probe - true to ask each known HTTP instance's `/ready`
 * @example
 * const body = await dependenciesReport(['users'], running.dependencies(), true);
 * body.dependencies[0]?.breaker; // 'closed'
 */
export async function dependenciesReport(
  callees: readonly string[],
  figures: DependenciesReport,
  probe: boolean,
): Promise<{ dependencies: DependencyHealth[] }> {
  const services = [...new Set([...callees, ...Object.keys(figures.resilience)])];
  const addresses = services.map((service) => (figures.instances[service] ?? []).map((i) => i.address));
  const probes = probe ? await probeAll(addresses.flat()) : new Map<string, InstanceProbe>();
  const dependencies = services.map((service): DependencyHealth => {
    const snapshot = figures.resilience[service];
    const counters = snapshot?.counters;
    const open = snapshot?.gauges.breakersOpen ?? 0;
    const halfOpen = snapshot?.gauges.breakersHalfOpen ?? 0;
    const rejected = counters ? counters.rejected.circuitOpen + counters.rejected.bulkheadFull + counters.rejected.deadlinePassed : 0;
    return {
      service,
      breaker: open > 0 ? 'open' : halfOpen > 0 ? 'half-open' : 'closed',
      breakers: { open, halfOpen },
      calls: { total: counters?.calls ?? 0, succeeded: counters?.succeeded ?? 0, failed: counters?.failed ?? 0, rejected },
      instances: (figures.instances[service] ?? []).map((instance) => {
        const live = probes.get(instance.address);
        return {
          up: instance.up,
          ejected: instance.ejected,
          calls: { success: instance.calls.success, failure: instance.calls.failure },
          ...(live ? { probe: live } : {}),
        };
      }),
    };
  });
  return { dependencies };
}

/** Each HTTP origin's `/ready`, DEPENDENCY_PROBE_CONCURRENCY at a time (gRPC `host:port` instances are not probed). */
async function probeAll(addresses: readonly string[]): Promise<Map<string, InstanceProbe>> {
  const queue = [...new Set(addresses.filter((a) => /^https?:\/\//.test(a)))];
  const results = new Map<string, InstanceProbe>();
  const worker = async () => {
    for (let address = queue.shift(); address !== undefined; address = queue.shift()) results.set(address, await probeOne(address));
  };
  await Promise.all(Array.from({ length: Math.min(DEPENDENCY_PROBE_CONCURRENCY, queue.length) }, worker));
  return results;
}

async function probeOne(origin: string): Promise<InstanceProbe> {
  try {
    const res = await fetch(`${origin}/ready`, { signal: AbortSignal.timeout(DEPENDENCY_PROBE_TIMEOUT_MS) });
    await res.body?.cancel();
    return { status: res.ok ? 'ready' : 'not ready', statusCode: res.status };
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    return { status: 'unreachable', error: timedOut ? `no answer within ${DEPENDENCY_PROBE_TIMEOUT_MS}ms` : boundedMessage(error instanceof Error && error.cause instanceof Error ? error.cause : error) };
  }
}
