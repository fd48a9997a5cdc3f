// `meshspec dev`: the whole stack in one process. One memory bus shared by every service, each
// service on its spec ports with its log lines prefixed (`[users] …`), the gateway in front. Calls
// between the services skip the network (runtime/host/colocated.ts) unless `MESH_COLOCATE=off`.
// A service with storage gets PGlite in `.meshspec/data/<service>` (in memory with `MESH_DATA=memory`),
// or PostgreSQL when `MESH_<SERVICE>_DATABASE_URL` (or, for a lone service with storage, `DATABASE_URL`) is set.
import type { Level, Logger } from 'pino';
import type { Registry } from 'prom-client';
import { createMemoryBus, type MemoryBus, type MemoryBusOptions } from '../bus/memory.js';
import type { BusDefaults } from '../bus/settings.js';
import type { DiscoveryOverrides } from '../discovery/index.js';
import { createGateway } from '../gateway/index.js';
import type { GatewayConfig } from '../gateway/types.js';
import { colocationFromEnv, createColocatedRegistry, type ColocatedRegistry } from '../host/colocated.js';
import { databaseOpener } from '../host/database-config.js';
import { exitOnSignals } from '../host/signals.js';
import { startService } from '../host/start.js';
import { StartupError } from '../host/startup-error.js';
import type { RunningService, ServiceHostOptions } from '../host/types.js';
import type { Database } from '../storage/index.js';
import { createLogger, createPrefixedDestination } from '../logging/index.js';
import { banner } from './banner.js';
import { GATEWAY_METRICS_PORT } from '../../common/probes.js';
import { keptDatabases } from './kept-databases.js';
import { createServiceMetrics } from '../observability/metrics/service.js';
import { createGatewayMetrics } from '../observability/metrics/gateway.js';
import { DEFAULT_DASHBOARD_PORT, startDashboard, type Dashboard } from './dashboard/index.js';
import { catalogEvents } from './dashboard/catalog.js';
import { createEventsSource } from './dashboard/events.js';
import type { TraceStore } from './dashboard/sources.js';
import { createTraceStore, teeLogLines } from './dashboard/traces/index.js';
import { setupTracing, type TracingSetup } from '../observability/tracing/setup.js';

export { banner, type BannerContent } from './banner.js';

/** What generated/stack.ts exports. */
export interface DevStack {
  mesh: string;
  services: readonly (() => ServiceHostOptions)[];
  gateway: GatewayConfig | null;
  runtime: { bodyLimitBytes: number; shutdownGraceMs: number; bus?: BusDefaults };
}

export interface StackOptions {
  /** Per-service port overrides (0 = any free port). */
  ports?: Readonly<Record<string, { http?: number; grpc?: number | null }>>;
  /** Gateway port override (0 = any free port). */
  gatewayPort?: number;
  /**
   * The gateway's metrics port (0 = any free port). Default: any free port when `gatewayPort` is 0
   * (a second stack beside the first), else the spec's `gateway.metricsPort` (9464 unless set).
   */
  gatewayMetricsPort?: number;
  /** Default 127.0.0.1: a dev stack is not meant to be reachable from other machines. */
  host?: string;
  /** Where the readable log lines and the banner go. Default stdout. */
  output?: { write(text: string): unknown };
  /** Default: `LOG_LEVEL`, then info. */
  logLevel?: Level | 'silent';
  bus?: Omit<MemoryBusOptions, 'logger'>;
  /** Spec file of each service, named in port hints. Default `spec/services/<name>.yaml`. */
  specFiles?: Readonly<Record<string, string>>;
  /** Default `spec/mesh.yaml`. */
  meshFile?: string;
  /**
   * Where the services find each other in process: a registry to share (e.g. with services started
   * beside the stack), or false for every call over loopback. Default: a registry of the stack's own,
   * unless `MESH_COLOCATE=off`.
   */
  colocated?: ColocatedRegistry | false;
  /**
   * How long the gateway and the services keep serving with /ready at 503 once the stack closes, ms.
   * Default 0: in development Ctrl-C stops at once (`meshspec dev` passes an explicit `SHUTDOWN_DELAY`).
   */
  shutdownDelayMs?: number;
  /**
   * Where services with storage keep their PGlite data: a folder holding one `<service>/` folder
   * each, or `memory` (gone when the stack stops). Default `MESH_DATA`, else `.meshspec/data` under
   * the working directory (the project root under `meshspec dev`).
   */
  data?: string;
  /** Where `MESH_DATA`, `DATABASE_URL` and `MESH_<SERVICE>_DATABASE_URL` are read; default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * The dashboard (runtime/dev/dashboard), started once the stack is up: its port (default 9400, 0
   * for any free one), the development token its API explorer sends, and the trace store the
   * stack's tracer provider feeds (default a fresh one: then it holds the log lines only, unless a
   * provider was set up with its processor). Default none (`runStack` turns it on).
   */
  dashboard?: DashboardSettings | false;
}

/**
 * The dev stack's dashboard settings.
 *
 * @example
 * const traces = createTraceStore();
 * await startStack(stack, { dashboard: { port: 0, token, traces } });
 */
export interface DashboardSettings {
  port?: number;
  token?: string | undefined;
  traces?: TraceStore;
}

/**
 * The metrics registries of a running stack: the gateway's (null without one) and each service's,
 * as Prometheus scrapes them.
 *
 * @example
 * const { services } = running.metrics();
 * await services['orders']?.getSingleMetric('meshspec_client_calls_total')?.get();
 */
export interface StackMetrics {
  readonly gateway: Registry | null;
  readonly services: Readonly<Record<string, Registry>>;
}

export interface RunningStack {
  readonly services: Readonly<Record<string, RunningService>>;
  /** Per service: `http://host:port` and `host:port` for gRPC. */
  readonly urls: Readonly<Record<string, { http: string; grpc: string | null }>>;
  readonly gatewayUrl: string | null;
  /** The gateway's `/metrics` URL, on its own listener; null when the mesh has no gateway. */
  readonly gatewayMetricsUrl: string | null;
  readonly bus: MemoryBus;
  /**
   * Stops the service of that name (if it runs) and starts the one `host` describes in its place,
   * on the same ports (the spec's new ones when they changed and were not overridden), on the same
   * open database (closed and opened again only when its storage settings changed); the other
   * services, the bus and its subscribers keep running.
   * A start that fails leaves the service stopped and rejects (a StartupError with a fix hint).
   *
   * @param host - the service's fresh host options (a new generated/<service>/host.ts)
   * @example
   * await running.restartService(ordersHost());
   */
  restartService(host: ServiceHostOptions): Promise<RunningService>;
  /**
   * Stops a service and takes it out of the stack (its spec was removed).
   *
   * @param name - the service's name
   * @example
   * await running.stopService('reminders');
   */
  stopService(name: string): Promise<void>;
  /**
   * Replaces the gateway by one of `config` (null: none) on the port the current one listens on (or
   * its spec port when there was none), once the current one has let its requests finish.
   *
   * @param config - the gateway's new configuration
   * @example
   * await running.replaceGateway({ ...gatewayConfig, openapi: gatewayOpenApi });
   */
  replaceGateway(config: GatewayConfig | null): Promise<void>;
  /** The services' host options as they run now (a restart under --watch brings new ones). */
  hosts(): readonly ServiceHostOptions[];
  /** The gateway's configuration as it runs now (replaceGateway changes it); null without a gateway. */
  gatewayConfig(): GatewayConfig | null;
  /** The metrics registries of the gateway and of each service as they run now. */
  metrics(): StackMetrics;
  /** Whether calls between the stack's services run in process (co-located). */
  readonly colocated: boolean;
  /** Where the dashboard listens (`http://127.0.0.1:9400`); null when the stack has none. */
  readonly dashboardUrl: string | null;
  /** Closes the gateway, then the services, then the bus. */
  close(): Promise<void>;
}

/** Starts the stack; rejects (after stopping what had started) with a StartupError carrying a fix hint. */
export async function startStack(stack: DevStack, options: StackOptions = {}): Promise<RunningStack> {
  const host = options.host ?? '127.0.0.1';
  // The dashboard's trace store keeps the log lines written inside each trace: it hears every raw line.
  const traces = options.dashboard ? (options.dashboard.traces ?? createTraceStore()) : undefined;
  const destination = teeLogLines(createPrefixedDestination(options.output ?? process.stdout), traces?.recordLogLine);
  const loggerFor = (service: string): Logger => createLogger({ service, level: options.logLevel, destination });
  // The spec's retry settings apply in memory too, so a handler fails in dev as it will in production.
  const specBus = stack.runtime.bus;
  const retries = specBus
    ? { maxAttempts: specBus.maxAttempts, retryDelayMs: specBus.retryDelayMs, maxRetryDelayMs: specBus.maxRetryDelayMs }
    : {};
  const bus = createMemoryBus({ ...retries, ...options.bus, logger: loggerFor('bus') });
  const discovery: Required<DiscoveryOverrides> = { http: {}, grpc: {} };
  const services: Record<string, RunningService> = {};
  // Each service's registry, made here (not by the host) so the dashboard reads the same counters Prometheus would.
  const registries: Record<string, Registry> = {};
  let gatewayRegistry: Registry | null = null;
  let gatewayConfig: GatewayConfig | null = null;
  const urls: Record<string, { http: string; grpc: string | null }> = {};
  let gateway: { close(): Promise<void> } | null = null;
  let gatewayUrl: string | null = null;
  let gatewayPort: number | null = null;
  let gatewayMetricsUrl: string | null = null;
  let gatewayMetricsPort: number | null = null;
  const address = (port: number) => `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const colocated = options.colocated === false ? undefined : (options.colocated ?? (colocationFromEnv() ? createColocatedRegistry() : undefined));
  // The services' host options as last started: a restart opens its database among them (which ones have storage counts).
  let hosts: ServiceHostOptions[] = [];

  // Open across restarts of their services (--watch): closed here once their service stopped for good.
  const databases = keptDatabases();

  let dashboard: Dashboard | null = null;
  const close = async () => {
    // First: its streams and polls would otherwise see every node go down.
    await dashboard?.close();
    await gateway?.close();
    await Promise.all(Object.values(services).map((s) => s.close()));
    await databases.closeAll();
    await bus.close();
  };

  const databaseSource = {
    mode: 'dev' as const,
    ...(options.env ? { env: options.env } : {}),
    ...(options.data !== undefined ? { dataRoot: options.data } : {}),
    logger: loggerFor('database'),
  };

  const startOne = async (hostOptions: ServiceHostOptions, database: Database | undefined, ports: { http?: number; grpc?: number | null } | undefined) => {
    const name = hostOptions.definition.name;
    const logger = loggerFor(name);
    const metrics = createServiceMetrics(name, logger);
    const service = await startService(hostOptions, {
      bodyLimitBytes: stack.runtime.bodyLimitBytes,
      shutdownGraceMs: stack.runtime.shutdownGraceMs,
      shutdownDelayMs: options.shutdownDelayMs ?? 0,
      httpPort: ports?.http,
      grpcPort: ports?.grpc,
      host,
      bus,
      logger,
      metrics,
      // Filled in as services start; callees resolve addresses on their first call.
      discovery,
      colocated,
      // Opened right before its service starts, which closes it when it stops (or fails to start).
      database,
    });
    services[name] = service;
    registries[name] = metrics.registry;
    urls[name] = { http: `http://${address(service.httpPort)}`, grpc: service.grpcPort === null ? null : address(service.grpcPort) };
    discovery.http[name] = urls[name].http;
    if (service.grpcPort !== null) discovery.grpc[name] = address(service.grpcPort);
    else delete discovery.grpc[name];
    return service;
  };

  const forget = (name: string) => {
    delete services[name];
    delete registries[name];
    delete urls[name];
    delete discovery.http[name];
    delete discovery.grpc[name];
  };

  const startGateway = async (config: GatewayConfig, wanted: number, wantedMetrics: number) => {
    const logger = loggerFor('gateway');
    const metrics = createGatewayMetrics((err) => logger.warn({ err }, 'metrics scrape failed'));
    const created = createGateway(config, {
      logger,
      metrics,
      shutdownGraceMs: stack.runtime.shutdownGraceMs,
      shutdownDelayMs: options.shutdownDelayMs ?? 0,
      resolveOrigin: (service) => {
        const url = urls[service]?.http;
        if (!url) throw new StartupError(`the gateway routes to '${service}', which is not part of the stack`);
        return url;
      },
    });
    const port = await created.listen(wanted, host).catch(async (err: unknown) => {
      await created.close().catch(() => undefined);
      throw isPortInUse(err)
        ? new StartupError(`port ${wanted} (gateway) is already in use`, { service: 'gateway', port: wanted, code: 'EADDRINUSE' })
        : err;
    });
    gateway = created;
    gatewayConfig = config;
    gatewayRegistry = metrics.registry;
    gatewayPort = port;
    gatewayUrl = `http://${address(port)}`;
    const metricsPort = await created.listenMetrics(wantedMetrics, host).catch((err: unknown) => {
      throw isPortInUse(err)
        ? new StartupError(`port ${wantedMetrics} (gateway metrics) is already in use`, { service: 'gateway', listener: 'metrics', port: wantedMetrics, code: 'EADDRINUSE' })
        : err;
    });
    gatewayMetricsPort = metricsPort;
    gatewayMetricsUrl = `http://${address(metricsPort)}/metrics`;
  };
  // The metrics listener's port: a free one when the gateway takes a free one, else the spec's.
  const metricsPortOf = (config: GatewayConfig) => options.gatewayMetricsPort ?? (options.gatewayPort === 0 ? 0 : (config.metricsPort ?? GATEWAY_METRICS_PORT));

  try {
    hosts = stack.services.map((makeHost) => makeHost());
    // Every database's configuration is checked before the first service starts.
    const databaseFor = databaseOpener(hosts, databaseSource);
    for (const hostOptions of hosts) {
      await startOne(hostOptions, await databases.open(hostOptions, () => databaseFor(hostOptions)), options.ports?.[hostOptions.definition.name]);
    }
    if (stack.gateway) await startGateway(stack.gateway, options.gatewayPort ?? stack.gateway.port, metricsPortOf(stack.gateway));
  } catch (err) {
    await close().catch(() => undefined);
    throw withHint(err, options);
  }

  const stopService = async (name: string) => {
    const current = services[name];
    hosts = hosts.filter((h) => h.definition.name !== name);
    forget(name);
    await current?.close();
    await databases.close(name);
  };

  const running: RunningStack = {
    services,
    urls,
    get dashboardUrl() {
      return dashboard?.url ?? null;
    },
    get gatewayUrl() {
      return gatewayUrl;
    },
    get gatewayMetricsUrl() {
      return gatewayMetricsUrl;
    },
    bus,
    close,
    stopService,
    hosts: () => hosts,
    gatewayConfig: () => gatewayConfig,
    metrics: () => ({ gateway: gatewayRegistry, services: { ...registries } }),
    colocated: colocated !== undefined,
    async restartService(hostOptions) {
      const name = hostOptions.definition.name;
      const current = services[name];
      // Overridden ports (free ones included) stay what the service got; spec ports follow the spec.
      const override = options.ports?.[name];
      const ports = current && override
        ? { http: current.httpPort, grpc: hostOptions.definition.proto && override.grpc !== null ? (current.grpcPort ?? 0) : null }
        : override;
      const others = hosts.filter((h) => h.definition.name !== name);
      // Checked before the running service stops: a configuration error leaves it serving.
      const databaseFor = databaseOpener([...others, hostOptions], databaseSource);
      await current?.close();
      forget(name);
      hosts = [...others, hostOptions];
      try {
        return await startOne(hostOptions, await databases.open(hostOptions, () => databaseFor(hostOptions)), ports);
      } catch (err) {
        hosts = others;
        throw withHint(err, options);
      }
    },
    async replaceGateway(config) {
      const wanted = gatewayPort ?? options.gatewayPort ?? config?.port ?? 0;
      const wantedMetrics = gatewayMetricsPort ?? (config ? metricsPortOf(config) : 0);
      await gateway?.close();
      gateway = null;
      gatewayConfig = null;
      gatewayRegistry = null;
      gatewayUrl = null;
      gatewayMetricsUrl = null;
      if (!config) return;
      try {
        await startGateway(config, wanted, wantedMetrics);
      } catch (err) {
        throw withHint(err, options);
      }
    },
  };
  if (options.dashboard && traces) {
    try {
      dashboard = await startDashboard({
        port: options.dashboard.port ?? DEFAULT_DASHBOARD_PORT,
        host,
        stack,
        running,
        traces,
        events: createEventsSource({ bus, events: () => catalogEvents(hosts) }),
        token: options.dashboard.token,
        logger: loggerFor('dashboard'),
      });
    } catch (err) {
      await close().catch(() => undefined);
      throw withHint(err, options);
    }
  }
  return running;
}

/**
 * The `meshspec dev` entry: starts the stack and its dashboard (unless `dashboard: false`), prints
 * a banner and stops everything on Ctrl-C or SIGTERM (exit 0). A start that fails prints one line
 * and exits 1. Every span goes to the dashboard's trace store, and over OTLP too when the OTEL_*
 * variables say so.
 *
 * @param stack - what generated/stack.ts exports
 * @param options - ports, the dashboard's settings, ...
 * @example
 * const running = await runStack(stack, { dashboard: { port: 9400, token } });
 */
export async function runStack(stack: DevStack, options: StackOptions = {}): Promise<RunningStack> {
  const output = options.output ?? process.stdout;
  let running: RunningStack;
  let tracing: TracingSetup | null = null;
  const dashboard = options.dashboard === false ? false : { ...options.dashboard, traces: options.dashboard?.traces ?? createTraceStore() };
  try {
    // Spans exported over OTLP when the OTEL_* variables say so (a local collector or Jaeger, say),
    // and kept for the dashboard: set up before the services start, which take their tracer then.
    tracing = await setupTracing(stack.mesh, process.env, dashboard ? { spanProcessors: [dashboard.traces.processor] } : {});
    running = await startStack(stack, { ...options, dashboard });
  } catch (err) {
    const text = err instanceof StartupError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err);
    output.write(`meshspec dev: ${text}\n`);
    process.exit(1);
  }
  output.write(banner(stack.mesh, { gatewayUrl: running.gatewayUrl, gatewayMetricsUrl: running.gatewayMetricsUrl, urls: running.urls, dashboardUrl: running.dashboardUrl }));
  const closeStack = running.close;
  const close = () => closeStack().then(() => tracing?.shutdown().catch(() => undefined));
  exitOnSignals(close, createLogger({ service: 'dev', level: options.logLevel, destination: createPrefixedDestination(output) }));
  // Not a spread: gatewayUrl is a getter (a replaced gateway may listen elsewhere).
  return Object.assign(running, { close });
}

/** Adds where to change the port to a port-in-use StartupError. */
function withHint(err: unknown, options: StackOptions): unknown {
  if (!(err instanceof StartupError) || err.details.code !== 'EADDRINUSE') return err;
  const { service, listener } = err.details;
  if (service === 'dashboard') {
    return new StartupError(`${err.message}: stop the process holding it, or run meshspec dev --dashboard-port <another port> (or --no-dashboard)`, err.details, { cause: err });
  }
  const where =
    service === 'gateway'
      ? `gateway.${listener === 'metrics' ? 'metricsPort' : 'port'} in ${options.meshFile ?? 'spec/mesh.yaml'}`
      : `ports.${listener} in ${options.specFiles?.[service as string] ?? `spec/services/${service}.yaml`}`;
  return new StartupError(`${err.message}: stop the process holding it or change ${where}`, err.details, { cause: err });
}

function isPortInUse(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === 'EADDRINUSE' || /EADDRINUSE/.test(String(err));
}
