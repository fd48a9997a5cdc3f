// The sagas of a service (issue #12), as its host runs them: their log in the service's database,
// one orchestrator whose final events go through the service's publisher (so, inside the log's
// transaction, through the outbox: the event commits with the final transition), steps that reach
// other services through the service's transports and the service itself in process, and the
// `/sagas` routes. startService (start.ts) calls these; what a saga guarantees is runtime/saga's.
import type { Logger } from 'pino';
import type { ServicePublisher } from '../service/context.js';
import type { ServiceDefinition } from '../service/definition.js';
import type { Invoke } from '../service/invoke.js';
import type { Caller } from '../context/index.js';
import type { Database } from '../storage/types.js';
import { Timeout } from '../errors/index.js';
import type { ExtraRoutes } from '../http/extra-routes.js';
import { createInProcessTransport } from '../transport/in-process.js';
import type { CallOptions } from '../transport/types.js';
import { createDatabaseSagaLog } from '../saga/log/database.js';
import type { SagaLog } from '../saga/log/types.js';
import { createSagaOrchestrator, type SagaOrchestrator } from '../saga/orchestrator.js';
import { DEFAULT_SAGA_BACKOFF } from '../saga/options.js';
import { sagaRoutes, type SagaReader } from '../saga/routes.js';
import { emptyStats, type SagaStats } from '../saga/stats.js';
import type { SagaState, StepCall } from '../saga/types.js';
import type { OwnerStats } from '../saga/choreography/owner.js';
import { durationSetting } from './env-values.js';
import { StartupError } from './startup-error.js';
import type { ServiceHostOptions, TransportFor } from './types.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The orchestrator's timing an operator (or a test) may change: `MESH_SAGA_LEASE_MS`,
 * `MESH_SAGA_RESUME_MS`, `MESH_SAGA_COMPENSATION_ATTEMPTS`, `MESH_SAGA_BACKOFF_MS` and
 * `MESH_SAGA_BACKOFF_MAX_MS`. Unset fields keep the orchestrator's defaults (15000 ms, 5000 ms,
 * 8 attempts, backoff from 100 ms capped at 5000 ms).
 *
 * @example
 * const timing: SagaTiming = { leaseMs: 2_000, resumeIntervalMs: 200 }; // a test that restarts a service mid-saga
 */
export interface SagaTiming {
  /** How long a saga's lease lasts without renewal, ms: a crashed replica's sagas are resumed after about this. */
  readonly leaseMs?: number;
  /** How often sagas whose lease expired are looked for, ms. */
  readonly resumeIntervalMs?: number;
  /** Calls of a compensation before the saga is `stuck`. */
  readonly compensationAttempts?: number;
  /** Waits between attempts of a step or compensation: exponential from `initialMs`, capped at `maxMs`, full jitter. */
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
}

/**
 * Reads SagaTiming from the environment: `MESH_SAGA_LEASE_MS`, `MESH_SAGA_RESUME_MS`,
 * `MESH_SAGA_BACKOFF_MS` (the first wait between attempts) and `MESH_SAGA_BACKOFF_MAX_MS` (its cap),
 * each a duration (`2000`, `2s`), and `MESH_SAGA_COMPENSATION_ATTEMPTS`, a whole number; unset or
 * empty keeps the default.
 *
 * @param env - where they are read; default `process.env`
 * @throws StartupError when one is no duration (or no whole number), below its minimum, or the
 *   backoff's cap is below its first wait
 * @example
 * sagaTimingFromEnv({ MESH_SAGA_LEASE_MS: '2s' }); // { leaseMs: 2000 }
 * sagaTimingFromEnv({ MESH_SAGA_COMPENSATION_ATTEMPTS: '3', MESH_SAGA_BACKOFF_MS: '10' }); // { compensationAttempts: 3, backoff: { initialMs: 10, maxMs: 5000 } }
 */
export function sagaTimingFromEnv(env: Env = process.env): SagaTiming {
  const read = (name: string, min = 1): number | undefined => {
    const value = env[name];
    if (value === undefined || value === '') return undefined;
    const ms = durationSetting(name, value);
    if (ms < min) throw new StartupError(`${name} must be at least ${min} ms, got '${value}'`);
    return ms;
  };
  const leaseMs = read('MESH_SAGA_LEASE_MS');
  const resumeIntervalMs = read('MESH_SAGA_RESUME_MS');
  const compensationAttempts = attemptsSetting('MESH_SAGA_COMPENSATION_ATTEMPTS', env['MESH_SAGA_COMPENSATION_ATTEMPTS']);
  const backoff = backoffSetting(read('MESH_SAGA_BACKOFF_MS', 0), read('MESH_SAGA_BACKOFF_MAX_MS', 0));
  return {
    ...(leaseMs !== undefined ? { leaseMs } : {}),
    ...(resumeIntervalMs !== undefined ? { resumeIntervalMs } : {}),
    ...(compensationAttempts !== undefined ? { compensationAttempts } : {}),
    ...(backoff !== undefined ? { backoff } : {}),
  };
}

function attemptsSetting(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) throw new StartupError(`${name} must be a whole number of attempts, at least 1, got '${value}'`);
  return Number(value);
}

function backoffSetting(initialMs: number | undefined, maxMs: number | undefined): SagaTiming['backoff'] {
  if (initialMs === undefined && maxMs === undefined) return undefined;
  // The orchestrator's default completes a partial setting (only the initial wait, or only the cap).
  const backoff = { initialMs: initialMs ?? Math.min(DEFAULT_SAGA_BACKOFF.initialMs, maxMs!), maxMs: maxMs ?? Math.max(DEFAULT_SAGA_BACKOFF.maxMs, initialMs!) };
  if (backoff.maxMs < backoff.initialMs) {
    throw new StartupError(`MESH_SAGA_BACKOFF_MAX_MS (${backoff.maxMs} ms) must be at least MESH_SAGA_BACKOFF_MS (${backoff.initialMs} ms)`);
  }
  return backoff;
}

/**
 * What a running service reports of its sagas: the orchestrator's counters since it started and
 * the sagas it drives now; `counts()` reads the log (every replica's sagas, by state) for gauges.
 *
 * @example
 * const report = running.sagas();
 * if (report && report.stats.stuck > 0) alert('a saga needs a person');
 * const { stuck } = await report!.counts();
 */
export interface SagasReport {
  readonly stats: SagaStats;
  /** Sagas this replica is driving now. */
  readonly inFlight: number;
  /** Sagas in the log by state (all replicas'): one query. */
  counts(): Promise<Record<SagaState, number>>;
}

/**
 * Refuses, before anything starts, a service with sagas but no storage: an orchestrated or
 * choreographed saga's log lives in its owner's database, and a participant keeps each step it took
 * in its own (runtime/saga/choreography).
 *
 * @param options - the service's host options
 * @throws StartupError naming the service
 * @example
 * checkSagasHaveStorage(ordersHost());
 */
export function checkSagasHaveStorage(options: ServiceHostOptions): void {
  if (options.storage) return;
  const name = options.definition.name;
  if (ownsSagas(options)) {
    throw new StartupError(`${name} runs sagas but has no storage: a saga's log lives in its service's database (give ${name} storage in its spec)`, { service: name });
  }
  if ((options.definition.choreographies ?? []).length > 0) {
    throw new StartupError(`${name} takes steps of choreographed sagas but has no storage: a participant keeps each step it took in its database (give ${name} storage in its spec)`, { service: name });
  }
}

/** Whether the service keeps a saga log: it runs orchestrated sagas or owns choreographed ones. */
function ownsSagas(options: ServiceHostOptions): boolean {
  return options.sagas !== undefined || (options.definition.choreographedSagas ?? []).length > 0;
}

/**
 * Opens the saga log of a service that runs orchestrated sagas or owns choreographed ones (creating
 * its tables if missing); undefined otherwise.
 *
 * @param options - the service's host options
 * @param db - its migrated database (undefined without storage)
 * @example
 * const sagaLog = await openSagaLog(options, db);
 */
export async function openSagaLog(options: ServiceHostOptions, db: Database | undefined): Promise<SagaLog | undefined> {
  if (!ownsSagas(options) || !db) return undefined;
  return createDatabaseSagaLog({ db });
}

/**
 * What startServiceSagas needs of the service being started.
 *
 * @example
 * const options: ServiceSagasOptions = { host, log, transportFor, publisher, invoke: (e, i, m) => invoke(e, i, m), logger, timing: {} };
 */
export interface ServiceSagasOptions {
  /** The service's host options (its definition and `sagas`). */
  readonly host: ServiceHostOptions;
  readonly log: SagaLog;
  /** The service's transports to the services it calls. */
  readonly transportFor: TransportFor;
  /** The service's publisher: inside the log's transaction it writes to the outbox. */
  readonly publisher: ServicePublisher;
  /** The service's own invoke (idempotency keys included): steps that call this service go through it, in process. */
  readonly invoke: Invoke;
  readonly logger: Logger;
  readonly timing: SagaTiming;
}

/**
 * The running sagas of one service.
 *
 * @example
 * const sagas = startServiceSagas(options);
 * sagas.routes; // GET /sagas/{id}, GET /sagas
 * await sagas.close();
 */
export interface ServiceSagas {
  /** Drives the service's orchestrated sagas; undefined when it owns only choreographed ones. */
  readonly orchestrator: SagaOrchestrator | undefined;
  /** Where the service's sagas of both kinds are read (the orchestrator, else the log). */
  readonly reader: SagaReader;
  /** The names of the sagas the service runs or owns. */
  readonly names: ReadonlySet<string>;
  /** `GET /sagas/{id}` and `GET /sagas`, mounted beside the hook file's routes. */
  readonly routes: ExtraRoutes;
  report(): SagasReport;
  /** Closes the orchestrator: no more claims, the sagas in flight reach their next write and are released. */
  close(): Promise<void>;
}

/**
 * Makes the service's orchestrated sagas and starts their orchestrator (its resume loop looks at
 * once), and reads the log of the choreographed sagas it owns (their reports are followed by
 * runtime/saga/choreography, started with the service's subscriptions). Checks that the service may
 * publish each saga's `<saga>.completed` and `<saga>.failed` (else a final transition could never commit).
 *
 * @param options - host, log, transportFor, publisher, invoke, logger, timing
 * @throws StartupError when the service does not publish a saga's events
 * @example
 * const sagas = startServiceSagas({ host: options, log, transportFor, publisher, invoke: (e, i, m) => invoke(e, i, m), logger, timing: sagaTimingFromEnv() });
 */
export function startServiceSagas(options: ServiceSagasOptions): ServiceSagas {
  const { host, log, publisher, logger } = options;
  const { definition } = host;
  const make = host.sagas;
  const self: Caller = Object.freeze({ subject: `service:${definition.name}`, service: definition.name });
  const definitions = make ? make(withSelf(definition, options.transportFor, options.invoke, logger), (step) => stepCallOptions(step, self)) : [];
  const names = [...definitions.map((saga) => saga.name), ...(definition.choreographedSagas ?? []).map((saga) => saga.saga)];
  checkPublishes(definition, names);
  const orchestrator = make
    ? createSagaOrchestrator({
        service: definition.name,
        sagas: definitions,
        log,
        logger,
        publish: (event, payload) => publisher(event, eventPayload(payload), (payload as { sagaId?: string }).sagaId),
        ...options.timing,
      })
    : undefined;
  const reader: SagaReader = orchestrator ?? log;
  return {
    orchestrator,
    reader,
    names: new Set(names),
    routes: sagaRoutes(reader),
    report: () => ({ stats: orchestrator?.stats() ?? emptyStats(), inFlight: orchestrator?.inFlight() ?? 0, counts: () => log.counts() }),
    close: async () => orchestrator?.close(),
  };
}

/**
 * The service's transportFor, plus the service itself: a step calling one of its own endpoints goes
 * through its invoke in process (validation, idempotency key, hook), as a co-located call would.
 */
function withSelf(definition: ServiceDefinition, transportFor: TransportFor, invoke: Invoke, logger: Logger): TransportFor {
  // Always accepting: the orchestrator closes before the service's database, and only it calls here.
  const own = createInProcessTransport({ service: definition.name, invoke, accepting: true }, logger);
  return (service, kind) => (service === definition.name ? own : transportFor(service, kind));
}

/**
 * A step's StepCall as the options of a client call: its key, deadline and request id, the service
 * as the caller, and a signal that aborts with a Timeout at the deadline, so a step that times out
 * abandons its call (and the connection or hook behind it) rather than leaving it running.
 *
 * @param step - one attempt's StepCall
 * @param caller - the service itself
 * @example
 * const call = stepCallOptions({ idempotencyKey: 'saga:1:charge', deadline: Date.now() + 2000, requestId: '1' }, self);
 */
export function stepCallOptions(step: StepCall, caller: Caller): CallOptions {
  const controller = new AbortController();
  const left = Math.max(0, step.deadline - Date.now());
  // Unref'd: a timer per attempt that must not keep a stopping process alive.
  setTimeout(() => controller.abort(new Timeout(`saga step call did not finish before its deadline (${step.idempotencyKey})`)), left).unref();
  return { idempotencyKey: step.idempotencyKey, deadline: step.deadline, requestId: step.requestId, caller, signal: controller.signal };
}

function checkPublishes(definition: ServiceDefinition, sagas: readonly string[]): void {
  const publishes = new Set(definition.publishes);
  const missing = sagas.flatMap((saga) => [`${saga}.completed`, `${saga}.failed`]).filter((event) => !publishes.has(event));
  if (missing.length > 0) {
    throw new StartupError(`${definition.name} runs sagas but does not publish ${missing.join(', ')}: a saga's final event is published with its last transition (regenerate the service)`, { service: definition.name });
  }
}

/**
 * A final event's payload as the service's event types declare it: `output` is absent (not null)
 * for a saga without output, as in the status an endpoint answers. The saga id is also the event's
 * request id, as it is every call's of the saga.
 */
function eventPayload(payload: unknown): unknown {
  if (typeof payload !== 'object' || payload === null || !('output' in payload) || payload.output !== null) return payload;
  const { output: _none, ...rest } = payload as Record<string, unknown>;
  return rest;
}

/**
 * A service's saga report with its choreographed sagas' counters added (those it saw start, and end
 * completed, compensated or stuck, since it started).
 *
 * @param report - the orchestrator's side (null without sagas)
 * @param owner - the choreography owner's counters (undefined when it owns no choreographed saga)
 * @example
 * const report = withOwnerStats(sagas.report(), choreography.ownerStats());
 */
export function withOwnerStats(report: SagasReport | null, owner: OwnerStats | undefined): SagasReport | null {
  if (!report || !owner) return report;
  const stats = report.stats;
  return {
    ...report,
    stats: { ...stats, started: stats.started + owner.started, completed: stats.completed + owner.completed, compensated: stats.compensated + owner.compensated, stuck: stats.stuck + owner.stuck },
  };
}
