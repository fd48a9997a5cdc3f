// SIGTERM (Kubernetes) and SIGINT (Ctrl-C) -> graceful stop -> exit 0. A second signal while
// stopping exits at once: the operator means it. Started through npm (`npx meshspec dev`, `npm start`),
// npm's own stop reaches us only through the parent watch, which stops us the same way.
import type { Logger } from 'pino';
import { watchNpmParent, watchSupervisor } from './parent-watch.js';

export function exitOnSignals(stop: () => Promise<void>, logger: Logger): void {
  let stopping = false;
  let signalled = false;
  const begin = (fields: { signal: NodeJS.Signals } | { reason: string }) => {
    if (stopping) return;
    stopping = true;
    unwatch();
    logger.info(fields, 'stopping');
    stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  const onSignal = (signal: NodeJS.Signals) => {
    // Only a signal after a signal means "now": the watch may notice npm's stop a moment before the
    // same stop's signal arrives (Ctrl-C reaches npm, the shell and us together).
    if (signalled) {
      logger.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    signalled = true;
    begin({ signal });
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  const unwatchNpm = watchNpmParent((reason) => begin({ reason }));
  const unwatchSupervisor = watchSupervisor((reason) => begin({ reason }));
  const unwatch = () => (unwatchNpm(), unwatchSupervisor());
}

/** Logs why startup failed in one line (a stack only for errors nobody anticipated) and exits 1. */
export function exitOnStartupFailure(err: unknown, logger: Logger, expected: (err: unknown) => boolean): never {
  if (expected(err)) logger.fatal((err as Error).message);
  else logger.fatal({ err }, `startup failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
