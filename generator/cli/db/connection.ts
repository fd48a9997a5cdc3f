// Which database `meshspec db` opens for a service, by the rules the host itself follows
// (runtime/host/database-config.ts): PostgreSQL when MESH_<SERVICE>_DATABASE_URL, DATABASE_URL or the
// PG* variables say where it is (MESH_DATA, set, takes precedence over PG*: PGlite in its folder), else the PGlite folder
// `meshspec dev` uses, `.meshspec/data/<service>`. The command is one service's process, so
// DATABASE_URL and PG* count as that service's, as in a deployed service's own container.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { redactUrl } from '../../../runtime/bus/settings.js';
import { DATA_VARIABLE, databaseOptionsFor } from '../../../runtime/host/database-config.js';
import { StartupError } from '../../../runtime/host/startup-error.js';
import type { DatabaseOptions } from '../../../runtime/storage/index.js';
import { UsageError } from '../usage-error.js';

/** The database chosen for a service, and how to name it to the user (never with a password). */
export interface ChosenDatabase {
  readonly options: DatabaseOptions;
  /** `PostgreSQL at postgres://app:***@db:5432/orders`, `PGlite in .meshspec/data/orders`. */
  readonly description: string;
  /** PGlite only: whether its folder exists already (a folder not made yet has nothing applied). */
  readonly exists: boolean;
}

/**
 * The database of `service` from the environment, as its own process would open it.
 *
 * @param service - the service's name
 * @param migrationsDir - its migrations folder (absolute)
 * @param env - where the variables are read (default process.env)
 * @example
 * chooseDatabase('orders', '/app/hooks/migrations/orders', { MESH_ORDERS_DATABASE_URL: 'postgres://db/orders' }).description
 * // 'PostgreSQL at postgres://db/orders'
 */
export function chooseDatabase(service: string, migrationsDir: string, env: NodeJS.ProcessEnv = process.env): ChosenDatabase {
  const host = { definition: { name: service }, storage: { migrationsDir } };
  let options: DatabaseOptions | undefined;
  try {
    options = databaseOptionsFor(host, { mode: 'production', env, servicesWithStorage: 1 });
  } catch (error) {
    // No PostgreSQL configured: the folder `meshspec dev` keeps this service's data in.
    if (!(error instanceof StartupError)) throw error;
    options = databaseOptionsFor(host, { mode: 'dev', env, servicesWithStorage: 1 });
  }
  if (options === undefined) throw new Error(`${service} has storage but no database options`);
  if (options.engine === 'pg') {
    const where = options.url === undefined ? 'from the PG* variables' : `at ${redactUrl(options.url)}`;
    return { options, description: `PostgreSQL ${where}`, exists: true };
  }
  if (options.dataDir === undefined) {
    throw new UsageError(`${DATA_VARIABLE}=memory keeps a database inside one process, which is gone when it stops: unset it (or set ${DATA_VARIABLE} to a folder) to use the ${service} data folder`);
  }
  const shown = path.relative(process.cwd(), options.dataDir) || '.';
  return { options, description: `PGlite in ${shown.startsWith('..') ? options.dataDir : shown}`, exists: existsSync(options.dataDir) };
}
