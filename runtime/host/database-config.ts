// Which database a service with storage opens, from the environment. In production (runServices):
// PostgreSQL at `MESH_<SERVICE>_DATABASE_URL`, else `DATABASE_URL` when it is the process's only
// service with storage (one URL cannot be several services' databases), else the standard PG*
// variables under the same condition; `MESH_DATA` set (development: `meshspec dev --processes` can
// set it) opts into PGlite instead. Under `meshspec dev` (startStack): those URLs when set, else
// PGlite in a data folder per service, or in memory with `MESH_DATA=memory`.
import path from 'node:path';
import type { Logger } from 'pino';
import { databaseEnvName } from '../../common/discovery.js';
import type { DatabaseOptions } from '../storage/index.js';
import { openDatabase } from '../storage/index.js';
import type { Database } from '../storage/types.js';
import { StartupError } from './startup-error.js';
import type { ServiceHostOptions } from './types.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The PG* variables that say where PostgreSQL is (`pg` reads them, with PGPASSWORD and PGSSLMODE). */
export const PG_LOCATION_VARIABLES = ['PGHOST', 'PGHOSTADDR', 'PGPORT', 'PGDATABASE', 'PGUSER', 'PGSERVICE'] as const;

/** `MESH_DATA`: `memory`, or the folder holding each service's PGlite data folder (the embedded engine, for development). */
export const DATA_VARIABLE = 'MESH_DATA';

/** Where `meshspec dev` keeps the services' data, relative to the project root. */
export const DEFAULT_DATA_ROOT = path.join('.meshspec', 'data');

/** Where a process's databases come from: production (PostgreSQL only) or `meshspec dev` (PGlite by default). */
export interface DatabaseSource {
  readonly mode: 'production' | 'dev';
  /** Where the variables are read; default process.env. */
  readonly env?: Env;
  /** How many services of the process have storage: DATABASE_URL and PG* apply only when one does. */
  readonly servicesWithStorage: number;
  /** Dev only: the folder under which `<service>/` is each PGlite data folder; default `MESH_DATA`, else `.meshspec/data` under the working directory. */
  readonly dataRoot?: string;
  /** Given to the engine for lost connections and failing after-commit callbacks. */
  readonly logger?: Logger;
}

/**
 * What {@link databaseOptionsFor} reads of a service: its name and its storage (a whole
 * ServiceHostOptions is one; `meshspec db` passes only these).
 *
 * @example
 * const orders: DatabaseHost = { definition: { name: 'orders' }, storage: { migrationsDir: 'hooks/migrations/orders' } };
 */
export interface DatabaseHost {
  readonly definition: { readonly name: string };
  readonly storage?: ServiceHostOptions['storage'];
}

/**
 * How a service's database is to be opened, or a StartupError naming the variables to set.
 *
 * @param host - the service (its name and `storage`)
 * @param source - production or dev, the environment, how many services of the process have storage
 * @returns undefined for a service without storage
 * @example
 * databaseOptionsFor(ordersHost(), { mode: 'production', servicesWithStorage: 1, env: { DATABASE_URL: 'postgres://db/orders' } });
 * // { engine: 'pg', name: 'orders', url: 'postgres://db/orders', env: {} }
 */
export function databaseOptionsFor(host: DatabaseHost, source: DatabaseSource): DatabaseOptions | undefined {
  const { storage } = host;
  if (!storage) return undefined;
  const name = host.definition.name;
  const env = source.env ?? process.env;
  const own = databaseEnvName(name);
  const pg = (url: string | undefined): DatabaseOptions => ({
    engine: 'pg',
    name,
    // No url: `pg` reads the PG* variables. DATABASE_URL never leaks in from here (env is empty).
    ...(url ? { url } : {}),
    env: {},
    ...(storage.poolSize !== undefined ? { poolSize: storage.poolSize } : {}),
    ...(source.logger ? { logger: source.logger } : {}),
  });
  if (env[own]) return pg(env[own]);
  const alone = source.servicesWithStorage === 1;
  if (env['DATABASE_URL']) {
    if (alone) return pg(env['DATABASE_URL']);
    throw new StartupError(
      `DATABASE_URL names one database but ${source.servicesWithStorage} services of this process have storage: set ${own} (and MESH_<SERVICE>_DATABASE_URL for the others), one database each`,
      { service: name },
    );
  }
  if (source.mode === 'dev' || env[DATA_VARIABLE]) return pglite(name, env, source);
  if (alone && PG_LOCATION_VARIABLES.some((v) => env[v])) return pg(undefined);
  const also = alone ? `, DATABASE_URL or the PG* variables (${PG_LOCATION_VARIABLES.join(', ')})` : '';
  throw new StartupError(`${name} has storage but no database is configured: set ${own}${also} (or ${DATA_VARIABLE}=<folder>|memory for the embedded PGlite, in development)`, { service: name });
}

function pglite(name: string, env: Env, source: DatabaseSource): DatabaseOptions {
  const logger = source.logger ? { logger: source.logger } : {};
  const data = source.dataRoot ?? env[DATA_VARIABLE];
  if (data === 'memory') return { engine: 'pglite', name, ...logger };
  return { engine: 'pglite', name, dataDir: path.resolve(data || DEFAULT_DATA_ROOT, name), ...logger };
}

/**
 * Opens the database of each service with storage, in order, for startService's
 * `HostSettings.database`. Opens lazily: call `next()` right before starting each service, so a
 * failed start leaves no database of a later service open.
 *
 * @param hosts - the process's services
 * @param source - production or dev, the environment, the dev data root, a logger
 * @example
 * const open = databaseOpener(hosts, { mode: 'production' });
 * for (const host of hosts) await startService(host, { ...settings, database: await open(host) });
 */
export function databaseOpener(
  hosts: readonly ServiceHostOptions[],
  source: Omit<DatabaseSource, 'servicesWithStorage'>,
): (host: ServiceHostOptions) => Promise<Database | undefined> {
  const servicesWithStorage = hosts.filter((h) => h.storage).length;
  // Checked before any service starts: a missing variable of the last service stops nothing half-started.
  const options = new Map(hosts.map((h) => [h, databaseOptionsFor(h, { ...source, servicesWithStorage })]));
  return async (host) => {
    const chosen = options.get(host);
    return chosen ? openDatabase(chosen) : undefined;
  };
}
