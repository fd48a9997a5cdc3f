// The error a pick throws when no instance can take the call: an `Unavailable` (503 /
// UNAVAILABLE) like any other, so hooks and the resilience pipeline treat it the same way.
import { Unavailable } from '../errors/index.js';

/** Why each known instance of a dependency was passed over. */
export interface UnavailableCounts {
  /** Instances the source knows. */
  known: number;
  /** Taken out by passive outlier ejection. */
  ejected: number;
  /** Failing their active `/ready` check. */
  down: number;
  /** Refused by the caller's `isAvailable` (an open per-instance circuit breaker). */
  refused: number;
}

/**
 * No instance of a dependency can take a call right now.
 *
 * @example
 * try { pool.pick(); } catch (err) { if (err instanceof NoInstanceAvailable) return fallback(); throw err; }
 */
export class NoInstanceAvailable extends Unavailable {
  /** The dependency. */
  readonly service: string;
  readonly counts: UnavailableCounts;

  /**
   * @param service The dependency's name.
   * @param counts Why each instance was passed over.
   * @param sourceDescription Where the instances come from, named when none is known.
   */
  constructor(service: string, counts: UnavailableCounts, sourceDescription: string) {
    super(describe(service, counts, sourceDescription), { service, ...counts });
    this.service = service;
    this.counts = counts;
  }
}

function describe(service: string, counts: UnavailableCounts, source: string): string {
  if (counts.known === 0) return `no instance of ${service} is known (${source} lists none yet)`;
  const why = [
    counts.ejected > 0 ? `${counts.ejected} ejected after failures` : '',
    counts.down > 0 ? `${counts.down} failing /ready` : '',
    counts.refused > 0 ? `${counts.refused} with an open circuit breaker` : '',
  ].filter(Boolean);
  return `no instance of ${service} is available (${counts.known} known: ${why.join(', ')})`;
}
