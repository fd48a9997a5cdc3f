// Runs one check under its timeout: a check that never settles counts as `timeout` when the timeout
// passes (its signal is aborted so it may stop), and the probe goes on without it.
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { boundedMessage } from './message.js';
import type { CheckResult, ReadinessCheck } from './types.js';

/**
 * The check's outcome: `pass` when it resolves in time, `fail` with its bounded message when it
 * throws, `timeout` when its timeout passes first.
 *
 * @param check - the check and its settings
 * @param logger - handed to the check in its context
 * @example
 * const result = await runCheck({ name: 'ledger', timeoutMs: 500, critical: true, run: async () => undefined }, logger);
 * result.status; // 'pass'
 */
export async function runCheck(check: ReadinessCheck, logger: Logger): Promise<CheckResult> {
  const controller = new AbortController();
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), check.timeoutMs);
  });
  const ran = Promise.resolve()
    .then(() => check.run({ signal: controller.signal, logger }))
    .then(
      () => ({ status: 'pass' as const }),
      (error: unknown) => ({ status: 'fail' as const, error: boundedMessage(error) }),
    );
  try {
    const outcome = await Promise.race([ran, timedOut]);
    const durationMs = Math.round(performance.now() - started);
    const base = { name: check.name, critical: check.critical, durationMs };
    if (outcome === 'timeout') {
      controller.abort(new Error(`the ${check.name} check took longer than ${check.timeoutMs}ms`));
      return { ...base, status: 'timeout', error: `no answer within ${check.timeoutMs}ms` };
    }
    return outcome.status === 'pass' ? { ...base, status: 'pass' } : { ...base, status: 'fail', error: outcome.error };
  } finally {
    clearTimeout(timer);
  }
}
