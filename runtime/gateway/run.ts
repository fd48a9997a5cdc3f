// The gateway as its own process (generated/gateway/main.ts calls runGateway): logs, PORT, HOST,
// graceful shutdown on SIGTERM/SIGINT (after SHUTDOWN_DELAY, as the services), and one clear line
// instead of a stack when the port is taken.
import { durationSetting } from '../host/env-values.js';
import { exitOnSignals } from '../host/signals.js';
import { createLogger } from '../logging/index.js';
import { createGateway, type Gateway } from './gateway.js';
import type { GatewayConfig } from './types.js';
import { setupTracing, type TracingSetup } from '../observability/tracing/setup.js';

export interface RunningGateway {
  readonly port: number;
  close(): Promise<void>;
}

export async function runGateway(config: GatewayConfig): Promise<RunningGateway> {
  const logger = createLogger({ service: 'gateway' });
  const fromEnv = process.env['PORT'];
  const port = fromEnv ? Number(fromEnv) : config.port;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    logger.fatal(`PORT must be a port number, got '${fromEnv}'`);
    process.exit(1);
  }

  let gateway: Gateway;
  let actualPort: number;
  let tracing: TracingSetup | null = null;
  try {
    // Before the gateway asks for its tracer: exported over OTLP when the OTEL_* variables say so.
    tracing = await setupTracing('gateway');
    // Throws on a malformed MESH_<SERVICE>_HTTP or SHUTDOWN_DELAY, or a Redis rate limit without
    // RATE_LIMIT_REDIS_URL. SHUTDOWN_DELAY unset (as in `meshspec dev`), a signal stops at once.
    const delay = process.env['SHUTDOWN_DELAY'];
    gateway = createGateway(config, {
      logger,
      rateLimitRedisUrl: process.env['RATE_LIMIT_REDIS_URL'] || undefined,
      shutdownDelayMs: delay ? durationSetting('SHUTDOWN_DELAY', delay) : 0,
    });
    // HOST as for the services: every interface in a container unless the environment narrows it.
    actualPort = await gateway.listen(port, process.env['HOST'] || undefined);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    logger.fatal(
      code === 'EADDRINUSE'
        ? `port ${port} is already in use: stop the other process or set PORT`
        : `gateway cannot start: ${(err as Error).message}`,
    );
    process.exit(1);
  }
  logger.info({ port: actualPort, mesh: config.mesh, routes: config.routes.length }, 'gateway listening');

  // The spans still buffered go out after the last request.
  const close = () => gateway.close().then(() => tracing?.shutdown().catch((err: unknown) => logger.warn({ err }, 'exporting the last spans failed')));
  exitOnSignals(close, logger);

  return { port: actualPort, close };
}
