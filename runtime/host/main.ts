// Running services as a standalone process (generated/<service>/main.ts, containers): settings from
// the environment with the spec's values as defaults, signals, and one clear line on a failed start.
// Events travel on the bus `EVENT_BUS` names (else the spec's `runtime.bus.kind`): on memory a
// service only hears events published in the same process, and says so once. Services of one process
// call each other in process (runtime/host/colocated.ts) unless `MESH_COLOCATE=off`. A service with
// storage gets PostgreSQL: `MESH_<SERVICE>_DATABASE_URL`, else `DATABASE_URL` or the PG* variables
// when it is the process's only service with storage; PGlite when `MESH_DATA` asks for it
// (runtime/host/database-config.ts).
import { setupTracing, type TracingSetup } from '../observability/tracing/setup.js';
import type { Logger } from 'pino';
import { busSettingsFromEnv, type BusDefaults } from '../bus/settings.js';
import type { IdempotencyStore } from '../idempotency/types.js';
import { colocationFromEnv, createColocatedRegistry } from './colocated.js';
import { databaseOpener } from './database-config.js';
import { durationSetting, sizeSetting } from './env-values.js';
import { openProcessBus, type ProcessBus } from './event-bus.js';
import { openIdempotencyStore } from './idempotency-store.js';
import { IDENTITY_KEYS_VARIABLE, identityKeysFromEnv, type IdentityKey } from '../identity/keys.js';
import { createLogger } from '../logging/index.js';
import { startService } from './start.js';
import { exitOnSignals, exitOnStartupFailure } from './signals.js';
import { StartupError } from './startup-error.js';
import type { RunningService, ServiceHostOptions } from './types.js';

/** The mesh's `runtime:` section, resolved (generated code passes it). */
export interface RuntimeDefaults {
  bodyLimitBytes: number;
  shutdownGraceMs: number;
  /** The spec's `runtime.bus`; default {@link DEFAULT_BUS} (memory). `EVENT_BUS`/`EVENT_BUS_URL` win. */
  bus?: BusDefaults;
}

export interface ProcessSettings {
  /** `HOST`; default `0.0.0.0` (reachable from outside the container). */
  host: string;
  /** `PORT`; default: the spec's http port. */
  httpPort?: number;
  /** `GRPC_PORT` (`off` disables gRPC); default: the spec's grpc port. */
  grpcPort?: number | null;
  /** `BODY_LIMIT`: bytes or `512kb`, `1mb`. */
  bodyLimitBytes: number;
  /** `SHUTDOWN_GRACE`: ms or `10s`. */
  shutdownGraceMs: number;
  /** `SHUTDOWN_DELAY`: ms or `5s`, serving with /ready at 503 before the listener closes; default 0. */
  shutdownDelayMs: number;
}

type Env = Readonly<Record<string, string | undefined>>;

export function settingsFromEnv(defaults: RuntimeDefaults, env: Env = process.env): ProcessSettings {
  const settings: ProcessSettings = {
    host: env['HOST'] || '0.0.0.0',
    bodyLimitBytes: env['BODY_LIMIT'] ? sizeSetting('BODY_LIMIT', env['BODY_LIMIT']) : defaults.bodyLimitBytes,
    shutdownGraceMs: env['SHUTDOWN_GRACE'] ? durationSetting('SHUTDOWN_GRACE', env['SHUTDOWN_GRACE']) : defaults.shutdownGraceMs,
    shutdownDelayMs: env['SHUTDOWN_DELAY'] ? durationSetting('SHUTDOWN_DELAY', env['SHUTDOWN_DELAY']) : 0,
  };
  if (env['PORT']) settings.httpPort = parsePort('PORT', env['PORT']);
  if (env['GRPC_PORT']) settings.grpcPort = env['GRPC_PORT'] === 'off' ? null : parsePort('GRPC_PORT', env['GRPC_PORT']);
  return settings;
}

function parsePort(name: string, value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new StartupError(`${name} must be a port number (0-65535), got '${value}'`);
  return port;
}

export interface RunningProcess {
  readonly services: readonly RunningService[];
  readonly bus: ProcessBus;
  /** Closes every service, then the bus and the idempotency store. */
  close(): Promise<void>;
}

/**
 * Starts `hosts` in this process and stops them on SIGTERM/SIGINT (exit 0). A failed start logs one
 * line and exits 1 (a missing database configuration, a failed migration). Each service with storage
 * gets PostgreSQL at `MESH_<SERVICE>_DATABASE_URL`, else `DATABASE_URL` or the PG* variables when it
 * is the only service with storage of the process; `MESH_DATA` (a folder or `memory`) opts into the
 * embedded PGlite instead, for development. `PORT`/`GRPC_PORT` apply only when there is a single service. The services share
 * one registry of co-located services, so their calls to each other skip the network, unless
 * `MESH_COLOCATE=off`.
 *
 * @param hosts What generated/<service>/host.ts makes, one per service.
 * @param defaults The spec's runtime settings (the environment wins).
 * @param env Where settings are read. Default `process.env`.
 * @example
 * await runServices([usersHost(), ordersHost()], { bodyLimitBytes: 1048576, shutdownGraceMs: 10000 });
 */
export async function runServices(
  hosts: readonly ServiceHostOptions[],
  defaults: RuntimeDefaults,
  env: Env = process.env,
): Promise<RunningProcess> {
  let logger: Logger;
  try {
    logger = createLogger({ service: hosts.length === 1 ? (hosts[0] as ServiceHostOptions).definition.name : 'mesh' });
  } catch (err) {
    // No logger to report with (e.g. a bad LOG_LEVEL): say it plainly.
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
  const services: RunningService[] = [];
  let bus: ProcessBus | null = null;
  let idempotency: (IdempotencyStore & { close(): Promise<void> }) | null = null;
  let tracing: TracingSetup | null = null;
  const close = async () => {
    await Promise.all(services.map((s) => s.close()));
    // After the services: their subscriptions finished the handlers in flight and acknowledged them.
    await bus?.close();
    await idempotency?.close();
    // Last: the spans of the last requests and events go out.
    await tracing?.shutdown().catch((err: unknown) => logger.warn({ err }, 'exporting the last spans failed'));
  };

  try {
    const settings = settingsFromEnv(defaults, env);
    // Before any service asks for its tracer: exported over OTLP when the OTEL_* variables say so.
    tracing = await setupTracing(hosts.length === 1 ? (hosts[0] as ServiceHostOptions).definition.name : 'mesh', env).catch((err: unknown) => {
      throw new StartupError(`tracing cannot start: ${err instanceof Error ? err.message : String(err)}`);
    });
    if (hosts.length > 1 && (settings.httpPort !== undefined || settings.grpcPort !== undefined)) {
      throw new StartupError('PORT and GRPC_PORT can only be set when the process runs a single service');
    }
    const colocated = colocationFromEnv(env) ? createColocatedRegistry() : undefined;
    // From a Secret in a cluster: then callers must prove who they are (runtime/identity/trust.ts).
    const identityKeys = env[IDENTITY_KEYS_VARIABLE] ? readIdentityKeys(env) : undefined;
    const busSettings = busSettingsFromEnv(defaults.bus, env);
    bus = openProcessBus(busSettings, logger.child({ component: 'bus' }));
    // Every service's database configuration is checked before anything connects.
    const databaseFor = databaseOpener(hosts, { mode: 'production', env, logger: logger.child({ component: 'database' }) });
    idempotency = await openIdempotencyStore(busSettings, logger.child({ component: 'idempotency' }), env);
    for (const host of hosts) {
      const serviceLogger: Logger = hosts.length === 1 ? logger : createLogger({ service: host.definition.name });
      // Opened right before its service starts, which owns it from then on (and closes it when it stops).
      const database = await databaseFor(host);
      services.push(await startService(host, { ...settings, bus, idempotency, logger: serviceLogger, colocated, identityKeys, database }));
    }
    // After the start, so a start that fails says one thing only: why.
    if (busSettings.kind === 'memory' && !busSettings.fromEnvironment) warnIfEventsStayLocal(hosts, logger);
    else logger.info({ bus: bus.description }, 'event bus');
  } catch (err) {
    await close().catch(() => undefined);
    exitOnStartupFailure(err, logger, (e) => e instanceof StartupError);
  }

  exitOnSignals(close, logger);
  return { services, bus: bus as ProcessBus, close };
}

/** MESH_IDENTITY_KEYS, or the one line that says what is wrong with it (never the key bytes). */
function readIdentityKeys(env: Env): IdentityKey[] {
  try {
    return identityKeysFromEnv(env);
  } catch (err) {
    throw new StartupError(err instanceof Error ? err.message : String(err));
  }
}

/** One warning when events would silently stay in this process (EVENT_BUS unset, spec default memory). */
function warnIfEventsStayLocal(hosts: readonly ServiceHostOptions[], logger: Logger): void {
  const local = hosts.filter((h) => h.definition.publishes.length > 0 || h.definition.subscriptions.length > 0);
  if (local.length === 0) return;
  logger.warn(
    { services: local.map((h) => h.definition.name) },
    'events stay in this process: EVENT_BUS is unset and the spec\'s runtime.bus.kind is memory, so published events reach only ' +
      'subscribers in this process and are lost on exit; set EVENT_BUS=redis or EVENT_BUS=rabbitmq (and EVENT_BUS_URL) to share them',
  );
}

/** Entry point of one service as its own process (generated/<service>/main.ts). */
export function runMain(host: ServiceHostOptions, defaults: RuntimeDefaults): Promise<RunningProcess> {
  return runServices([host], defaults);
}
