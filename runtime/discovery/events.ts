// What discovery and balancing report about instances: the caller logs them (with the dependency)
// and counts them; nothing here logs on its own.

/** One thing that happened to an instance or a source. */
export type DiscoveryEvent =
  /** Passive outlier ejection took the instance out of the pool until `until` (epoch ms). */
  | { type: 'ejected'; address: string; reason: 'consecutive-failures' | 'failure-ratio'; ejections: number; durationMs: number; until: number }
  /** The instance was due for ejection but the pool already has its maximum share ejected. */
  | { type: 'ejection-skipped'; address: string; reason: 'consecutive-failures' | 'failure-ratio'; ejected: number; size: number }
  /** The ejection time passed: the instance is back, on probation (one failure ejects it again). */
  | { type: 'returned'; address: string; ejections: number }
  /** An active `/ready` check failed: the instance is out of the pool until one passes. */
  | { type: 'down'; address: string; reason: string }
  /** A `/ready` check passed again. */
  | { type: 'up'; address: string }
  /** A source's set of instances changed. */
  | { type: 'instances-changed'; source: string; added: string[]; removed: string[]; count: number }
  /** A DNS refresh failed (reported once per distinct error); the last good set stays. */
  | { type: 'resolve-failed'; source: string; error: string; kept: number }
  /** A DNS refresh succeeded after failing. */
  | { type: 'resolve-recovered'; source: string; count: number };

/** Receives discovery events; must not throw (an exception is swallowed so it cannot break a call). */
export type DiscoveryObserver = (event: DiscoveryEvent) => void;

/**
 * Calls `observer` (if any) with `event`, shielding the caller from the observer's exceptions.
 *
 * @param observer The observer, or `undefined` for none.
 * @param event What happened.
 * @example
 * report((e) => logger.warn(e, 'discovery'), { type: 'up', address: 'http://a:3001' });
 */
export function report(observer: DiscoveryObserver | undefined, event: DiscoveryEvent): void {
  if (!observer) return;
  try {
    observer(event);
  } catch {
    // An observer is for logs and counters; its failure must never fail the call that triggered it.
  }
}
