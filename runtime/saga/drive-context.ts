// What driving a saga needs from its orchestrator.
import type { ResolvedOptions } from './options.js';
import type { SagaStats } from './stats.js';

/**
 * Driving stopped before the saga reached a final state: the orchestrator is closing, or lost the
 * saga's lease. The saga stays in flight in the log; a replica resumes it.
 *
 * @example
 * try { await driveSaga(ctx, loaded); } catch (err) { if (!(err instanceof DriveStopped)) throw err; }
 */
export class DriveStopped extends Error {
  constructor(readonly sagaId: string, reason: string) {
    super(`saga ${sagaId}: driving stopped (${reason})`);
    this.name = 'DriveStopped';
  }
}

/**
 * The orchestrator as the driving code sees it.
 *
 * @example
 * ctx.checkpoint(sagaId); // throws DriveStopped once closing
 */
export interface DriveContext {
  readonly options: ResolvedOptions;
  readonly stats: SagaStats;
  /** Throws DriveStopped when the orchestrator closes or the saga's lease was lost. */
  checkpoint(sagaId: string): void;
  /** Waits `ms` (the options' sleep); resolves early when the orchestrator closes (the next checkpoint stops). */
  pause(ms: number): Promise<void>;
}
