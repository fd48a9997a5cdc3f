// Checks of a service's `storage` the schema cannot express: its database URL belongs in a Secret,
// never in `deploy.env` (a ConfigMap), and its replicas' pools together should fit in what a
// PostgreSQL server accepts by default.
import { databaseSecretName, databaseEnvName } from '../../naming/index.js';
import type { SpecIndex } from '../collect.js';
import { DEFAULT_POOL_SIZE } from '../storage-defaults.js';
import type { Reporter } from './reporter.js';

/** PostgreSQL's default `max_connections`: more connections than this are refused by a stock server. */
const DEFAULT_MAX_CONNECTIONS = 100;

/**
 * Reports a database URL variable set through a `deploy.env` (it may hold a password; a ConfigMap is
 * no place for one) and warns when a service's replicas may open more connections than a stock
 * PostgreSQL server accepts.
 *
 * @param index the spec's declarations (the services' `storage` and `deploy`, mesh.yaml's groups)
 * @param report where the diagnostics go
 * @example checkStorage(index, report) // `storage: { engine: postgres, pool: 50 }` with 3 replicas -> storage-connections
 */
export function checkStorage(index: SpecIndex, report: Reporter): void {
  const groups = Object.values(index.mesh?.raw.deploy?.groups ?? {});
  for (const service of index.services.values()) {
    const storage = service.raw.storage;
    if (storage === undefined) continue;
    const variable = databaseEnvName(service.name);
    for (const name of [variable, 'DATABASE_URL']) {
      if (service.raw.deploy?.env?.[name] === undefined) continue;
      report.error(
        service.doc, ['deploy', 'env', name], 'database-url-env',
        `the database URL may hold a password, so it never goes in \`deploy.env\` (a ConfigMap): the manifests read ${variable} from the Secret \`${databaseSecretName(index.mesh?.raw.mesh ?? '<mesh>', service.name)}\` (key \`url\`); to use another Secret, name it in \`deploy.secrets\``,
        { key: true },
      );
    }
    const pool = typeof storage === 'string' ? DEFAULT_POOL_SIZE : (storage.pool ?? DEFAULT_POOL_SIZE);
    const group = groups.find((g) => Array.isArray(g.services) && g.services.includes(service.name));
    const replicas = (group ?? service.raw.deploy)?.replicas ?? 1;
    if (replicas * pool > DEFAULT_MAX_CONNECTIONS) {
      report.warning(
        service.doc, typeof storage === 'string' ? ['storage'] : ['storage', 'pool'], 'storage-connections',
        `${replicas} replicas with a pool of ${pool} may open ${replicas * pool} connections to the ${service.name} database, more than PostgreSQL's default \`max_connections\` (${DEFAULT_MAX_CONNECTIONS}): lower \`storage.pool\`, or raise \`max_connections\` on the server`,
      );
    }
  }
}
