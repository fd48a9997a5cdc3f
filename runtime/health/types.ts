// The shapes of readiness: a check as the runtime runs it, one check's outcome, and the whole answer
// `/ready` gives (and gRPC health reads).
import type { Logger } from 'pino';

/**
 * What a user's check gets: a signal aborted when its timeout passes (hand it to what the check
 * awaits, so the work stops too), and the service's logger.
 *
 * @example
 * const ledger = async (ctx: HealthCheckContext) => { await access('/var/ledger', constants.W_OK); ctx.logger.debug('ledger writable'); };
 */
export interface HealthCheckContext {
  readonly signal: AbortSignal;
  readonly logger: Logger;
}

/** A check: resolves when healthy, throws (or rejects) with the reason when not. */
export type HealthCheckFunction = (ctx: HealthCheckContext) => Promise<void>;

/**
 * One readiness check with its settings: the runtime's own (`database`, `bus`) or one the spec declares.
 *
 * @example
 * const check: ReadinessCheck = { name: 'ledger', timeoutMs: 500, critical: true, run: async () => undefined };
 */
export interface ReadinessCheck {
  readonly name: string;
  /** A check still running after this long counts as failed (`timeout`); the probe never waits longer. */
  readonly timeoutMs: number;
  /** A failing critical check makes the service not ready; a failing non-critical one only degrades it. */
  readonly critical: boolean;
  readonly run: HealthCheckFunction;
}

/** `pass`, `fail` (threw), `timeout` (still running at its timeout). */
export type CheckStatus = 'pass' | 'fail' | 'timeout';

/**
 * One check's outcome, as `/ready` lists it.
 *
 * @example
 * const result: CheckResult = { name: 'database', status: 'pass', critical: true, durationMs: 3 };
 */
export interface CheckResult {
  readonly name: string;
  readonly status: CheckStatus;
  readonly critical: boolean;
  readonly durationMs: number;
  /** Why it failed: one line, bounded, without a stack or an address (see boundedMessage). */
  readonly error?: string;
}

/** `ready` (every check passes), `degraded` (a non-critical one fails), `not ready` (a critical one fails), `starting`, `draining`. */
export type ReadinessStatus = 'ready' | 'degraded' | 'not ready' | 'starting' | 'draining';

/**
 * The answer to `/ready`: ready (200) or not (503), the status in words and each check.
 *
 * @example
 * const report: ReadinessReport = { ready: true, status: 'degraded', checks: [{ name: 'cache', status: 'timeout', critical: false, durationMs: 200, error: 'no answer within 200ms' }] };
 */
export interface ReadinessReport {
  readonly ready: boolean;
  readonly status: ReadinessStatus;
  readonly checks: readonly CheckResult[];
}
