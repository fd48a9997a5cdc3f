// Which database each service with storage opens, from the variables: its own URL first, the
// process-wide ones only for a lone service with storage, PGlite under `meshspec dev`.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { databaseOptionsFor, type DatabaseSource } from '../../../runtime/host/database-config.js';
import { StartupError } from '../../../runtime/host/startup-error.js';
import type { ServiceHostOptions } from '../../../runtime/host/types.js';

const host = (name: string, storage = true): ServiceHostOptions =>
  ({ definition: { name }, ...(storage ? { storage: { migrationsDir: '/m', poolSize: 4 } } : {}) }) as unknown as ServiceHostOptions;

const production = (env: Record<string, string>, servicesWithStorage = 1): DatabaseSource => ({ mode: 'production', env, servicesWithStorage });
const dev = (env: Record<string, string>, servicesWithStorage = 1, dataRoot?: string): DatabaseSource => ({
  mode: 'dev',
  env,
  servicesWithStorage,
  ...(dataRoot ? { dataRoot } : {}),
});

describe('production', () => {
  it('a service without storage opens nothing', () => {
    expect(databaseOptionsFor(host('users', false), production({ DATABASE_URL: 'postgres://x/y' }))).toBeUndefined();
  });

  it('MESH_<SERVICE>_DATABASE_URL wins over DATABASE_URL, and carries the pool size', () => {
    const env = { MESH_ORDERS_DATABASE_URL: 'postgres://db/orders', DATABASE_URL: 'postgres://db/other' };
    expect(databaseOptionsFor(host('orders'), production(env))).toEqual({ engine: 'pg', name: 'orders', url: 'postgres://db/orders', env: {}, poolSize: 4 });
  });

  it('DATABASE_URL serves a lone service with storage, and is refused for several', () => {
    expect(databaseOptionsFor(host('orders'), production({ DATABASE_URL: 'postgres://db/orders' }))).toMatchObject({ engine: 'pg', url: 'postgres://db/orders' });
    expect(() => databaseOptionsFor(host('orders'), production({ DATABASE_URL: 'postgres://db/orders' }, 2))).toThrow(
      'DATABASE_URL names one database but 2 services of this process have storage: set MESH_ORDERS_DATABASE_URL (and MESH_<SERVICE>_DATABASE_URL for the others), one database each',
    );
  });

  it('the PG* variables serve a lone service (pg reads them; no url, no DATABASE_URL fallback)', () => {
    const options = databaseOptionsFor(host('orders'), production({ PGHOST: 'db.internal', PGDATABASE: 'orders' }));
    expect(options).toEqual({ engine: 'pg', name: 'orders', env: {}, poolSize: 4 });
  });

  it('nothing configured is a startup error naming the variables', () => {
    const error = (() => {
      try {
        return databaseOptionsFor(host('orders'), production({}));
      } catch (err) {
        return err;
      }
    })();
    expect(error).toBeInstanceOf(StartupError);
    expect((error as Error).message).toBe(
      'orders has storage but no database is configured: set MESH_ORDERS_DATABASE_URL, DATABASE_URL or the PG* variables (PGHOST, PGHOSTADDR, PGPORT, PGDATABASE, PGUSER, PGSERVICE) (or MESH_DATA=<folder>|memory for the embedded PGlite, in development)',
    );
    // In a group only the service's own variable can name its database.
    expect(() => databaseOptionsFor(host('orders'), production({ PGHOST: 'db' }, 3))).toThrow('orders has storage but no database is configured: set MESH_ORDERS_DATABASE_URL');
  });

  it('MESH_DATA opts a process into the embedded PGlite (meshspec dev --processes), after the URLs', () => {
    expect(databaseOptionsFor(host('orders'), production({ MESH_DATA: '/tmp/shop-data' }, 2))).toEqual({ engine: 'pglite', name: 'orders', dataDir: '/tmp/shop-data/orders' });
    expect(databaseOptionsFor(host('orders'), production({ MESH_DATA: 'memory', MESH_ORDERS_DATABASE_URL: 'postgres://db/orders' }))).toMatchObject({ engine: 'pg' });
  });
});

describe('meshspec dev', () => {
  it('PGlite in <data root>/<service> by default, .meshspec/data under the working directory', () => {
    expect(databaseOptionsFor(host('orders'), dev({}))).toEqual({ engine: 'pglite', name: 'orders', dataDir: path.resolve('.meshspec/data/orders') });
    expect(databaseOptionsFor(host('orders'), dev({ MESH_DATA: '/tmp/shop-data' }, 4))).toMatchObject({ dataDir: '/tmp/shop-data/orders' });
    expect(databaseOptionsFor(host('orders'), dev({}, 1, '/srv/data'))).toMatchObject({ dataDir: '/srv/data/orders' });
  });

  it('in memory with MESH_DATA=memory', () => {
    expect(databaseOptionsFor(host('orders'), dev({ MESH_DATA: 'memory' }))).toEqual({ engine: 'pglite', name: 'orders' });
  });

  it('PostgreSQL when a URL is set', () => {
    expect(databaseOptionsFor(host('orders'), dev({ MESH_ORDERS_DATABASE_URL: 'postgres://db/orders' }, 4))).toMatchObject({ engine: 'pg', url: 'postgres://db/orders' });
    expect(databaseOptionsFor(host('orders'), dev({ DATABASE_URL: 'postgres://db/orders' }))).toMatchObject({ engine: 'pg', url: 'postgres://db/orders' });
  });
});
