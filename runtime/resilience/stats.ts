// The resilience figures of a process in one place, per dependency: counters (calls, attempts,
// retries by reason, refusals, rejections, breaker transitions, fallbacks by reason and endpoint) and gauges read when asked
// (bulkhead slots in use and queued, breakers open and half-open). A metrics endpoint reads
// `snapshot()`; pipelines write into it as they go.
import type { ResilienceEvent } from './events.js';

/** Counters of one dependency since the process started. */
export interface DependencyCounters {
  /** Calls started through the pipeline (rejected ones included). */
  calls: number;
  succeeded: number;
  /** Calls that failed, fallbacks used or not. */
  failed: number;
  /** Attempts made (first attempts and retries). */
  attempts: number;
  retries: number;
  /** Retries by the failure that caused them. */
  retriesByReason: Record<string, number>;
  retriesDenied: { budget: number; deadline: number };
  rejected: { deadlinePassed: number; bulkheadFull: number; circuitOpen: number };
  breakerTransitions: { open: number; halfOpen: number; closed: number };
  /** Fallbacks used (answers given instead of the dependency's). */
  fallbacks: number;
  /** Fallbacks used, by the failure they answered. */
  fallbacksByReason: Record<string, number>;
  /** Fallbacks used, by the callee's endpoint (calls that named none are not in here). */
  fallbacksByEndpoint: Record<string, number>;
}

/** Values of one dependency right now. */
export interface DependencyGauges {
  bulkheadActive: number;
  bulkheadQueued: number;
  breakersOpen: number;
  breakersHalfOpen: number;
}

export interface DependencySnapshot {
  counters: DependencyCounters;
  gauges: DependencyGauges;
}

const NO_GAUGES: DependencyGauges = Object.freeze({ bulkheadActive: 0, bulkheadQueued: 0, breakersOpen: 0, breakersHalfOpen: 0 });

function zeroCounters(): DependencyCounters {
  return {
    calls: 0,
    succeeded: 0,
    failed: 0,
    attempts: 0,
    retries: 0,
    retriesByReason: {},
    retriesDenied: { budget: 0, deadline: 0 },
    rejected: { deadlinePassed: 0, bulkheadFull: 0, circuitOpen: 0 },
    breakerTransitions: { open: 0, halfOpen: 0, closed: 0 },
    fallbacks: 0,
    fallbacksByReason: {},
    fallbacksByEndpoint: {},
  };
}

/** Counters and gauges of every dependency of a process. */
export class ResilienceStats {
  readonly #counters = new Map<string, DependencyCounters>();
  readonly #gauges = new Map<string, () => DependencyGauges>();

  /**
   * The live counters of `dependency` (made on first use); the pipeline increments them in place.
   *
   * @param dependency The service called.
   * @example
   * stats.counters('users').calls++;
   */
  counters(dependency: string): DependencyCounters {
    let counters = this.#counters.get(dependency);
    if (!counters) this.#counters.set(dependency, (counters = zeroCounters()));
    return counters;
  }

  /**
   * Registers how to read `dependency`'s gauges; a later registration replaces an earlier one.
   *
   * @param dependency The service called.
   * @param read Reads the gauges at snapshot time.
   * @example
   * stats.gauges('users', () => ({ bulkheadActive: bulkhead.active, bulkheadQueued: bulkhead.queued, breakersOpen: 0, breakersHalfOpen: 0 }));
   */
  gauges(dependency: string, read: () => DependencyGauges): void {
    this.counters(dependency);
    this.#gauges.set(dependency, read);
  }

  /**
   * Counts what an event says.
   *
   * @param event A pipeline event.
   * @example
   * stats.record({ type: 'fallback', dependency: 'users', endpoint: 'getUser', reason: 'circuitOpen' });
   */
  record(event: ResilienceEvent): void {
    const counters = this.counters(event.dependency);
    switch (event.type) {
      case 'retry':
        counters.retries++;
        counters.retriesByReason[event.reason] = (counters.retriesByReason[event.reason] ?? 0) + 1;
        break;
      case 'retry-denied':
        counters.retriesDenied[event.by]++;
        break;
      case 'breaker':
        if (event.to === 'open') counters.breakerTransitions.open++;
        else if (event.to === 'half-open') counters.breakerTransitions.halfOpen++;
        else counters.breakerTransitions.closed++;
        break;
      case 'rejected':
        if (event.reason === 'deadline-passed') counters.rejected.deadlinePassed++;
        else if (event.reason === 'bulkhead-full') counters.rejected.bulkheadFull++;
        else counters.rejected.circuitOpen++;
        break;
      case 'fallback':
        counters.fallbacks++;
        counters.fallbacksByReason[event.reason] = (counters.fallbacksByReason[event.reason] ?? 0) + 1;
        if (event.endpoint !== undefined) counters.fallbacksByEndpoint[event.endpoint] = (counters.fallbacksByEndpoint[event.endpoint] ?? 0) + 1;
        break;
    }
  }

  /**
   * A copy of every dependency's counters with its gauges read now.
   *
   * @example
   * stats.snapshot().users?.counters.retries;
   */
  snapshot(): Record<string, DependencySnapshot> {
    const snapshot: Record<string, DependencySnapshot> = {};
    for (const [dependency, counters] of this.#counters) {
      snapshot[dependency] = { counters: structuredClone(counters), gauges: { ...(this.#gauges.get(dependency)?.() ?? NO_GAUGES) } };
    }
    return snapshot;
  }
}
