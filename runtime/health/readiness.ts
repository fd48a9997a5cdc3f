// The service's readiness: every check run concurrently, each under its own timeout, concurrent
// probes sharing one run in flight (a burst of probes costs one database ping, not one per probe).
// A check's change of state (pass -> failing, failing -> pass) is logged once, not on every probe.
import type { Logger } from 'pino';
import { runCheck } from './run-check.js';
import type { CheckResult, ReadinessCheck, ReadinessReport } from './types.js';

/** Where the service is in its life: checks only run while it is `running`. */
export type ServicePhase = 'starting' | 'running' | 'draining';

/**
 * What readiness is built from.
 *
 * @example
 * const options: ReadinessOptions = { checks, logger, phase: () => 'running', onChange: () => grpc?.readinessChanged() };
 */
export interface ReadinessOptions {
  /** The runtime's checks and the user's, in the order `/ready` lists them. */
  readonly checks: readonly ReadinessCheck[];
  readonly logger: Logger;
  /** Asked before each run: starting and draining answer not ready without running the checks. */
  readonly phase: () => ServicePhase;
  /** Called when a run's `ready` differs from the previous run's (gRPC health Watch streams are told). */
  readonly onChange?: (ready: boolean) => void;
}

/**
 * Runs the checks on demand and remembers the last answer.
 *
 * @example
 * const report = await readiness.run();
 * readiness.last?.ready; // the same answer, read synchronously
 */
export interface Readiness {
  /** Runs every check, or joins the run already in flight. Never rejects. */
  run(): Promise<ReadinessReport>;
  /** The last run's report; undefined before the first run. */
  readonly last: ReadinessReport | undefined;
}

/**
 * Readiness over the given checks.
 *
 * @param options - checks, logger, phase, onChange
 * @example
 * const readiness = createReadiness({ checks: [busCheck], logger, phase: () => (started ? 'running' : 'starting') });
 * (await readiness.run()).status; // 'ready'
 */
export function createReadiness(options: ReadinessOptions): Readiness {
  const { checks, logger } = options;
  const failing = new Set<string>();
  let last: ReadinessReport | undefined;
  let inFlight: Promise<ReadinessReport> | undefined;

  const logChanges = (results: readonly CheckResult[]) => {
    for (const result of results) {
      const wasFailing = failing.has(result.name);
      if (result.status !== 'pass' && !wasFailing) {
        failing.add(result.name);
        const effect = result.critical ? '/ready answers 503 until it passes' : 'not critical: the service stays ready, degraded';
        logger.warn({ check: result.name, status: result.status, error: result.error }, `readiness check ${result.name} fails (${result.error ?? result.status}): ${effect}`);
      } else if (result.status === 'pass' && wasFailing) {
        failing.delete(result.name);
        logger.info({ check: result.name }, `readiness check ${result.name} passes again`);
      }
    }
  };

  const settle = (report: ReadinessReport): ReadinessReport => {
    const changed = last !== undefined ? last.ready !== report.ready : !report.ready;
    last = report;
    if (changed) options.onChange?.(report.ready);
    return report;
  };

  const runAll = async (): Promise<ReadinessReport> => {
    const results = await Promise.all(checks.map((check) => runCheck(check, logger)));
    logChanges(results);
    // Starting or draining meanwhile: the run's results are shown, the answer is the phase's.
    const phase = options.phase();
    if (phase !== 'running') return settle({ ready: false, status: phase, checks: results });
    const criticalFails = results.some((r) => r.critical && r.status !== 'pass');
    const anyFails = results.some((r) => r.status !== 'pass');
    return settle({ ready: !criticalFails, status: criticalFails ? 'not ready' : anyFails ? 'degraded' : 'ready', checks: results });
  };

  return {
    run() {
      const phase = options.phase();
      if (phase !== 'running') return Promise.resolve(settle({ ready: false, status: phase, checks: [] }));
      inFlight ??= runAll().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
    get last() {
      return last;
    },
  };
}
