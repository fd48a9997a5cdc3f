// The gateway as its own process (generated/gateway/main.ts calls runGateway): logs, PORT, METRICS_PORT, HOST,
// graceful shutdown on SIGTERM/SIGINT (after SHUTDOWN_DELAY, as the services), and one clear line
// instead of a stack when the port is taken.
import { GATEWAY_METRICS_PORT } from '../../common/probes.js';
import { durationSetting } from '../host/env-values.js';
import { exitOnSignals } from '../host/signals.js';
import { createLogger } from '../logging/index.js';
import { createGateway, type Gateway } from './gateway.js';
import type { GatewayConfig } from './types.js';
import { setupTracing, type TracingSetup } from '../observability/tracing/setup.js';

export interface RunningGateway {
  readonly port: number;
  /** Where `/metrics` is served (METRICS_PORT, else the config's `metricsPort`, else 9464). */
  readonly metricsPort: number;
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
  const metricsFromEnv = process.env['METRICS_PORT'];
  const metricsPort = metricsFromEnv ? Number(metricsFromEnv) : (config.metricsPort ?? GATEWAY_METRICS_PORT);
  if (!Number.isInteger(metricsPort) || metricsPort < 0 || metricsPort > 65535 || (metricsPort === port && port !== 0)) {
    logger.fatal(`METRICS_PORT must be a port number other than PORT (${port}), got '${metricsFromEnv ?? metricsPort}'`);
    process.exit(1);
  }

  let gateway: Gateway;
  let actualPort: number;
  let actualMetricsPort: number;
  let listening = 'PORT';
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
    listening = 'METRICS_PORT';
    actualMetricsPort = await gateway.listenMetrics(metricsPort, process.env['HOST'] || undefined);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    logger.fatal(
      code === 'EADDRINUSE'
        ? `port ${listening === 'PORT' ? port : metricsPort} is already in use: stop the other process or set ${listening}`
        : `gateway cannot start: ${(err as Error).message}`,
    );
    process.exit(1);
  }
  logger.info({ port: actualPort, metricsPort: actualMetricsPort, mesh: config.mesh, routes: config.routes.length }, 'gateway listening');

  // The spans still buffered go out after the last request.
  const close = () => gateway.close().then(() => tracing?.shutdown().catch((err: unknown) => logger.warn({ err }, 'exporting the last spans failed')));
  exitOnSignals(close, logger);

  return { port: actualPort, metricsPort: actualMetricsPort, close };
}
