// Starting and stopping one service: its HTTP (and gRPC) server, its event subscriptions and the
// transports to the services it calls, all around one Invoke; and its database, for a service with
// storage (migrated before it listens, part of its readiness, closed after its last request).
import { checkSubscriptions, createPublisher, onceRunner, subscribeAll, type ServiceSubscriptions } from '../bus/index.js';
import { createGrpcServer, type GrpcServer } from '../grpc/server.js';
import { loadHttpApp } from '../http/load-app.js';
import type { ExtraRoutes } from '../http/extra-routes.js';
import { createContextFactory } from '../service/context.js';
import { createInvoke } from '../service/invoke-impl.js';
import { withIdempotencyKeys } from '../service/idempotent-invoke.js';
import { createMemoryIdempotencyStore } from '../idempotency/memory.js';
import { createValidators } from '../validation/index.js';
import { ResilienceStats } from '../resilience/stats.js';
import { resolveFallbacks, withCallFallbacks, type ResolvedFallbacks } from './fallbacks.js';
import { createHttpListener } from './http-listener.js';
import { portError } from './startup-error.js';
import { createTransportFactory, type TransportFactory } from './transports.js';
import type { HostSettings, RunningService, ServiceHostOptions } from './types.js';
import { createCallerTrust } from '../identity/trust.js';
import { createDatabaseReadiness, prepareServiceDatabase } from './service-database.js';
import { createOutbox, type Outbox } from '../storage/outbox/index.js';
import type { Database } from '../storage/index.js';
import { ambientDatabase } from '../storage/ambient.js';
import { createDatabaseIdempotencyStore } from '../idempotency/database.js';
import type { Invoke } from '../service/invoke.js';
import { withSagaEndpoints } from '../saga/endpoints.js';
import { checkSagasHaveStorage, openSagaLog, sagaTimingFromEnv, startServiceSagas, withOwnerStats, type ServiceSagas } from './sagas.js';
import { prepareChoreography, publishRecorderFor, type ServiceChoreography } from './choreography.js';
import { createServiceMetrics } from '../observability/metrics/service.js';
import { meterInProcess } from '../observability/metrics/in-process.js';
import { activeTracer } from '../observability/tracing/tracer.js';
import { messagingSystemOf, tracePublishes, traceSubscriptions } from '../observability/tracing/bus.js';
import { traceInProcess } from '../observability/tracing/in-process.js';
import { createReadiness, dependenciesReport, runtimeChecks, userChecks, type HealthCheckContext, type ReadinessCheck } from '../health/index.js';

/**
 * Starts one service: migrates its database (a service with storage), then listens on its ports,
 * subscribes to its events and joins the process's co-located services. A start that fails stops
 * what it had started (and closes the database it was given) and rejects, a StartupError when the
 * operator can fix it (a port, a missing hook, a missing database, a failed migration).
 *
 * @param options - what generated/<service>/host.ts makes (definition, hooks, clients, `storage`)
 * @param settings - the process's settings: bus, logger, ports, `database` for a service with storage
 * @example
 * const running = await startService(ordersHost(), { bodyLimitBytes: 1_048_576, shutdownGraceMs: 10_000, bus, logger, database });
 * await running.close();
 */
export async function startService(options: ServiceHostOptions, settings: HostSettings): Promise<RunningService> {
  try {
    return await start(options, settings);
  } catch (err) {
    // The database is the service's once handed over: a failed start closes it too (closing twice is harmless).
    await settings.database?.close().catch(() => undefined);
    throw err;
  }
}

async function start(options: ServiceHostOptions, settings: HostSettings): Promise<RunningService> {
  const { definition, events } = options;
  const { logger, bus } = settings;
  const name = definition.name;
  // Before binding any port: a missing event hook is a startup error, not a runtime surprise.
  checkSubscriptions(definition, options.subscriptions, events, options.upgrades);
  // Likewise a fallback the spec names that the hook file does not define.
  const fallbacks = resolveFallbacks(definition, options.fallbacks);
  // Likewise a readiness check the spec declares that the hook file's `healthChecks` lacks.
  const healthChecks = userChecks(definition, options.healthChecks);
  // Likewise sagas without a database for their log.
  checkSagasHaveStorage(options);
  // Migrated before listening: no request ever sees a schema older than the code.
  const db = await prepareServiceDatabase(name, options.storage, settings.database, logger);
  // With a database, an event published inside a transaction is written to the outbox in it and
  // forwarded after commit (runtime/storage/outbox); outside one it goes to the bus as before.
  const outbox = db ? await createOutbox({ db, bus, service: name, logger }) : null;
  try {
    return await serve(options, settings, { fallbacks, healthChecks }, db, outbox);
  } catch (err) {
    await outbox?.close().catch(() => undefined);
    throw err;
  }
}

/** The rest of start(): everything a service with a migrated database (or none) and its outbox needs to serve. */
async function serve(
  options: ServiceHostOptions,
  settings: HostSettings,
  { fallbacks, healthChecks }: { fallbacks: ResolvedFallbacks; healthChecks: readonly ReadinessCheck[] },
  db: Database | undefined,
  outbox: Outbox | null,
): Promise<RunningService> {
  const { definition, schemas, events } = options;
  const { logger, bus } = settings;
  const name = definition.name;
  const validators = createValidators(schemas);
  // One registry per service (its own series, labelled with its name), served on GET /metrics.
  const metrics = settings.metrics === false ? undefined : (settings.metrics ?? createServiceMetrics(name, logger));
  // With identity keys, callers are believed only when signed, and this service signs its own calls.
  const trust = createCallerTrust(settings.identityKeys ?? []);
  // Transports made here are closed here; a transportFor passed in belongs to whoever passed it.
  let transportFor = settings.transportFor;
  let owned: TransportFactory | null = null;
  // Fallback uses around a passed-in transportFor are counted here (its owner keeps the rest).
  let fallbackStats: ResilienceStats | null = null;
  if (!transportFor) {
    owned = createTransportFactory({
      callees: options.callees,
      calls: definition.calls,
      schemas,
      logger,
      discovery: settings.discovery,
      fallbacks,
      colocated: settings.colocated,
      trust,
      caller: name,
    });
    transportFor = owned.transportFor;
  } else if (Object.keys(fallbacks).length > 0) {
    // Its pipelines are out of reach: the fallbacks answer around it, for the same failures.
    const passed = transportFor;
    const stats = (fallbackStats = new ResilienceStats());
    transportFor = (service, kind) => {
      const transport = passed(service, kind);
      const hooks = fallbacks[service];
      if (!hooks) return transport;
      return withCallFallbacks(transport, { service, hooks, call: definition.calls.find((c) => c.service === service), logger, stats });
    };
  }
  if (metrics) {
    // Every call through a generated client is counted per dependency and endpoint (sagas' steps too).
    const unmetered = transportFor;
    transportFor = (service, kind) => metrics.client.metered(service, unmetered(service, kind));
  }
  // Tracing on (a provider registered before the start): publishes, deliveries and co-located calls get spans.
  const tracer = activeTracer(name);
  const messagingSystem = messagingSystemOf(bus);
  let publishingBus = outbox?.bus ?? bus;
  if (tracer) publishingBus = tracePublishes(publishingBus, tracer, name, messagingSystem);
  const plainPublisher = createPublisher({ definition, events, validators, bus: metrics ? metrics.bus.meterPublishes(publishingBus) : publishingBus });
  // A participant of a choreographed saga: its step's outcome is the event its hook publishes.
  const recorder = publishRecorderFor(options);
  const publisher = recorder ? recorder.watch(plainPublisher) : plainPublisher;
  // Hooks' ctx.db joins the transaction the runtime may have opened around them (below).
  const contextFor = createContextFactory({ definition, createClients: options.createClients, transportFor, publisher, db: db && ambientDatabase(db) });
  // One store for event hooks' `ctx.once` and the first answers to requests with an idempotency key.
  // With a database it lives there, and each of those runs in one transaction with the hook's writes.
  const idempotency = db ? await createDatabaseIdempotencyStore(db) : (settings.idempotency ?? createMemoryIdempotencyStore());
  const transaction = db ? unitOfWork(db) : undefined;
  // Sagas' steps may call this service itself, through the invoke made just below (and sagas resumed
  // from the log start at once): bound late, the orchestrator is made first for the endpoints that start sagas.
  const sagaLog = await openSagaLog(options, db);
  const sagaTiming = settings.sagaTiming ?? sagaTimingFromEnv();
  let invoke: Invoke;
  const sagas: ServiceSagas | undefined = sagaLog
    ? startServiceSagas({ host: options, log: sagaLog, transportFor, publisher, invoke: (e, i, m) => invoke(e, i, m), logger, timing: sagaTiming })
    : undefined;
  // What the service subscribes through (its event hooks, and its sagas' compensations and log): traced and counted.
  const tracedBus = tracer ? traceSubscriptions(bus, tracer, name, messagingSystem) : bus;
  const meteredSubscriptions = metrics ? metrics.bus.meterSubscriptions(tracedBus) : tracedBus;
  let choreography: ServiceChoreography;
  try {
    invoke = withSagaEndpoints(
      withIdempotencyKeys(createInvoke({ definition, handlers: options.handlers, validators, contextFor, logger }), {
        definition,
        store: idempotency,
        logger,
        ...(transaction ? { transaction } : {}),
      }),
      { definition, validators, logger, sagas },
    );
    choreography = await prepareChoreography({
      host: options, db, outbox, bus: meteredSubscriptions, validators, contextFor, recorder, publisher, logger, timing: sagaTiming,
      runOnce: onceRunner(idempotency, transaction),
    });
  } catch (err) {
    await sagas?.close();
    throw err;
  }

  let ready = false;
  let grpc: GrpcServer | null = null;
  // Not ready while the database does not answer: calls would only get 503s. Pinged on the probe, cached.
  const database = db ? createDatabaseReadiness(db, { logger, onChange: () => grpc?.readinessChanged() }) : undefined;
  // Not ready while the broker is unreachable: the service would accept calls whose events it cannot publish.
  const readyNow = () => ready && bus.connected !== false && (database?.answering ?? true);
  let draining = false;
  // /ready and gRPC health: the runtime's checks and the spec's, each under its timeout (runtime/health).
  const readiness = createReadiness({
    checks: [
      ...runtimeChecks({ ...(database ? { database: () => database.check() } : {}), busConnected: () => bus.connected !== false }),
      // A service with storage hands its checks the database, as its hooks get it (`ctx.db`).
      ...(db ? healthChecks.map((c) => ({ ...c, run: (ctx: HealthCheckContext) => c.run({ ...ctx, db } as HealthCheckContext) })) : healthChecks),
    ],
    logger,
    phase: () => (draining ? 'draining' : ready ? 'running' : 'starting'),
    onChange: () => grpc?.readinessChanged(),
  });
  const dependenciesNow = () => (owned ? owned.dependencies() : { resilience: fallbackStats?.snapshot() ?? {}, instances: {} });
  const app = await loadHttpApp({
    definition,
    invoke,
    schemas,
    logger,
    bodyLimitBytes: settings.bodyLimitBytes,
    // The context made for a route is this service's own, the one its `<Svc>Routes` was typed with.
    // A service's sagas are shown beside them (GET /sagas/{id}, GET /sagas).
    routes: [...((options.routes ?? []) as ExtraRoutes), ...(sagas?.routes ?? [])],
    contextFor,
    trust,
    isReady: () => readiness.run(),
    // Callees are reported here and never asked by readiness: their outage must not take this service out of its balancers.
    dependencies: () => dependenciesReport(definition.calls.map((c) => c.service), dependenciesNow(), true),
    ...(metrics ? { metrics: metrics.http } : {}),
  }).catch(async (err: unknown) => {
    await sagas?.close();
    throw err;
  });
  const http = createHttpListener(app, logger, settings.http);
  const host = settings.host ?? '0.0.0.0';
  const wantedGrpcPort = settings.grpcPort === undefined ? definition.ports.grpc : settings.grpcPort;

  let httpPort: number;
  let grpcPort: number | null = null;
  let subscriptions: ServiceSubscriptions;
  try {
    httpPort = await http.listen(settings.httpPort ?? definition.ports.http, host, name);
    if (definition.proto && wantedGrpcPort !== null) {
      // The same readiness as /ready: a Check runs the checks (shared with a probe in flight), a Watch
      // stream is told the last answer and each change (runtime/grpc/health.ts).
      grpc = createGrpcServer({ definition, schemas, invoke, logger, trust, ...(metrics ? { metrics: metrics.server } : {}), isReady: () => readiness.run().then((r) => r.ready) });
      grpcPort = await grpc.listen(wantedGrpcPort, host).catch((err: unknown) => {
        throw portError(err, wantedGrpcPort, name, 'grpc') ?? err;
      });
    }
    subscriptions = await subscribeAll({
      definition,
      subscriptions: choreography.subscriptions,
      upgrades: options.upgrades,
      events,
      validators,
      bus: meteredSubscriptions,
      contextFor,
      logger,
      idempotency,
      ...(transaction ? { transaction } : {}),
    });
    await choreography.start().catch(async (err: unknown) => {
      await Promise.allSettled([choreography.close(), subscriptions.close()]);
      throw err;
    });
  } catch (err) {
    await Promise.allSettled([http.drain(0), grpc?.close(0), sagas?.close(), owned?.close()]);
    throw err;
  }

  ready = true;
  // Co-located callers reach the service through its invoke from now on.
  const tracedInvoke = tracer ? traceInProcess(invoke, tracer, name) : invoke;
  const colocation = settings.colocated?.register(definition, metrics ? meterInProcess(tracedInvoke, metrics.server) : tracedInvoke, logger);
  grpc?.readinessChanged();
  // A broker reached later makes the service ready: gRPC health watchers hear of it (HTTP /ready asks each time).
  bus.ready?.().then(() => grpc?.readinessChanged(), () => undefined);
  logger.info({ httpPort, grpcPort }, `${name} started`);

  let closing: Promise<void> | undefined;
  const close = async () => {
    ready = false;
    draining = true;
    grpc?.readinessChanged();
    const grace = settings.shutdownGraceMs;
    const delay = settings.shutdownDelayMs ?? 0;
    if (delay > 0) {
      // Not ready, still serving: load balancers and the gateway stop sending new requests while the
      // ones already on their way are answered, and keep-alive connections are retired one by one.
      logger.info({ delayMs: delay }, `${name} draining: /ready answers 503, still serving`);
      http.retireConnections();
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
    logger.info({ graceMs: grace }, `${name} shutting down`);
    await Promise.all([http.drain(grace), grpc?.close(grace), colocation?.drain(grace)]);
    // No request waits on a saga any more: the sagas in flight reach their next write and are
    // released (another replica resumes them), while their clients and database are still open.
    await sagas?.close().catch((err: unknown) => logger.warn({ err }, `closing the ${name} sagas failed`));
    // Event hooks and in-flight requests may still use clients: close those last.
    await Promise.all([subscriptions.close(), choreography.close()]);
    await owned?.close();
    // Events committed and not yet forwarded stay in the outbox table: the next start forwards them.
    await outbox?.close().catch((err: unknown) => logger.warn({ err }, `closing the ${name} outbox failed`));
    // Last: event hooks and requests in flight were still writing until now.
    await db?.close().catch((err: unknown) => logger.warn({ err }, `closing the ${name} database failed`));
    logger.info(`${name} stopped`);
  };

  const running: RunningService = {
    name,
    httpPort,
    grpcPort,
    get ready() {
      return readyNow();
    },
    sagas() {
      return withOwnerStats(sagas?.report() ?? null, choreography.ownerStats());
    },
    dependencies: dependenciesNow,
    close() {
      closing ??= close();
      return closing;
    },
  };
  // Read when Prometheus scrapes: the pipelines' and sagas' own counters, no second set.
  metrics?.watch(running);
  return running;
}

/**
 * A transaction of the database around `work`, or `work` inside the transaction already running
 * (a hook's `ctx.once` inside its own `ctx.db.transaction`): one unit either way.
 */
function unitOfWork(db: Database): <T>(work: () => Promise<T>) => Promise<T> {
  return (work) => (db.current() ? work() : db.transaction(() => work()));
}
