// SIGTERM (Kubernetes) and SIGINT (Ctrl-C) -> graceful stop -> exit 0. A second signal while
// stopping exits at once: the operator means it.
import type { Logger } from 'pino';

export function exitOnSignals(stop: () => Promise<void>, logger: Logger): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'stopping');
    stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

/** Logs why startup failed in one line (a stack only for errors nobody anticipated) and exits 1. */
export function exitOnStartupFailure(err: unknown, logger: Logger, expected: (err: unknown) => boolean): never {
  if (expected(err)) logger.fatal((err as Error).message);
  else logger.fatal({ err }, `startup failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
