// What an orchestrator counts since it started (its own work, not the whole log: `counts()` is).

/**
 * Counters of one orchestrator.
 *
 * @example
 * if (orchestrator.stats().stuck > 0) alert('a saga needs a person');
 */
export interface SagaStats {
  /** Sagas this orchestrator started. */
  started: number;
  /** Sagas taken over from the log after their lease expired (a crashed or stopped replica's). */
  resumed: number;
  completed: number;
  compensated: number;
  /** Sagas whose compensation kept failing: they need a person. */
  stuck: number;
  /** Compensation calls that succeeded (404 included). */
  compensations: number;
  /** Step attempts repeated after an unknown outcome. */
  stepRetries: number;
  /** Compensation attempts repeated after a failure. */
  compensationRetries: number;
  /** Sagas this orchestrator stopped driving because another replica took the lease. */
  leasesLost: number;
}

/**
 * Zeroed counters.
 *
 * @example
 * const stats = emptyStats();
 */
export function emptyStats(): SagaStats {
  return { started: 0, resumed: 0, completed: 0, compensated: 0, stuck: 0, compensations: 0, stepRetries: 0, compensationRetries: 0, leasesLost: 0 };
}
