// Everything one service measures, on its own registry: what start.ts makes once per service.
import type { Registry } from 'prom-client';
import type { Logger } from 'pino';
import type { DependenciesReport } from '../../host/types.js';
import type { SagasReport } from '../../host/sagas.js';
import { BusMetrics } from './bus.js';
import { ClientMetrics } from './client.js';
import { registerResilienceCollectors } from './dependencies.js';
import { httpBindingMetrics, type HttpBindingMetrics } from './http.js';
import { createServiceRegistry, processMetrics } from './registry.js';
import { registerSagaCollectors } from './sagas.js';
import { ServerMetrics } from './server.js';

/**
 * What a running service reports at scrape time.
 *
 * @example
 * metrics.watch({ dependencies: () => running.dependencies(), sagas: () => running.sagas() });
 */
export interface ServiceReports {
  dependencies(): DependenciesReport;
  sagas(): SagasReport | null;
}

/**
 * The metrics of one service: its registry (every series labelled `service="<name>"`) and the
 * meters of each layer.
 *
 * @example
 * const metrics = createServiceMetrics('users', logger);
 */
export interface ServiceMetrics {
  readonly registry: Registry;
  /** Server side, HTTP and gRPC. */
  readonly server: ServerMetrics;
  /** For the HTTP binding: meters per endpoint and GET /metrics. */
  readonly http: HttpBindingMetrics;
  /** Calls to dependencies. */
  readonly client: ClientMetrics;
  /** Published and handled events. */
  readonly bus: BusMetrics;
  /** Registers the collectors that read the running service's resilience and saga reports at scrape time. */
  watch(reports: ServiceReports): void;
}

/**
 * Makes the metrics of one service.
 *
 * @param service - the service's name (the `service` label)
 * @param logger - told when a scrape fails
 * @example
 * const metrics = createServiceMetrics(definition.name, logger);
 * createGrpcServer({ ...options, metrics: metrics.server });
 */
export function createServiceMetrics(service: string, logger: Logger): ServiceMetrics {
  const registry = createServiceRegistry(service);
  // The process's collectors (GC, event loop lag) start with the first service, not the first scrape.
  processMetrics();
  const server = new ServerMetrics(registry);
  let watching = false;
  return {
    registry,
    server,
    http: httpBindingMetrics(registry, server, (err) => logger.warn({ err }, 'metrics scrape failed')),
    client: new ClientMetrics(registry),
    bus: new BusMetrics(registry),
    watch(reports) {
      if (watching) return;
      watching = true;
      registerResilienceCollectors(registry, () => reports.dependencies().resilience);
      // A service without sagas shows no saga series at all (rather than zeros).
      if (reports.sagas() !== null) registerSagaCollectors(registry, () => reports.sagas());
    },
  };
}
