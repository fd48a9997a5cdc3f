// What generated/<service>/host.ts hands the runtime to start a service.
import type { Logger } from 'pino';
import type { EventBus } from '../bus/types.js';
import type { IdempotencyStore } from '../idempotency/types.js';
import type { DiscoveryOverrides, InstanceStats } from '../discovery/index.js';
import type { DependencySnapshot } from '../resilience/stats.js';
import type { ExtraRoutes } from '../http/extra-routes.js';
import type { ColocatedRegistry } from './colocated.js';
import type { CallOptions, ClientTransport } from '../transport/types.js';
import type { EventCatalog, ServiceDefinition } from '../service/definition.js';
import type { SchemaRegistry } from '../validation/types.js';
import type { HttpListenerOptions } from './http-listener.js';
import type { IdentityKey } from '../identity/keys.js';
import type { Database } from '../storage/types.js';
import type { SagaDefinition, StepCall } from '../saga/types.js';
import type { SagaTiming, SagasReport } from './sagas.js';
import type { ServiceMetrics } from '../observability/metrics/service.js';

/**
 * A service's storage, as its generated host.ts declares it: the service gets a database (`ctx.db`)
 * migrated from `migrationsDir` before it listens.
 *
 * @example
 * const storage: ServiceStorage = { migrationsDir: fileURLToPath(new URL('../../hooks/migrations/orders', import.meta.url)), poolSize: 10 };
 */
export interface ServiceStorage {
  /** The folder of the service's `.sql` migrations (applied in name order at start-up). */
  migrationsDir: string;
  /** Most PostgreSQL connections the service opens; default 10 (PGlite has one). */
  poolSize?: number;
}

/** Turns a service name into a transport to it (discovery + transport choice). */
export type TransportFor = (service: string, transport: 'http' | 'grpc') => ClientTransport;

export interface ServiceHostOptions {
  definition: ServiceDefinition;
  /** The user's endpoint hooks: one async function per endpoint, by name. */
  handlers: object;
  /** The user's event hooks, by handler name; required when the service subscribes. */
  subscriptions?: object;
  /**
   * The user's upgrade hooks, by name: each turns an older version of an event still accepted into
   * the current payload; required when a subscription of the definition names one (`upgrades`).
   */
  upgrades?: object;
  /** The user's fallback functions, by name; required when a call of the definition names one. */
  fallbacks?: object;
  /** The user's readiness checks (the hook file's `healthChecks`), by name; required when the definition declares some. */
  healthChecks?: object;
  /**
   * Routes the spec does not describe, mounted beside its endpoints (the hook file's `routes`). Typed
   * with a `never` context so that any one service's `<Svc>Routes` fits; the host hands each route the
   * context of the service it runs in. Default none.
   */
  routes?: ExtraRoutes<never>;
  /** The mesh's JSON Schemas (generated/schemas.ts). */
  schemas: SchemaRegistry;
  events: EventCatalog;
  /** Definitions of the services this one calls (for their endpoints and protos). */
  callees: Readonly<Record<string, ServiceDefinition>>;
  /** Builds the typed clients for one call context (generated). */
  createClients: (transportFor: TransportFor, call: CallOptions) => object;
  /** Set for a service with storage: it then needs `HostSettings.database`. Default none: no database. */
  storage?: ServiceStorage;
  /**
   * Makes the sagas the service runs (generated/<service>/sagas.ts, wired by its host.ts); set only
   * for a service with sagas, which has storage (their log lives in its database). The host gives it
   * a `transportFor` that also reaches the service itself (a step may call its own endpoints), and
   * `callOptions`, which turns a step's StepCall into the options of a client call. Default none.
   *
   * @example
   * sagas: (transportFor, callOptions) => ordersSagas((step) => ({ users: createUsersClient(transportFor('users', 'http'), callOptions(step)) })),
   */
  sagas?: (transportFor: TransportFor, callOptions: (step: StepCall) => CallOptions) => readonly SagaDefinition[];
  /**
   * The hook file's `compensations` (a participant of a choreographed saga whose step has a
   * `compensate`): each undoes its step when a later step's `fails` event arrives. Required when the
   * definition's `choreographies` name one. Default none.
   *
   * @example
   * compensations: compensations satisfies PaymentsCompensations,
   */
  compensations?: object;
}

export interface HostSettings {
  /** Largest JSON body accepted, bytes. */
  bodyLimitBytes: number;
  /** Drain time on shutdown before open connections are cut, ms. */
  shutdownGraceMs: number;
  /**
   * How long a stopping service keeps serving with `/ready` at 503 before it stops accepting, ms
   * (`SHUTDOWN_DELAY`): time for the gateway, load balancers and Kubernetes endpoints to stop sending
   * it requests. Default 0.
   */
  shutdownDelayMs?: number | undefined;
  /** Ports override the definition's (0 = any free port, for tests); undefined keeps the definition's. */
  httpPort?: number | undefined;
  /** null: no gRPC server even when the definition has a port. */
  grpcPort?: number | null | undefined;
  host?: string | undefined;
  /**
   * The mesh's identity keys (MESH_IDENTITY_KEYS): set, a caller is believed only from a signed
   * x-mesh-identity (an invalid one answers 401) and this service signs its own calls. Default none
   * (development: the unsigned x-mesh-caller).
   */
  identityKeys?: readonly IdentityKey[] | undefined;
  /** The HTTP listener's limits against slow and greedy clients; default HTTP_LISTENER_DEFAULTS. */
  http?: HttpListenerOptions | undefined;
  /** A bus with `connected` (a broker still being reached) keeps `/ready` at 503 while it is false. */
  bus: EventBus & { readonly connected?: boolean; ready?(): Promise<void> };
  /**
   * Where event hooks' `ctx.once` records effects, and where a non-idempotent endpoint keeps the first
   * answer to a request with an `Idempotency-Key`; default a memory store of this service.
   */
  idempotency?: IdempotencyStore | undefined;
  logger: Logger;
  /**
   * The database of a service with storage (required then, refused without storage), opened by
   * whoever starts the process (runServices, startStack, a test). The service migrates it before it
   * listens, hands it to hooks as `ctx.db`, keeps `/ready` at 503 while it does not answer, and
   * closes it when it stops (or fails to start): it is the service's from then on.
   */
  database?: Database | undefined;
  /**
   * Resolves service names to addresses; defaults to env vars then the spec's ports on 127.0.0.1.
   * The calls' fallbacks still apply around what it returns (see withCallFallbacks).
   */
  transportFor?: TransportFor | undefined;
  /**
   * Addresses that win over env vars and spec ports when the default transportFor is used (dev mode
   * and tests, where services listen on port 0). Read when a callee is first called, so it may be
   * filled in after this service starts.
   */
  discovery?: DiscoveryOverrides | undefined;
  /**
   * The services of this process: the service registers there once ready (and leaves once drained),
   * and its default transportFor calls the callees it finds there in process, through the same
   * policies. runServices and startStack share one among their services (unless `MESH_COLOCATE=off`);
   * default none: a service started alone calls over the network.
   */
  colocated?: ColocatedRegistry | undefined;
  /**
   * The saga orchestrator's lease, resume interval, compensation attempts and backoff (a service
   * with sagas). Default: read from `MESH_SAGA_LEASE_MS`, `MESH_SAGA_RESUME_MS`,
   * `MESH_SAGA_COMPENSATION_ATTEMPTS`, `MESH_SAGA_BACKOFF_MS` and `MESH_SAGA_BACKOFF_MAX_MS`
   * (sagaTimingFromEnv), else the orchestrator's defaults.
   */
  sagaTiming?: SagaTiming | undefined;
  /**
   * The service's metrics, served on GET /metrics of its HTTP port. Default: a fresh registry of its
   * own (createServiceMetrics); `false`: nothing counted and no /metrics (benchmarks comparing the cost).
   */
  metrics?: ServiceMetrics | false | undefined;
}

/**
 * The figures of a service's calls to its dependencies, for logs and a metrics endpoint.
 *
 * @example
 * const report: DependenciesReport = running.dependencies();
 * report.resilience.users?.counters.retries;
 */
export interface DependenciesReport {
  /** Per dependency: calls, attempts, retries by reason, rejections, breaker transitions, fallbacks; bulkhead and breaker gauges. */
  readonly resilience: Readonly<Record<string, DependencySnapshot>>;
  /** Per dependency: each instance's outstanding calls, latency, ejections and outcomes. */
  readonly instances: Readonly<Record<string, readonly InstanceStats[]>>;
}

export interface RunningService {
  readonly name: string;
  readonly httpPort: number;
  readonly grpcPort: number | null;
  /** Becomes false when shutdown starts (so /ready fails first). */
  readonly ready: boolean;
  /**
   * Resilience counters and instance figures of the calls this service makes, as of now. With a
   * `transportFor` passed in, its owner keeps them: only the fallbacks used around it are counted here.
   */
  dependencies(): DependenciesReport;
  /** The service's sagas: the orchestrator's counters, the sagas it drives now, counts by state; null without sagas. */
  sagas(): SagasReport | null;
  /** Stops accepting, drains in-flight requests (up to the grace period), closes subscriptions. */
  close(): Promise<void>;
}
