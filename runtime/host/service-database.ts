// A service's database as its host sees it: checked against the service's storage declaration,
// migrated before the service listens, and asked whether it answers when `/ready` is probed.
import type { Logger } from 'pino';
import { isMeshError } from '../errors/index.js';
import { migrate } from '../storage/migrate.js';
import type { Database } from '../storage/types.js';
import { StartupError } from './startup-error.js';
import type { ServiceStorage } from './types.js';

/** How long one ping's answer stands for readiness, ms: probes never cost more than a ping a second. */
export const READINESS_PING_MAX_AGE_MS = 1000;

/**
 * Checks that a service with storage got a database (and one without did not), then applies its
 * pending migrations. Any failure is a StartupError (a MigrationError names the file and quotes the
 * database; an unreachable database says which service's and why, without its address).
 *
 * @param service - the service's name
 * @param storage - its storage declaration; undefined for a service without storage
 * @param database - what the process opened for it
 * @param logger - where the applied migrations are reported
 * @returns the database to hand to hooks, undefined for a service without storage
 * @example
 * const db = await prepareServiceDatabase('orders', { migrationsDir }, database, logger);
 */
export async function prepareServiceDatabase(
  service: string,
  storage: ServiceStorage | undefined,
  database: Database | undefined,
  logger: Logger,
): Promise<Database | undefined> {
  if (!storage) {
    if (database) throw new StartupError(`${service} was given a database but declares no storage`, { service });
    return undefined;
  }
  if (!database) {
    throw new StartupError(`${service} has storage but no database was opened for it (HostSettings.database)`, { service });
  }
  try {
    const { applied, upToDate } = await migrate(database, { directory: storage.migrationsDir });
    logger.info({ applied, upToDate }, applied.length > 0 ? `${service} database: applied ${applied.length} migration(s)` : `${service} database: migrations up to date`);
  } catch (err) {
    if (err instanceof StartupError) throw err;
    if (isMeshError(err, 'Unavailable')) {
      throw new StartupError(`cannot migrate the ${service} database: ${err.message}${reasonOf(err.cause)}`, { service }, { cause: err });
    }
    throw err;
  }
  return database;
}

/** What the operator can act on, from the driver's error code (never its text, which may hold a host and port). */
const REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ETIMEDOUT: 'connection timed out',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
  ECONNRESET: 'connection reset',
  '3D000': 'no such database',
  '28P01': 'login refused: wrong password',
  '28000': 'login refused',
  '57P03': 'the server is starting up or shutting down',
};

/** ` (connection refused)`, ` (ECONNREFUSED)` for a code without a reason, or nothing. */
function reasonOf(cause: unknown): string {
  const code = (cause as { code?: unknown } | null | undefined)?.code;
  if (typeof code !== 'string') return '';
  const reason = REASONS[code];
  if (reason) return ` (${reason}, ${code})`;
  return /^[A-Z0-9_]{2,40}$/.test(code) ? ` (${code})` : '';
}

/** Whether a service's database answers, for readiness. */
export interface DatabaseReadiness {
  /** The last answer: true until a ping says otherwise. For synchronous readers (gRPC health). */
  readonly answering: boolean;
  /**
   * Pings when the last answer is older than the max age (one ping at a time: concurrent probes
   * share it) and resolves with the answer; else resolves with the last one at once.
   */
  check(): Promise<boolean>;
}

/**
 * Readiness of a database from its `ping()`, cached so that probes hammer nothing.
 *
 * @param db - the database
 * @param options - `maxAgeMs` (default READINESS_PING_MAX_AGE_MS); `onChange`, called when the answer flips; `logger`, told of flips
 * @example
 * const readiness = createDatabaseReadiness(db, { onChange: () => grpc?.readinessChanged() });
 * const ready = await readiness.check();
 */
export function createDatabaseReadiness(
  db: Database,
  options: { maxAgeMs?: number; onChange?: () => void; logger?: Logger } = {},
): DatabaseReadiness {
  const maxAgeMs = options.maxAgeMs ?? READINESS_PING_MAX_AGE_MS;
  let answering = true;
  let checkedAt = -Infinity;
  let pending: Promise<boolean> | undefined;
  const ping = async () => {
    const now = await db.ping();
    checkedAt = Date.now();
    if (now !== answering) {
      answering = now;
      if (now) options.logger?.info(`the ${db.name} database answers again: ready`);
      else options.logger?.warn(`the ${db.name} database does not answer: /ready answers 503 until it does`);
      options.onChange?.();
    }
    return now;
  };
  return {
    get answering() {
      return answering;
    },
    check() {
      if (Date.now() - checkedAt < maxAgeMs) return Promise.resolve(answering);
      pending ??= ping().finally(() => {
        pending = undefined;
      });
      return pending;
    },
  };
}
