// PostgreSQL databases for tests that run services with storage as separate processes (as in a
// cluster): one fresh database per service with a random name on the test server, handed to the
// processes as MESH_<SERVICE>_DATABASE_URL, dropped afterwards. Like a missing broker, a missing
// PostgreSQL fails these tests (they cannot run without it), on a developer machine as under CI=true.
import { databaseEnvName } from '../../common/discovery.js';
import { ADMIN_URL, createThrowawayDatabase, postgresAvailable, type ThrowawayDatabase } from '../integration/storage/engines.js';

/** The databases of a test's services: the environment that points the processes at them, and their cleanup. */
export interface ServiceDatabases {
  /** `MESH_<SERVICE>_DATABASE_URL` per service. */
  readonly env: Readonly<Record<string, string>>;
  /** Drops every database (with force: processes still connected are cut off). */
  drop(): Promise<void>;
}

/**
 * Creates one throwaway database per service on the test server (127.0.0.1:5432, or MESHSPEC_TEST_PG_URL).
 *
 * @param services - the services with storage, e.g. `['orders', 'users']`
 * @returns their environment and how to drop them; rejects when PostgreSQL does not answer
 * @example
 * const databases = await createServiceDatabases(['orders', 'users']);
 * const child = start(['--import', 'tsx', 'generated/users/main.ts'], { ...databases.env });
 * afterAll(() => databases.drop());
 */
export async function createServiceDatabases(services: readonly string[]): Promise<ServiceDatabases> {
  if (!(await postgresAvailable())) throw new Error(`PostgreSQL is not reachable at ${ADMIN_URL}: these services keep their data in it`);
  const created: ThrowawayDatabase[] = [];
  try {
    for (const service of services) created.push(await createThrowawayDatabase());
  } catch (err) {
    await Promise.all(created.map((db) => db.drop()));
    throw err;
  }
  return {
    env: Object.fromEntries(services.map((service, i) => [databaseEnvName(service), created[i]!.url])),
    drop: async () => {
      await Promise.all(created.map((db) => db.drop()));
    },
  };
}
